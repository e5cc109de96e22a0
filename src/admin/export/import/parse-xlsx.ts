import ExcelJS from 'exceljs';
import { ImportFileError, checkHeader, tooManyRows, type ImportRow, type ParsedFile } from './parsed-file.js';
import { checkCellLength, checkXlsxSize } from './xlsx-limits.js';

/** A cell the import refuses to guess at (a formula, an error value): its row is reported with the reason. */
export class UnreadableCell {
  constructor(readonly reason: string) {}
}

function cellValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || value instanceof Date) return value;
  if ('formula' in value || 'sharedFormula' in value) return new UnreadableCell('is a formula; import plain values');
  if ('error' in value) return new UnreadableCell(`holds the error ${value.error}`);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return value.text;
  return new UnreadableCell('holds a value of an unknown kind');
}

/** The first sheet of an XLSX workbook, header in row 1, read with exceljs's streaming reader within XLSX_LIMITS. */
export async function parseXlsxFile(path: string, maxRows: number): Promise<ParsedFile> {
  await checkXlsxSize(path);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' });
  let columns: string[] | undefined;
  const rows: ImportRow[] = [];
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const cells = (row.values as ExcelJS.CellValue[]).slice(1);
        if (!columns) {
          columns = checkHeader(cells.map((cell) => String(cellValue(cell) ?? '').trim()), 'XLSX');
          continue;
        }
        if (cells.every((cell) => cell === null || cell === undefined || cell === '')) continue;
        if (rows.length === maxRows) throw tooManyRows(maxRows);
        const values: Record<string, unknown> = {};
        for (const [index, column] of columns.entries()) {
          values[column] = cellValue(cells[index] ?? null);
          checkCellLength(values[column], row.number, column);
        }
        rows.push({ line: row.number, values });
      }
      break; // only the first sheet
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError(`not a readable XLSX file: ${(error as Error).message}`);
  }
  if (!columns) throw new ImportFileError('XLSX: the first sheet is empty');
  return { format: 'xlsx', lineUnit: 'row', columns, rows };
}
