import type { ModelStatic } from 'sequelize';
import type { ImportMode } from '../types.js';
import { emptyReport, type ImportReport } from './import-report.js';
import { fieldsOfHeaders } from './header-fields.js';
import { ImportFileError, type ParsedFile } from './parsed-file.js';
import { planRows } from './plan-rows.js';
import type { Labels } from './readable-errors.js';
import { writeRows } from './write-rows.js';

export interface ImportRowsOptions {
  model: ModelStatic<any>;
  file: ParsedFile;
  /** Columns the file may carry: anything else makes the file unacceptable. */
  known: readonly string[];
  /** Columns written to records; known columns that are not writable are ignored (and reported). */
  writable: readonly string[];
  mode: ImportMode;
  mayCreate: boolean;
  mayUpdate: boolean;
  /** Labels of the known fields: a header may be a field's path or its label (as CSV and XLSX exports write them). */
  labels: Labels;
  /** The panel's time zone: spreadsheet times and times without an offset are wall-clock times in it. */
  timeZone: string;
}

/**
 * Imports a parsed file: every row coerced and validated, then (atomic) all written in one
 * transaction or none at all, or (per-row) the good rows written and the bad ones reported.
 * Rows are matched by primary key, so re-importing an export writes nothing.
 */
export async function importRows(options: ImportRowsOptions): Promise<ImportReport> {
  const { model, mode, labels, timeZone } = options;
  const known = new Set([...options.known, model.primaryKeyAttribute]);
  const file = fieldsOfHeaders(options.file, [...known], labels);
  const unknown = file.columns.filter((column) => !known.has(column));
  if (unknown.length > 0) {
    throw new ImportFileError(`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c}"`).join(', ')}; the file may have: ${[...known].join(', ')}`);
  }
  const writable = options.writable.filter((field) => field !== model.primaryKeyAttribute);
  const ignored = file.columns.filter((column) => column !== model.primaryKeyAttribute && !writable.includes(column));
  const report = emptyReport(file, mode, ignored, Object.fromEntries(file.columns.map((column) => [column, labels[column] ?? column])));
  const writes = await planRows({ model, file, writable, mayCreate: options.mayCreate, mayUpdate: options.mayUpdate, labels, timeZone }, report);
  if (mode === 'per-row' || report.failed === 0) {
    if (writes.length > 0) await writeRows(model, writes, mode, report, labels);
    else report.committed = true;
  }
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}
