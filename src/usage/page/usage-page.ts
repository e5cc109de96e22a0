import { formatCost, formatInt, formatMs } from '../../admin/components/format.js';
import type { UsageBudget, UsageQuota, UsageReport, UsageRequestsPage } from '../types.js';
import { periodOfSubscription } from '../period.js';
import { budgetsList } from './budgets-card.js';
import { dayChart } from './day-chart.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';

export interface UsagePageView {
  report: UsageReport;
  requests: UsageRequestsPage;
  showCost: boolean;
  /** Where this page lives: `/usage`, or the admin's read-only `/admin/usage-view/<id>`. */
  basePath: string;
  /** Set when a panel user looks at someone else's page: read-only, no logout. */
  viewedBy?: string;
  /** The read-only view's way back to the panel. */
  backTo?: string;
  /** The requests shown are an older page (a cursor was given). */
  older?: boolean;
}

function barColor(ratio: number): string {
  return ratio >= 1 ? '#b91c1c' : ratio >= 0.8 ? '#c2410c' : '#15803d';
}

function meter(label: SafeHtml | string, used: number, limit: number, testid: string): SafeHtml {
  const ratio = limit > 0 ? used / limit : used > 0 ? Infinity : 0;
  const percent = Number.isFinite(ratio) ? `${Math.round(ratio * 100)}%` : 'over';
  return html`<div data-testid="${testid}" data-ratio="${Number.isFinite(ratio) ? ratio.toFixed(4) : 'inf'}">
  <p style="margin:0 0 6px">${label}: <b>${formatInt(used)}</b> of ${formatInt(limit)} (${percent})</p>
  <div class="bar" role="meter" aria-valuemin="0" aria-valuemax="${limit}" aria-valuenow="${used}"><span style="width:${Math.min(100, ratio * 100).toFixed(1)}%;background:${barColor(ratio)}"></span></div>
</div>`;
}

/** The subscription's days, its last one included. */
function subscriptionDays(quota: UsageQuota): string {
  const { from, to } = periodOfSubscription(new Date(quota.period_start), new Date(quota.period_end));
  return `${from} to ${to}`;
}

function quotaCard(quota: UsageQuota | null, budgets: UsageBudget[], showCost: boolean): SafeHtml {
  const quotaPart = quota
    ? html`${meter(html`Tokens this period, plan <b>${quota.plan}</b>`, quota.tokens_used, quota.token_quota, 'quota-bar')}
      <p class="muted" style="margin:6px 0 0">Period ${subscriptionDays(quota)} (UTC)${showCost && quota.cost_used_usd !== undefined ? `, ${formatCost(quota.cost_used_usd)} so far` : ''}</p>`
    : html`<p class="muted" data-testid="quota-bar">No active subscription: no token quota applies.</p>`;
  const quotaBudget = budgets.find((b) => b.subscription_quota);
  const quotaMode = quota && quotaBudget ? html`<p class="muted" data-testid="quota-mode" style="margin:4px 0 0">${quotaBudget.mode === 'enforce' ? 'When it is used up, further calls are refused until the period resets.' : quotaBudget.mode === 'warn' ? 'Going over it is allowed (a warning is logged).' : 'Counted only.'}</p>` : '';
  const list = budgetsList(budgets);
  return html`<section class="card"><h2>Quota${list.value ? ' and budgets' : ''}</h2>${quotaPart}${quotaMode}${list}</section>`;
}

function totalsCard(report: UsageReport, showCost: boolean, basePath: string): SafeHtml {
  const { totals, period } = report;
  const query = new URLSearchParams({ from: period.from, to: period.to }).toString();
  return html`<section class="card">
  <form class="period" method="get" action="${basePath}">
    <label>From <input type="date" name="from" value="${period.from}" required></label>
    <label>To <input type="date" name="to" value="${period.to}" required></label>
    <button type="submit">Show</button>
    <a class="button" data-testid="csv-download" href="${basePath}/usage.csv?${query}" download>Download CSV</a>
  </form>
  <p class="muted" style="margin:8px 0 12px">${period.from} to ${period.to}, whole days in UTC.</p>
  <div class="totals" data-testid="totals">
    <div><span class="muted">Requests</span><b data-testid="total-requests">${formatInt(totals.requests)}</b></div>
    <div><span class="muted">Tokens</span><b data-testid="total-tokens">${formatInt(totals.tokens)}</b></div>
    <div><span class="muted">Failed</span><b>${formatInt(totals.failures)}</b></div>
    ${showCost ? html`<div><span class="muted">Cost</span><b data-testid="total-cost">${formatCost(totals.cost_usd)}</b>${totals.unpriced_requests ? html`<small class="muted" data-testid="unpriced-note">plus ${formatInt(totals.unpriced_requests)} unpriced request(s), not yet in this sum</small>` : ''}</div>` : ''}
  </div>
</section>`;
}

