import { ImportFileError, type ParsedFile } from './parsed-file.js';
import type { Labels } from './readable-errors.js';

const normalised = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The file with its headers as field paths: a field path stays as it is, a field's label (what CSV
 * and XLSX exports write, whatever its case and spacing) becomes that field's path, anything else
 * stays for the unknown-column check. Two headers naming one field make the file unacceptable.
 */
export function fieldsOfHeaders(file: ParsedFile, known: readonly string[], labels: Labels): ParsedFile {
  const byLabel = new Map<string, string>();
  for (const field of known) if (labels[field]) byLabel.set(normalised(labels[field]!), field);
  const paths = new Set(known);
  const renamed = file.columns.map((column) => (paths.has(column) ? column : (byLabel.get(normalised(column)) ?? column)));
  if (renamed.every((field, i) => field === file.columns[i])) return file;
  const seen = new Map<string, string>();
  renamed.forEach((field, i) => {
    const other = seen.get(field);
    if (other !== undefined) throw new ImportFileError(`columns "${other}" and "${file.columns[i]}" are the same field (${field}); keep one`);
    seen.set(field, file.columns[i]!);
  });
  const rows = file.rows.map((row) => ({ line: row.line, values: Object.fromEntries(file.columns.map((column, i) => [renamed[i]!, row.values[column]])) }));
  return { ...file, columns: renamed, rows };
}
