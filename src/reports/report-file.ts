import { PassThrough, type Writable } from 'node:stream';
import { createFormatWriter, FORMAT_FILES } from '../admin/export/writers/index.js';
import type { ExportColumn, TextRow } from '../admin/export/values.js';
import type { CostReport } from './cost-report.js';

export const REPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const COLUMNS: ExportColumn[] = [
  { name: 'group', kind: 'string' },
  { name: 'key', kind: 'string' },
  { name: 'label', kind: 'string' },
  { name: 'requests', kind: 'number' },
  { name: 'tokens', kind: 'number' },
  { name: 'cost_usd', kind: 'number' },
  { name: 'cost_per_request_usd', kind: 'number' },
  { name: 'unpriced_requests', kind: 'number' },
  { name: 'previous_cost_usd', kind: 'number' },
  { name: 'change_pct', kind: 'number' },
  { name: 'from', kind: 'date' },
  { name: 'to', kind: 'date' },
];

const pct = (change: number | null) => (change === null ? null : (change * 100).toFixed(2));

/** The report's lines, then a TOTAL line: one row per group, as the panel's table shows them. */
function reportRows(report: CostReport): TextRow[] {
  const row = (key: string, label: string, l: CostReport['totals']): TextRow => [
    report.group,
    key,
    label,
    String(l.requests),
    String(l.tokens),
    l.costUsd,
    l.costPerRequestUsd,
    String(l.unpricedRequests),
    l.previousCostUsd,
    pct(l.change),
    report.range.from,
    report.range.to,
  ];
  return [...report.lines.map((l) => row(l.key, l.label, l)), row('TOTAL', 'Total', report.totals)];
}

export function reportFileName(report: CostReport, format: ReportFormat): string {
  return `cost-report-${report.group}-${report.range.from}-to-${report.range.to}.${FORMAT_FILES[format].extension}`;
}

export const reportContentType = (format: ReportFormat) => FORMAT_FILES[format].contentType;

/** Writes the report through the export machinery's writers (formula injection neutralised, typed XLSX cells). */
export async function writeReport(report: CostReport, format: ReportFormat, sink: Writable): Promise<void> {
  const writer = createFormatWriter(format, sink, { sheetName: `Cost by ${report.group}` });
  writer.begin(COLUMNS);
  await writer.writeRows(reportRows(report));
  await writer.end();
}

/** The report file in memory (a mail attachment): it has one row per group, never the log. */
export async function reportBuffer(report: CostReport, format: ReportFormat): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  const finished = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  await writeReport(report, format, sink);
  await finished;
  return Buffer.concat(chunks);
}
