import type { Writable } from 'node:stream';
import { neutraliseFormulaText } from '../formula-injection.js';
import { isoDateTime, type TextRow, type ValueKind } from '../values.js';
import { endSink, writeText, type FormatWriter } from './format-writer.js';

const NEEDS_QUOTES = /[",\r\n]/;
/** Excel reads a UTF-8 CSV as UTF-8 only when it starts with a byte order mark. */
const BOM = '\uFEFF';

/** A text field per RFC 4180: quoted (and its quotes doubled) when it holds a comma, quote or line break. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function cell(kind: ValueKind, value: string | null): string {
  if (value === null) return '';
  switch (kind) {
    case 'number':
    case 'date':
      return value;
    case 'boolean':
      return value === 't' ? 'true' : 'false';
    case 'datetime':
    case 'timestamp':
      return isoDateTime(value);
    default:
      return csvField(neutraliseFormulaText(value));
  }
}

/** CSV (RFC 4180, CRLF line ends, UTF-8 with BOM): a header of the fields' labels (else paths), then one line per row. */
export function csvWriter(sink: Writable, labels: Readonly<Record<string, string>> = {}): FormatWriter {
  let kinds: ValueKind[] = [];
  return {
    begin(columns) {
      kinds = columns.map((column) => column.kind);
      sink.write(`${BOM}${columns.map((column) => csvField(labels[column.name] ?? column.name)).join(',')}\r\n`);
    },
    writeRows(rows: readonly TextRow[]) {
      let text = '';
      for (const row of rows) {
        let line = cell(kinds[0]!, row[0]!);
        for (let i = 1; i < kinds.length; i++) line += `,${cell(kinds[i]!, row[i]!)}`;
        text += `${line}\r\n`;
      }
      return writeText(sink, text);
    },
    end: () => endSink(sink),
  };
}
