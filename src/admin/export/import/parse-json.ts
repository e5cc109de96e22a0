import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { ImportFileError, tooManyRows, type ImportRow, type ParsedFile } from './parsed-file.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function columnsOf(rows: ImportRow[]): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row.values)) columns.add(key);
  return [...columns];
}

/** NDJSON: one JSON object a line (blank lines skipped); a line that is not an object makes the file malformed. */
export async function parseNdjsonFile(path: string, maxRows: number): Promise<ParsedFile> {
  const rows: ImportRow[] = [];
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) {
    line += 1;
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (!trimmed) continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw new ImportFileError(`malformed NDJSON: line ${line} is not valid JSON (${(error as Error).message})`);
    }
    if (!isRecord(value)) throw new ImportFileError(`malformed NDJSON: line ${line} is not a JSON object`);
    if (rows.length === maxRows) throw tooManyRows(maxRows);
    rows.push({ line, values: value });
  }
  if (rows.length === 0) throw new ImportFileError('NDJSON: the file has no records');
  return { format: 'ndjson', lineUnit: 'line', columns: columnsOf(rows), rows };
}

/** A JSON array of objects; `line` is the item's position in the array. */
export async function parseJsonArrayFile(path: string, maxRows: number): Promise<ParsedFile> {
  let value: unknown;
  try {
    value = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ImportFileError(`malformed JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value)) throw new ImportFileError('JSON: expected an array of objects');
  if (value.length > maxRows) throw tooManyRows(maxRows);
  const rows = value.map((item, index) => {
    if (!isRecord(item)) throw new ImportFileError(`JSON: item ${index + 1} is not an object`);
    return { line: index + 1, values: item };
  });
  return { format: 'json', lineUnit: 'item', columns: columnsOf(rows), rows };
}
