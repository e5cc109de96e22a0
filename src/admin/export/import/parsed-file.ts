import { ExportRequestError } from '../errors.js';

/** One record of an import file with where it stands in the file. */
export interface ImportRow {
  /** Line of the file (CSV, NDJSON), row of the sheet (XLSX) or item of the array (JSON). */
  line: number;
  values: Record<string, unknown>;
}

/** What every format's parser gives: the column names and the rows, or an ImportFileError. */
export interface ParsedFile {
  format: 'csv' | 'json' | 'ndjson' | 'xlsx';
  /** What `line` counts in this format, for the report. */
  lineUnit: 'line' | 'row' | 'item';
  columns: string[];
  rows: ImportRow[];
}

/** The file itself cannot be read (malformed, empty, too many rows): answered as a clear error, never a 500. */
export class ImportFileError extends ExportRequestError {
  override name = 'ImportFileError';
}

/** Checks a header: names present and unique. */
export function checkHeader(columns: string[], where: string): string[] {
  if (columns.length === 0) throw new ImportFileError(`${where}: the file has no header (first row of field names)`);
  const seen = new Set<string>();
  for (const [index, column] of columns.entries()) {
    if (!column) throw new ImportFileError(`${where}: column ${index + 1} of the header has no name`);
    if (seen.has(column)) throw new ImportFileError(`${where}: column "${column}" appears twice in the header`);
    seen.add(column);
  }
  return columns;
}

export function tooManyRows(maxRows: number): ImportFileError {
  return new ImportFileError(`the file has more than ${maxRows} rows; split it into smaller files`);
}
