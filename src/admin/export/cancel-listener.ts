import pg from 'pg';

/** NOTIFY channel of export cancels; the payload is the export id. */
export const CANCEL_CHANNEL = 'admin_export_cancel';
const RECONNECT_MS = 2_000;

export interface CancelListener {
  /** Resolves once the first LISTEN is in place (or failed: the export heartbeat still finds cancels). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * LISTENs for export cancels on a connection of its own and hands each export id to `onCancel`.
 * A lost connection is logged and reopened; notifications sent meanwhile are missed, which is why
 * the export heartbeat also checks the table.
 */
export function listenForCancels(databaseUrl: string, onCancel: (exportId: string) => void, logError: (message: string, error: unknown) => void): CancelListener {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: 'adminjs-ai-usage export cancels' });
    next.on('notification', (message) => {
      if (message.channel === CANCEL_CHANNEL && message.payload) onCancel(message.payload);
    });
    next.on('error', (error) => {
      logError('[EXPORT] the export-cancel listener lost its connection; reconnecting', error);
      void next.end().catch(() => undefined);
      if (client === next) client = undefined;
      reconnectLater();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CANCEL_CHANNEL}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    if (closed) return void (await next.end());
    client = next;
  };

  const reconnectLater = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((error) => {
        logError('[EXPORT] the export-cancel listener cannot connect; retrying', error);
        reconnectLater();
      });
    }, RECONNECT_MS);
    retry.unref();
  };

  const ready = connect().catch((error) => {
    logError('[EXPORT] the export-cancel listener cannot connect; retrying', error);
    reconnectLater();
  });

  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(retry);
      await ready;
      await client?.end();
      client = undefined;
    },
  };
}
