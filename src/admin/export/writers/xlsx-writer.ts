import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { neutraliseFormulaText } from '../formula-injection.js';
import { booleanOf, isoDateTime, numberOf, wallClock, type TextRow, type ValueKind } from '../values.js';
import { drained, type FormatWriter } from './format-writer.js';

type CellValue = string | number | boolean | Date | null;

/** Number formats of date columns; a moment's names the zone its wall-clock time is in (a spreadsheet date has none). */
function dateFormats(timeZone: string): Partial<Record<ValueKind, string>> {
  return { datetime: `yyyy-mm-dd hh:mm:ss "${timeZone.replace(/"/g, '')}"`, timestamp: 'yyyy-mm-dd hh:mm:ss', date: 'yyyy-mm-dd' };
}

function dateOf(iso: string): Date | string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date;
}

/**
 * A spreadsheet cell of PostgreSQL text: numbers, booleans and dates typed, text neutralised. A
 * moment becomes its wall-clock time in the export's zone (the cursor's), which the cell shows.
 */
function cellValue(kind: ValueKind, value: string | null): CellValue {
  if (value === null) return null;
  switch (kind) {
    case 'number':
      return numberOf(value);
    case 'boolean':
      return booleanOf(value);
    case 'datetime':
      return dateOf(`${wallClock(value)}Z`);
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
 * row of the fields' labels frozen and bold, autofilter over the columns, times in `timeZone`.
 */
export function xlsxWriter(sink: Writable, sheetName: string, labels: Readonly<Record<string, string>> = {}, timeZone = 'UTC'): FormatWriter {
  const DATE_FORMATS = dateFormats(timeZone);
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
      const headers = columns.map((column) => labels[column.name] ?? column.name);
      sheet.columns = columns.map((column, i) => ({
        key: column.name,
        width: Math.min(Math.max(headers[i]!.length + 2, DATE_FORMATS[column.kind] ? (column.kind === 'datetime' ? 21 + timeZone.length : 20) : 12), 40),
        style: DATE_FORMATS[column.kind] ? { numFmt: DATE_FORMATS[column.kind]! } : {},
      }));
      const header = sheet.addRow(headers);
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
