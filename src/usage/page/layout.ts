import { html, raw, type SafeHtml } from './html.js';

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;background:#f3f4f6}
header.top{background:#1f2937;color:#fff;padding:12px 16px;display:flex;align-items:center;justify-content:space-between;gap:12px;flex-wrap:wrap}
header.top h1{font-size:18px;margin:0}
header.top .who{font-size:13px;color:#d1d5db;display:flex;align-items:center;gap:10px;flex-wrap:wrap}
main{max-width:1120px;margin:0 auto;padding:16px;display:grid;grid-template-columns:minmax(0,1fr);gap:16px}
.card{background:#fff;border-radius:10px;padding:16px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.card h2{font-size:16px;margin:0 0 12px}
.muted{color:#6b7280}
.banner{background:#fef3c7;border:1px solid #f59e0b;color:#78350f;padding:10px 14px;border-radius:8px}
.error{background:#fee2e2;border:1px solid #ef4444;color:#7f1d1d;padding:10px 14px;border-radius:8px}
.totals{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px}
.totals div{background:#f9fafb;border-radius:8px;padding:10px 12px}
.totals b{display:block;font-size:22px}
.totals small{display:block;font-size:12px}
.bar{background:#e5e7eb;border-radius:6px;height:12px;overflow:hidden}
.bar span{display:block;height:12px}
.period{display:flex;flex-wrap:wrap;gap:8px;align-items:end}
.period label{display:grid;font-size:13px;color:#374151;gap:2px}
input,button,.button{font:inherit;padding:7px 10px;border:1px solid #d1d5db;border-radius:6px;background:#fff;color:#111827}
button,.button{cursor:pointer;text-decoration:none;display:inline-block}
button.primary,.button.primary{background:#2563eb;border-color:#2563eb;color:#fff}
header.top .button{background:transparent;color:#fff;border-color:#6b7280;padding:4px 10px;font-size:13px}
.scroll{overflow-x:auto}
header.top button{background:transparent;color:#fff;border-color:#6b7280;padding:4px 10px}
.chart{display:grid;grid-template-columns:auto 1fr;gap:4px 8px;align-items:stretch}
.chart .axis{font-size:12px;color:#6b7280;display:flex;flex-direction:column;justify-content:space-between;text-align:right}
.chart svg{width:100%;height:180px;display:block;background:linear-gradient(#f3f4f6 1px,transparent 1px) 0 0/100% 45px}
.chart .dates{grid-column:2;display:flex;justify-content:space-between;font-size:12px;color:#6b7280}
.features{display:grid;gap:10px;margin:0;padding:0;list-style:none}
.features li{display:grid;grid-template-columns:minmax(120px,1fr) 2fr;gap:4px 12px;align-items:center}
.features .name{display:flex;align-items:center;gap:8px;font-weight:600}
.dot{width:12px;height:12px;border-radius:3px;flex:none}
.features .nums{grid-column:1/-1;font-size:13px;color:#4b5563}
table{width:100%;border-collapse:collapse;font-size:14px}
th,td{text-align:left;padding:7px 6px;border-bottom:1px solid #e5e7eb;vertical-align:top}
th{font-size:12px;color:#6b7280;font-weight:600}
td.num,th.num{text-align:right;white-space:nowrap}
.ok{color:#15803d}.failed{color:#b91c1c}
.budgets-title{font-size:15px;margin:18px 0 8px}
.budgets{display:grid;gap:14px;margin:0;padding:0;list-style:none}
.budget{border-top:1px solid #e5e7eb;padding-top:10px;display:grid;gap:6px}
.budget p{margin:0}
.budget-head{display:flex;align-items:center;gap:8px;flex-wrap:wrap}
.budget .nums{font-size:13px;color:#374151}
.budget-scope,.budget-resets{font-size:13px}
.bar.stacked{display:flex}
.bar.stacked span{flex:none}
.pill{border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600}
.mode-enforce{background:#fee2e2;color:#991b1b}.mode-warn{background:#fef3c7;color:#92400e}.mode-off{background:#e5e7eb;color:#374151}
.pager{display:flex;justify-content:flex-end;margin-top:10px}
.login{max-width:380px;margin:8vh auto;padding:0 16px}
.login form{display:grid;gap:12px}
.login label{display:grid;gap:4px;font-size:14px}
@media (max-width:640px){
  main{padding:10px;gap:10px}
  .card{padding:12px}
  .hide-narrow{display:none}
  .features li{grid-template-columns:1fr}
  .totals b{font-size:18px}
  table.requests thead{display:none}
  table.requests tr{display:grid;grid-template-columns:1fr auto auto;grid-template-areas:"feature feature result" "when tokens cost";gap:2px 12px;padding:8px 0;border-bottom:1px solid #e5e7eb}
  table.requests td{border:none;padding:0}
  table.requests .feature{grid-area:feature;font-weight:600}
  table.requests .result{grid-area:result;text-align:right}
  table.requests .when{grid-area:when;color:#6b7280;white-space:nowrap}
  table.requests .tokens{grid-area:tokens}
  table.requests .tokens::after{content:" tokens";color:#6b7280}
  table.requests .cost{grid-area:cost}
}
`;

/** The page shell of /usage: no script, no request to any other host. */
export function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>${raw(CSS)}</style></head>
<body>${body}</body></html>`.value;
}
