import { formatCost, formatInt } from '../../admin/components/format.js';
import type { UsageBudget, UsageBudgetLimit } from '../types.js';
import { html, type SafeHtml } from './html.js';

const PERIODS: Record<UsageBudget['period'], string> = { day: 'per day (UTC)', month: 'per calendar month (UTC)', subscription: 'per subscription period' };
const MODES: Record<UsageBudget['mode'], string> = {
  enforce: 'calls that do not fit are refused',
  warn: 'a warning only, calls go on',
  off: 'counted only',
};

/** Green, orange from 80 %, red at the limit: the panel's budget bar colours. */
export function budgetBarColor(ratio: number): string {
  return ratio >= 1 ? '#b91c1c' : ratio >= 0.8 ? '#c2410c' : '#15803d';
}

const width = (part: number, whole: number) => (whole > 0 ? Math.max(0, Math.min(100, (part / whole) * 100)) : part > 0 ? 100 : 0).toFixed(1);
const percent = (ratio: number) => (ratio >= Number.MAX_VALUE ? 'over' : `${Math.round(ratio * 100)}%`);

/** One limit: used (solid) and held by calls in flight (striped) against the limit, and the words. */
function limitMeter(limit: UsageBudgetLimit, unit: 'usd' | 'tokens'): SafeHtml {
  const color = budgetBarColor(limit.used_ratio);
  const unitName = unit === 'usd' ? 'USD' : 'tokens';
  if (limit.limit === undefined) {
    return html`<div class="budget-limit" data-testid="budget-${unit}" data-ratio="${limit.used_ratio.toFixed(4)}">
  <div class="bar" role="meter" aria-label="${unitName} used" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${Math.round(limit.used_ratio * 100)}"><span style="width:${width(limit.used_ratio, 1)}%;background:${color}"></span></div>
  <p class="nums">${percent(limit.used_ratio)} of the ${unitName} limit used</p>
</div>`;
  }
  const format = unit === 'usd' ? formatCost : (value: unknown) => `${formatInt(value)} tokens`;
  const [max, used, reserved, remaining] = [limit.limit, limit.used!, limit.reserved!, limit.remaining!].map(Number) as [number, number, number, number];
  const usedWidth = width(used, max);
  const heldWidth = Math.min(100 - Number(usedWidth), Number(width(reserved, max))).toFixed(1);
  return html`<div class="budget-limit" data-testid="budget-${unit}" data-ratio="${limit.used_ratio.toFixed(4)}" data-used="${limit.used}" data-limit="${limit.limit}" data-remaining="${limit.remaining}">
  <div class="bar stacked" role="meter" aria-label="${unitName} used and held" aria-valuemin="0" aria-valuemax="${limit.limit}" aria-valuenow="${used + reserved}"><span style="width:${usedWidth}%;background:${color}"></span><span class="held" style="width:${heldWidth}%;background:repeating-linear-gradient(45deg,${color} 0 3px,#fff 3px 6px)"></span></div>
  <p class="nums"><b>${format(limit.used)}</b> of ${format(limit.limit)} (${percent(limit.used_ratio)})${reserved > 0 ? html`, ${format(limit.reserved)} held by calls in progress` : ''} · ${remaining < 0 ? html`<span class="failed">over by ${format(String(-remaining))}</span>` : html`<b>${format(limit.remaining)}</b> left`}</p>
</div>`;
}

function budgetItem(budget: UsageBudget): SafeHtml {
  const scope = [budget.section && `feature ${budget.section}`, budget.model && `model ${budget.model}`, budget.shared && 'shared by all users'].filter(Boolean).join(' · ');
  const resets = `${budget.resets_at.slice(0, 16).replace('T', ' ')} UTC`;
  return html`<li class="budget" data-testid="budget" data-budget-id="${budget.id}" data-mode="${budget.mode}">
  <p class="budget-head"><b>${budget.name}</b> <span class="pill mode-${budget.mode}" title="${MODES[budget.mode]}">${budget.mode === 'enforce' ? 'enforced' : budget.mode}</span></p>
  <p class="muted budget-scope">${PERIODS[budget.period]}${scope ? ` · ${scope}` : ''}</p>
  ${budget.tokens ? limitMeter(budget.tokens, 'tokens') : ''}
  ${budget.usd ? limitMeter(budget.usd, 'usd') : ''}
  <p class="muted budget-resets">Resets <time datetime="${budget.resets_at}" data-testid="budget-resets">${resets}</time> · ${MODES[budget.mode]}</p>
</li>`;
}

/** The budgets that count the user's calls now (the subscription's quota is the quota bar above them). */
export function budgetsList(budgets: readonly UsageBudget[]): SafeHtml {
  const shown = budgets.filter((budget) => !budget.subscription_quota);
  if (!shown.length) return html``;
  return html`<h3 class="budgets-title">Budgets</h3><ul class="budgets" data-testid="budgets">${shown.map(budgetItem)}</ul>`;
}
