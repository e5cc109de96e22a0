import type { Writable } from 'node:stream';
import { isoDateTime, type ExportColumn, type TextRow, type ValueKind } from '../values.js';
import { endSink, writeText, type FormatWriter } from './format-writer.js';

/** PostgreSQL's numeric text is a JSON number except for NaN and the infinities, which become strings. */
function jsonNumber(text: string): string {
  const first = text.charCodeAt(text[0] === '-' ? 1 : 0);
  return first >= 48 && first <= 57 ? text : JSON.stringify(text);
}

function jsonValue(kind: ValueKind, value: string | null): string {
  if (value === null) return 'null';
  switch (kind) {
    case 'number':
      return jsonNumber(value);
    case 'boolean':
      return value === 't' ? 'true' : 'false';
    case 'json':
      return value;
    case 'datetime':
    case 'timestamp':
      return `"${isoDateTime(value)}"`;
    default:
      return JSON.stringify(value);
  }
}

/** Each row as one JSON object keyed by field path; values keep their JSON types (no spreadsheet quoting: JSON has no formulas). */
function rowSerializer(columns: readonly ExportColumn[]): (row: TextRow) => string {
  const keys = columns.map((column, i) => `${i === 0 ? '{' : ','}${JSON.stringify(column.name)}:`);
  const kinds = columns.map((column) => column.kind);
  return (row) => {
    let text = '';
    for (let i = 0; i < kinds.length; i++) text += keys[i]! + jsonValue(kinds[i]!, row[i] ?? null);
    return `${text}}`;
  };
}

/** NDJSON: one JSON object a line, the format for large exports (every line parses on its own). */
export function ndjsonWriter(sink: Writable): FormatWriter {
  let serialize: (row: TextRow) => string = () => '';
  return {
    begin(columns) {
      serialize = rowSerializer(columns);
    },
    writeRows(rows) {
      let text = '';
      for (const row of rows) text += `${serialize(row)}\n`;
      return writeText(sink, text);
    },
    end: () => endSink(sink),
  };
}

/** One JSON array of row objects, streamed like NDJSON. */
export function jsonArrayWriter(sink: Writable): FormatWriter {
  let serialize: (row: TextRow) => string = () => '';
  let separator = '\n';
  return {
    begin(columns) {
      serialize = rowSerializer(columns);
      sink.write('[');
    },
    writeRows(rows) {
      let text = '';
      for (const row of rows) {
        text += separator + serialize(row);
        separator = ',\n';
      }
      return writeText(sink, text);
    },
    end: () => endSink(sink, separator === '\n' ? ']\n' : '\n]\n'),
  };
}
