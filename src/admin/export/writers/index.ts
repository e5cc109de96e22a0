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

/** The writer of `format` onto `sink`; `title` names the spreadsheet's sheet. */
export function createFormatWriter(format: ExportFormat, sink: Writable, title: string): FormatWriter {
  switch (format) {
    case 'csv':
      return csvWriter(sink);
    case 'xlsx':
      return xlsxWriter(sink, title);
    case 'ndjson':
      return ndjsonWriter(sink);
    case 'json':
      return jsonArrayWriter(sink);
  }
}
