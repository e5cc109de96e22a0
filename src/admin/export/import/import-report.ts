import type { ImportMode } from '../types.js';
import type { ParsedFile } from './parsed-file.js';

export interface ImportRowError {
  /** Where the row is in the file (see lineUnit). */
  line: number;
  /** The field at fault, when it is one field. */
  field?: string;
  message: string;
}

/** What an import did, row by row: shown to the admin after the upload. */
export interface ImportReport {
  format: ParsedFile['format'];
  /** What `line` counts: a line of the file, a row of the sheet or an item of the JSON array. */
  lineUnit: ParsedFile['lineUnit'];
  mode: ImportMode;
  rows: number;
  created: number;
  updated: number;
  /** Rows equal to the stored record (a re-imported export): nothing written. */
  unchanged: number;
  failed: number;
  /** Whether the import's writes were committed (an atomic import with any bad row commits nothing). */
  committed: boolean;
  /** Columns of the file accepted but not written (read-only fields such as timestamps). */
  ignoredColumns: string[];
  errors: ImportRowError[];
  /** Errors beyond the first MAX_REPORTED_ERRORS, counted but not listed. */
  moreErrors: number;
  /** The panel's label of each field the file has, for showing the report. */
  labels: Record<string, string>;
}

export const MAX_REPORTED_ERRORS = 1000;

export function emptyReport(file: ParsedFile, mode: ImportMode, ignoredColumns: string[], labels: Record<string, string>): ImportReport {
  return { format: file.format, lineUnit: file.lineUnit, mode, rows: file.rows.length, created: 0, updated: 0, unchanged: 0, failed: 0, committed: false, ignoredColumns, errors: [], moreErrors: 0, labels };
}

/** Records a bad row (at most MAX_REPORTED_ERRORS listed); `failed` counts rows, not messages. */
export function addRowErrors(report: ImportReport, errors: ImportRowError[]): void {
  if (errors.length === 0) return;
  report.failed += 1;
  for (const error of errors) {
    if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push(error);
    else report.moreErrors += 1;
  }
}
