import type { ExportCursor } from './export-cursor.js';
import type { FormatWriter } from './writers/index.js';

/**
 * Moves rows from the cursor to the writer a batch at a time, waiting for the writer whenever the
 * client reads slower than the database answers; so only about one batch is ever held in memory.
 * Returns the number of rows written, or undefined when `signal` aborted before the end.
 */
export async function pumpRows(cursor: ExportCursor, writer: FormatWriter, signal: AbortSignal, onRows: (written: number) => void): Promise<number | undefined> {
  writer.begin(cursor.columns);
  let written = 0;
  let rows = cursor.firstRows;
  while (rows.length > 0) {
    await writer.writeRows(rows);
    written += rows.length;
    onRows(written);
    if (signal.aborted) return undefined;
    rows = await cursor.read();
  }
  await cursor.close();
  await writer.end();
  return written;
}
