import { neutraliseFormulaText } from '../../admin/export/formula-injection.js';
import { csvField } from '../../admin/export/writers/csv-writer.js';
import type { AggregateDetailRow } from '../aggregate-query.js';

type Column = [header: string, value: (row: AggregateDetailRow, label: string) => string];

const COLUMNS: Column[] = [
  ['date', (r) => r.date],
  ['section', (r) => r.section],
  ['section_label', (_r, label) => csvField(neutraliseFormulaText(label))],
  ['model', (r) => csvField(neutraliseFormulaText(r.model))],
  ['requests', (r) => r.requests],
  ['successes', (r) => r.successes],
  ['failures', (r) => r.failures],
  ['prompt_tokens', (r) => r.prompt_tokens],
  ['completion_tokens', (r) => r.completion_tokens],
  ['thoughts_tokens', (r) => r.thoughts_tokens],
  ['cached_tokens', (r) => r.cached_tokens],
  ['total_tokens', (r) => r.total_tokens],
];
const COST: Column[] = [
  ['cost_usd', (r) => r.cost_usd],
  ['unpriced_requests', (r) => r.unpriced_requests],
];

/** The user's daily aggregate rows as CSV (numbers as exact text, names formula-safe): one line per day, section and model; cost only when shown. */
export function usageCsv(rows: AggregateDetailRow[], labelOf: (section: string) => string, showCost: boolean): string {
  const columns = showCost ? [...COLUMNS, ...COST] : COLUMNS;
  const lines = [columns.map(([header]) => header).join(',')];
  for (const row of rows) lines.push(columns.map(([, value]) => value(row, labelOf(row.section))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
