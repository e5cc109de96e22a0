import React, { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';

/** Where a drawer's route returns to: a resource action to the list, a record action to the record. */
export function drawerExit(pathname: string): string | undefined {
  const record = pathname.match(/^(.*\/resources\/[^/]+\/records\/[^/]+)\/(?!show$)[^/]+$/);
  if (record) return `${record[1]}/show`;
  const resource = pathname.match(/^(.*\/resources\/[^/]+)\/actions\/(?!list$)[^/]+$/);
  return resource ? resource[1] : undefined;
}

/**
 * Layout rules AdminJS's own styles lack: list tables that fit a 1440 px screen (tighter cells,
 * token breakdowns that wrap), statistics breakdowns as wide as their columns (they stack when two do not fit), and below 768 px
 * the AI usage log and the budgets as cards with their essentials.
 */
const STYLES = `
table[data-css$="-table"] > thead > tr > *, table[data-css$="-table"] > tbody > tr > td { padding: 10px 8px; }
table[data-css$="-table"] > tbody > tr > td[data-property-name] { max-width: 240px; }
table[data-css$="-table"] > thead > tr > *, table[data-css$="-table"] > thead > tr > * * { white-space: normal !important; word-break: normal !important; overflow-wrap: normal !important; }
table[data-css$="-table"] > tbody > tr > td[data-property-name=date] { white-space: nowrap; }
[data-testid=tokens-cell] small { white-space: normal !important; display: block; max-width: 150px; }
@media (min-width: 768px) { [data-testid=stats-breakdown] { min-width: max-content !important; } }
@media (max-width: 767px) {
  [data-testid=stats-breakdown] :is(table, thead, tbody) { display: block; }
  [data-testid=stats-breakdown] tr { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); }
  [data-testid=stats-breakdown] tr > * { padding: 4px 2px !important; font-size: 12px; }
  [data-testid=stats-breakdown] tr > :first-child { grid-column: 1 / -1; text-align: left; border-bottom: 0 !important; padding-top: 8px !important; }
  [data-testid=stats-breakdown] thead tr > :first-child { display: none; }
}
#drawerPortal { max-width: 100vw; }
#drawerPortal section { max-width: 100%; }
.ai-usage-drawer-close { position: absolute; top: 12px; right: 12px; z-index: 100000; width: 32px; height: 32px; border-radius: 16px; border: 1px solid #c0c0ca; background: #fff; cursor: pointer; font-size: 18px; line-height: 28px; }
@media (max-width: 767px) {
  :is(table[data-css="ai_usage_logs-table"], table[data-css="ai_usage_tracking-table"]) > thead { display: none; }
  :is(table[data-css="ai_usage_logs-table"], table[data-css="ai_usage_tracking-table"]), :is(table[data-css="ai_usage_logs-table"], table[data-css="ai_usage_tracking-table"]) > tbody { display: block; width: 100%; }
  :is(table[data-css="ai_usage_logs-table"], table[data-css="ai_usage_tracking-table"]) > tbody > tr { display: grid; grid-template-columns: 1fr auto; gap: 6px 12px; align-items: center; padding: 12px; border-bottom: 1px solid #e5e7eb; height: auto; }
  :is(table[data-css="ai_usage_logs-table"], table[data-css="ai_usage_tracking-table"]) > tbody > tr > td { display: none !important; padding: 0 !important; border: 0 !important; height: auto; max-width: none; }
  table[data-css="ai_usage_logs-table"] > tbody > tr > td:is([data-property-name=createdAt], [data-property-name=section], [data-property-name=totalTokens], [data-property-name=responseTimeMs], [data-property-name=success]) { display: block !important; }
  table[data-css="ai_usage_tracking-table"] > tbody > tr > td:is([data-property-name=date], [data-property-name=section], [data-property-name=totalTokens], [data-property-name=costUsd]) { display: block !important; }
  table[data-css="ai_budgets-table"] > thead { display: none; }
  table[data-css="ai_budgets-table"], table[data-css="ai_budgets-table"] > tbody { display: block; width: 100%; }
  table[data-css="ai_budgets-table"] > tbody > tr { display: grid; grid-template-columns: 1fr auto; gap: 8px 12px; align-items: center; padding: 12px; border-bottom: 1px solid #e5e7eb; height: auto; }
  table[data-css="ai_budgets-table"] > tbody > tr > td, table[data-css="ai_budgets-table"] > tbody > tr > td[data-property-name] { display: none !important; padding: 0 !important; border: 0 !important; height: auto; max-width: none; }
  table[data-css="ai_budgets-table"] > tbody > tr > td:is([data-property-name=name], [data-property-name=effectiveMode], [data-property-name=usage], [data-property-name=resetsAt], [data-property-name=refusals]) { display: block !important; }
  table[data-css="ai_budgets-table"] > tbody > tr > td[data-property-name=name], table[data-css="ai_budgets-table"] > tbody > tr > td[data-property-name=name] * { font-weight: 600; }
  table[data-css="ai_budgets-table"] > tbody > tr > td[data-property-name=resetsAt]::before { content: "Resets "; color: #6b7280; font-size: 12px; }
  table[data-css="ai_budgets-table"] > tbody > tr > td[data-property-name=refusals]::before { content: "Refusals: "; color: #6b7280; font-size: 12px; }
  table[data-css="ai_budgets-table"] > tbody > tr > td[data-property-name=usage] { grid-column: 1 / -1; }
  table[data-css="ai_budgets-table"] > tbody > tr > td[data-property-name=usage] [data-testid^=budget-usage-] { max-width: none !important; }
}
`;

/**
 * Mounted with the top bar on every page: the panel's global styles, and drawers (Stats, Export,
 * Import) that close like any dialog: a close button, Esc, or a click outside them.
 */
export function PanelChrome() {
  const location = useLocation();
  const navigate = useNavigate();
  const exit = drawerExit(location.pathname);
  useEffect(() => {
    // AdminJS shows and hides one drawer element; only an open one is closed here (edit pages are no drawers).
    const find = () => {
      const drawer = document.getElementById('drawerPortal');
      return drawer && !drawer.classList.contains('hidden') ? drawer : null;
    };
    if (!exit) return undefined;
    const close = () => navigate({ pathname: exit, search: location.search });
    // The drawer lives in AdminJS's own portal, outside this tree: its close button is added to it there.
    const timer = window.setInterval(() => {
      const drawer = find();
      if (!drawer || drawer.querySelector('[data-testid=drawer-close]')) return;
      const button = document.createElement('button');
      Object.assign(button, { type: 'button', className: 'ai-usage-drawer-close', textContent: '×', onclick: close });
      button.setAttribute('aria-label', 'Close');
      button.setAttribute('data-testid', 'drawer-close');
      drawer.appendChild(button);
    }, 100);
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && find()) close();
    };
    const onPointer = (event: MouseEvent) => {
      const target = event.target as Element;
      const open = find();
      // Only a press on the page behind: not in the drawer's portal, nor on a dialog or menu over it,
      // nor on an element the drawer has just replaced (no longer in the document).
      if (!open || !target.isConnected || document.getElementById('drawerPortalWrapper')?.contains(target) || open.contains(target)) return;
      if (target.closest?.('[role=dialog], .adminjs_Modal, [data-css=modal]')) return;
      close();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onPointer);
    return () => {
      window.clearInterval(timer);
      document.querySelectorAll('[data-testid=drawer-close]').forEach((button) => button.remove());
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onPointer);
    };
  }, [exit, location.search]);
  return (
    <>
      <style>{STYLES}</style>
    </>
  );
}

/** AdminJS's top bar, with the panel's chrome mounted beside it. */
const TopBar: React.FC<{ OriginalComponent: React.ComponentType<any> }> = (props) => (
  <>
    <props.OriginalComponent {...props} />
    <PanelChrome />
  </>
);

export default TopBar;
