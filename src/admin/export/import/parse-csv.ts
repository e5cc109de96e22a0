import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { ImportFileError, checkHeader, tooManyRows, type ImportRow, type ParsedFile } from './parsed-file.js';

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/** RFC 4180 CSV with a header row (BOM tolerated); an empty cell is null. Streams the file through csv-parse. */
export async function parseCsvFile(path: string, maxRows: number): Promise<ParsedFile> {
  const parser = createReadStream(path).pipe(parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: false }));
  let columns: string[] | undefined;
  const rows: ImportRow[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<CsvRecord>) {
      if (!columns) {
        columns = checkHeader(record.map((name) => name.trim()), 'CSV');
        continue;
      }
      if (rows.length === maxRows) throw tooManyRows(maxRows);
      const values: Record<string, unknown> = {};
      for (const [index, column] of columns.entries()) values[column] = record[index] === '' ? null : record[index];
      // info.lines is where the record ends; a quoted field may span lines, so count back to its first.
      rows.push({ line: info.lines - record.reduce((breaks, field) => breaks + (field.match(/\n/g)?.length ?? 0), 0), values });
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError(`malformed CSV: ${(error as Error).message}`);
  }
  if (!columns) throw new ImportFileError('CSV: the file is empty');
  return { format: 'csv', lineUnit: 'line', columns, rows };
}
