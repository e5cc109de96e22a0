import pg from 'pg';
import Cursor from 'pg-cursor';
import { kindOfType, type ExportColumn, type TextRow } from './values.js';
import type { ExportSelect } from './types.js';

/** Every value stays PostgreSQL's text: no Date or JSON objects per cell, exact decimals and timestamps. */
const TEXT_TYPES: pg.CustomTypesConfig = { getTypeParser: () => (value: string) => value };

/** A server-side cursor over one export SELECT, on a connection of its own. */
export interface ExportCursor {
  readonly columns: readonly ExportColumn[];
  /** The first batch, read when the cursor opened (so that a bad query fails before any byte is sent). */
  readonly firstRows: readonly TextRow[];
  /** The next batch; empty at the end. */
  read(): Promise<TextRow[]>;
  /** Closes the cursor and the connection after a complete read. */
  close(): Promise<void>;
}

/** The export was stopped (client gone, cancel button) while the cursor was opening or reading. */
export class ExportCancelled extends Error {
  override name = 'ExportCancelled';
}

function readBatch(cursor: Cursor<TextRow>, size: number): Promise<{ rows: TextRow[]; fields: pg.FieldDef[] }> {
  return new Promise((resolve, reject) => {
    cursor.read(size, (error, rows, result) => (error ? reject(error) : resolve({ rows, fields: result?.fields ?? [] })));
  });
}

/** Asks PostgreSQL to stop the statement a backend is running (a long sort before the first row, a slow fetch). */
async function cancelBackend(connectionString: string, pid: number): Promise<void> {
  const canceller = new pg.Client({ connectionString });
  await canceller.connect();
  try {
    await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await canceller.end();
  }
}

/**
 * Opens a cursor over `select` on a new connection (timestamps with the offset of `timeZone`, the
 * panel's) and reads its first batch.
 * When `signal` aborts, the running statement is cancelled and the connection closed at once, and
 * the pending or next read rejects with ExportCancelled.
 */
export async function openExportCursor(connectionString: string, select: ExportSelect, batchSize: number, signal: AbortSignal, timeZone = 'UTC'): Promise<ExportCursor> {
  const client = new pg.Client({ connectionString, application_name: 'adminjs-ai-usage export' });
  let lostConnection: Error | undefined;
  // A connection lost mid-export surfaces as the failed read; without a listener it would crash the process.
  client.on('error', (error) => {
    lostConnection = error;
  });
  let ended = false;
  let reading = false;
  const end = async () => {
    if (ended) return;
    ended = true;
    await client.end();
  };
  const onAbort = async () => {
    if (reading) await cancelBackend(connectionString, (client as unknown as { processID: number }).processID);
    await end();
  };
  const abortListener = () => {
    onAbort().catch((error: Error) => {
      lostConnection ??= error;
    });
  };
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    if (signal.aborted) throw new ExportCancelled('export cancelled');
    if (lostConnection) throw lostConnection;
    reading = true;
    try {
      return await work();
    } catch (error) {
      throw signal.aborted ? new ExportCancelled('export cancelled') : error;
    } finally {
      reading = false;
    }
  };

  signal.addEventListener('abort', abortListener, { once: true });
  try {
    await client.connect();
    await guarded(() => client.query("SELECT set_config('TimeZone', $1, false)", [timeZone]));
    const cursor = client.query(new Cursor<TextRow>(select.sql, select.bind, { rowMode: 'array', types: TEXT_TYPES }));
    const first = await guarded(() => readBatch(cursor, batchSize));
    return {
      columns: first.fields.map((field) => ({ name: field.name, kind: kindOfType(field.dataTypeID) })),
      firstRows: first.rows,
      read: () => guarded(async () => (await readBatch(cursor, batchSize)).rows),
      async close() {
        signal.removeEventListener('abort', abortListener);
        if (ended) return;
        await cursor.close();
        await end();
      },
    };
  } catch (error) {
    signal.removeEventListener('abort', abortListener);
    await end();
    throw signal.aborted ? new ExportCancelled('export cancelled') : error;
  }
}
