import type { ExportCursor } from './export-cursor.js';
import type { FormatWriter } from './writers/index.js';

export interface PumpReport {
  /** Rows handed to the writer so far. */
  rows: number;
  /** True while the export is stopped because the client has not read what was sent (backpressure). */
  waitingForClient: boolean;
}

/** How often a blocked writer checks whether it is the client that holds it up. */
const WAIT_CHECK_MS = 200;

/**
 * Awaits the writer; while it waits, reports whether the client's buffer is full. The writer may
 * first wait on the XLSX compressor and only later on the client, so this is checked over time.
 */
async function awaitWriter(writing: Promise<void>, clientIsFull: () => boolean, onWaiting: (waiting: boolean) => void): Promise<void> {
  let waiting = false;
  const check = () => {
    const full = clientIsFull();
    if (full === waiting) return;
    waiting = full;
    onWaiting(full);
  };
  check();
  const timer = setInterval(check, WAIT_CHECK_MS);
  try {
    await writing;
  } finally {
    clearInterval(timer);
    if (waiting) onWaiting(false);
  }
}

/**
 * Moves rows from the cursor to the writer a batch at a time, waiting for the writer whenever the
 * client reads slower than the database answers; so only about one batch is ever held in memory.
 * `clientIsFull` says whether the response's buffer is full; while the writer waits and it is,
 * the export reports waitingForClient. Returns the number of rows written, or undefined when
 * `signal` aborted before the end; the caller ends the writer (after recording the export done).
 */
export async function pumpRows(
  cursor: ExportCursor,
  writer: FormatWriter,
  signal: AbortSignal,
  report: (progress: PumpReport) => void,
  clientIsFull: () => boolean,
): Promise<number | undefined> {
  writer.begin(cursor.columns);
  let written = 0;
  let rows = cursor.firstRows;
  while (rows.length > 0) {
    const writing = writer.writeRows(rows);
    written += rows.length;
    const rowsSoFar = written;
    await awaitWriter(writing, clientIsFull, (waitingForClient) => report({ rows: rowsSoFar, waitingForClient }));
    report({ rows: written, waitingForClient: false });
    if (signal.aborted) return undefined;
    rows = await cursor.read();
  }
  await cursor.close();
  return written;
}