function featuresCard(report: UsageReport, showCost: boolean): SafeHtml {
  const max = Math.max(1, ...report.by_section.map((s) => s.tokens));
  const items = report.by_section.map(
    (s) => html`<li data-section="${s.section}">
  <span class="name"><span class="dot" style="background:${s.color}"></span>${s.label}</span>
  <div class="bar"><span style="width:${((s.tokens / max) * 100).toFixed(1)}%;background:${s.color}"></span></div>
  <span class="nums">${formatInt(s.tokens)} tokens · ${formatInt(s.requests)} requests${s.failures ? ` · ${formatInt(s.failures)} failed` : ''}${showCost ? ` · ${formatCost(s.cost_usd)}` : ''}</span>
</li>`,
  );
  return html`<section class="card"><h2>By feature</h2>${items.length ? html`<ul class="features" data-testid="by-feature">${items}</ul>` : html`<p class="muted">No usage in this period.</p>`}</section>`;
}

function requestsCard(page: UsageRequestsPage, showCost: boolean, basePath: string, period: UsageReport['period'], older: boolean): SafeHtml {
  const rows = page.requests.map(
    (r) => html`<tr>
  <td class="when"><span class="hide-narrow">${r.created_at.slice(0, 5)}</span>${r.created_at.slice(5, 16).replace('T', ' ')}</td>
  <td class="feature">${r.section_label}</td>
  <td class="hide-narrow">${r.model}</td>
  <td class="num tokens">${formatInt(r.total_tokens)}</td>
  ${showCost ? html`<td class="num cost">${r.cost_usd === null ? html`<span class="muted" title="${r.cost_status === 'not_billed' ? 'not billed' : 'no price for this model yet'}">${r.cost_status === 'not_billed' ? 'not billed' : 'unpriced'}</span>` : formatCost(r.cost_usd)}</td>` : ''}
  <td class="num hide-narrow">${formatMs(r.response_time_ms)}</td>
  <td class="result">${r.success ? html`<span class="ok">ok</span>` : html`<span class="failed" title="${r.error ?? ''}">failed</span>`}</td>
</tr>`,
  );
  const next = page.next_cursor ? `${basePath}?${new URLSearchParams({ from: period.from, to: period.to, cursor: page.next_cursor })}#requests` : null;
  return html`<section class="card" id="requests"><h2>Recent requests</h2>
${rows.length
    ? html`<div class="scroll"><table class="requests" data-testid="recent-requests"><thead><tr><th>Time (UTC)</th><th>Feature</th><th class="hide-narrow">Model</th><th class="num">Tokens</th>${showCost ? html`<th class="num">Cost</th>` : ''}<th class="num hide-narrow">Time</th><th>Result</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p class="muted">${older ? 'No older requests.' : 'No requests yet.'}</p>`}
${next ? html`<div class="pager"><a class="button" href="${next}">Older requests</a></div>` : ''}
</section>`;
}

/** The usage page of one user: quota, totals, tokens per day, by feature, recent requests. */
export function renderUsagePage(view: UsagePageView): string {
  const { report, showCost, basePath, viewedBy } = view;
  const { id, name, email } = report.user;
  const who = name && email ? `${name} (${email})` : (name ?? email ?? `user ${id}`);
  const header = viewedBy
    ? html`<header class="top"><h1>AI usage</h1><span class="who">${who}${view.backTo ? html` <a class="button" href="${view.backTo}">Back to the panel</a>` : ''}</span></header>`
    : html`<header class="top"><h1>Your AI usage</h1><span class="who">${who}
        <form method="post" action="${basePath}/logout" style="margin:0"><button type="submit">Sign out</button></form></span></header>`;
  return layout(
    'AI usage',
    html`${header}<main>
${viewedBy ? html`<p class="banner" data-testid="read-only-banner">Read-only: you (${viewedBy}) are looking at ${who}'s usage page as they see it. Nothing here changes their account.</p>` : ''}
${quotaCard(report.quota, report.budgets, showCost)}
${totalsCard(report, showCost, basePath)}
<section class="card"><h2>Tokens per day</h2>${dayChart(report)}</section>
${featuresCard(report, showCost)}
${requestsCard(view.requests, showCost, basePath, report.period, view.older ?? false)}
</main>`,
  );
}
