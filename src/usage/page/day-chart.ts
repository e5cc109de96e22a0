import { formatInt } from '../../admin/components/format.js';
import type { UsageReport } from '../types.js';
import { html, type SafeHtml } from './html.js';

const PLOT_HEIGHT = 100;

/**
 * Tokens per day as bars. The SVG stretches to any width (one unit per day); its labels are HTML
 * around it, so they stay readable on a phone. Each bar says its day and tokens in a tooltip.
 */
export function dayChart(report: UsageReport): SafeHtml {
  const days = report.by_day;
  const max = Math.max(0, ...days.map((d) => d.tokens));
  const bars = days.map((day, i) => {
    if (!day.tokens) return '';
    const height = Math.max(0.5, (day.tokens / max) * PLOT_HEIGHT);
    return html`<rect x="${i + 0.1}" y="${PLOT_HEIGHT - height}" width="0.8" height="${height}" fill="#2563eb" data-date="${day.date}" data-tokens="${day.tokens}"><title>${day.date}: ${formatInt(day.tokens)} tokens, ${formatInt(day.requests)} requests</title></rect>`;
  });
  return html`<div class="chart">
  <div class="axis" aria-hidden="true"><span>${formatInt(max)}</span><span>0</span></div>
  <svg data-testid="usage-chart" viewBox="0 0 ${Math.max(1, days.length)} ${PLOT_HEIGHT}" preserveAspectRatio="none" role="img"
    aria-label="Tokens per day from ${report.period.from} to ${report.period.to}">${bars}</svg>
  <div class="dates" aria-hidden="true"><span>${days[0]?.date}</span>${days.length > 2 ? html`<span class="hide-narrow">${days[Math.floor(days.length / 2)]?.date}</span>` : ''}<span>${days.at(-1)?.date}</span></div>
</div>
${max === 0 ? html`<p class="muted">No AI usage in this period.</p>` : ''}`;
}
