import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { neutraliseFormulaText } from '../formula-injection.js';
import { booleanOf, isoDateTime, numberOf, type ExportColumn, type TextRow, type ValueKind } from '../values.js';
import { drained, type FormatWriter } from './format-writer.js';

type CellValue = string | number | boolean | Date | null;

const DATE_FORMATS: Partial<Record<ValueKind, string>> = {
  datetime: 'yyyy-mm-dd hh:mm:ss',
  timestamp: 'yyyy-mm-dd hh:mm:ss',
  date: 'yyyy-mm-dd',
};

function dateOf(iso: string): Date | string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date;
}

/** A spreadsheet cell of PostgreSQL text: numbers, booleans and dates typed (UTC), text neutralised. */
function cellValue(kind: ValueKind, value: string | null): CellValue {
  if (value === null) return null;
  switch (kind) {
    case 'number':
      return numberOf(value);
    case 'boolean':
      return booleanOf(value);
    case 'datetime':
      return dateOf(isoDateTime(value));
    case 'timestamp':
      return dateOf(`${isoDateTime(value)}Z`);
    case 'date':
      return dateOf(`${value}T00:00:00Z`);
    default:
      return neutraliseFormulaText(value);
  }
}

/**
 * exceljs's sheet stream writes into the zip's compressor without heeding its backpressure, so when
 * rows come faster than deflate (which runs off the main thread) the backlog piles up there. These
 * are the streams it writes to (exceljs internals: StreamBuf.pipes), to wait on like the response.
 */
function zipInputs(sheet: ExcelJS.Worksheet): Writable[] {
  const pipes = (sheet as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes;
  return Array.isArray(pipes) ? pipes : [];
}

/**
 * XLSX through exceljs's streaming WorkbookWriter: rows are committed as they come and leave
 * through the zip stream, no shared strings table (it would grow with the file). One sheet, header
 * row frozen and bold, autofilter over the columns, dates and timestamps in UTC.
 */
export function xlsxWriter(sink: Writable, sheetName: string): FormatWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
  let sheet: ExcelJS.Worksheet;
  let kinds: ValueKind[] = [];
  return {
    begin(columns) {
      kinds = columns.map((column) => column.kind);
      sheet = workbook.addWorksheet(sheetName.slice(0, 31) || 'export', {
        views: [{ state: 'frozen', ySplit: 1 }],
      });
      sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(columns.length, 1) } };
      sheet.columns = columns.map((column) => ({
        key: column.name,
        width: Math.min(Math.max(column.name.length + 2, DATE_FORMATS[column.kind] ? 20 : 12), 40),
        style: DATE_FORMATS[column.kind] ? { numFmt: DATE_FORMATS[column.kind]! } : {},
      }));
      const header = sheet.addRow(columns.map((column) => column.name));
      header.font = { bold: true };
      header.commit();
    },
    async writeRows(rows: readonly TextRow[]) {
      for (const row of rows) {
        const values: CellValue[] = new Array(kinds.length);
        for (let i = 0; i < kinds.length; i++) values[i] = cellValue(kinds[i]!, row[i] ?? null);
        sheet.addRow(values).commit();
      }
      for (const stream of zipInputs(sheet)) await drained(stream);
      await drained(sink);
    },
    async end() {
      sheet.commit();
      await workbook.commit();
    },
  };
}
