import type { Writable } from 'node:stream';
import type { ExportFormat } from '../types.js';
import { csvWriter } from './csv-writer.js';
import type { FormatWriter } from './format-writer.js';
import { jsonArrayWriter, ndjsonWriter } from './json-writer.js';
import { xlsxWriter } from './xlsx-writer.js';

export type { FormatWriter } from './format-writer.js';

/** The file extension and media type of each format. */
export const FORMAT_FILES: Record<ExportFormat, { extension: string; contentType: string }> = {
  csv: { extension: 'csv', contentType: 'text/csv; charset=utf-8' },
  xlsx: { extension: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  ndjson: { extension: 'ndjson', contentType: 'application/x-ndjson; charset=utf-8' },
  json: { extension: 'json', contentType: 'application/json; charset=utf-8' },
};

/** What the spreadsheet formats need besides the rows. */
export interface WriterOptions {
  /** Names the XLSX sheet. */
  sheetName: string;
  /** Headers of CSV and XLSX by field path (NDJSON and JSON keep the paths); a field without one is headed by its path. */
  labels?: Readonly<Record<string, string>>;
  /** The zone of the exported times (the cursor's), named in XLSX date formats. Default UTC. */
  timeZone?: string;
}

/** The writer of `format` onto `sink`. */
export function createFormatWriter(format: ExportFormat, sink: Writable, options: WriterOptions): FormatWriter {
  const labels = options.labels ?? {};
  switch (format) {
    case 'csv':
      return csvWriter(sink, labels);
    case 'xlsx':
      return xlsxWriter(sink, options.sheetName, labels, options.timeZone ?? 'UTC');
    case 'ndjson':
      return ndjsonWriter(sink);
    case 'json':
      return jsonArrayWriter(sink);
  }
}
