import { jest } from '@jest/globals';
import { QueryTypes } from 'sequelize';
import { seedLogs, startExportTestApp, type ExportTestApp } from './support.js';

// Scoped to this test file's own database: other apps and test runs export on the same server.
const EXPORT_BACKENDS = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'adminjs-ai-usage export' AND datname = current_database()`;

async function exportBackends(base: ExportTestApp): Promise<number> {
  const [row] = await base.db.sequelize.query<{ n: number }>(EXPORT_BACKENDS, { type: QueryTypes.SELECT });
  return row!.n;
}

/** Polls until `accept` holds; the deadline only bounds a failing test, it is no assertion on speed. */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

interface ProgressBody {
  rows?: number;
  state?: string;
  waitingForClient?: boolean;
}

async function progressOf(base: ExportTestApp, exportId: string, cookie = base.admin): Promise<{ status: number; body: ProgressBody }> {
  const response = await fetch(`${base.baseUrl}/admin/export/progress/${exportId}`, { headers: { cookie } });
  return { status: response.status, body: (await response.json()) as ProgressBody };
}

/** The progress once the server says it stopped for the client (socket and fetch buffers full). */
async function stalledProgress(base: ExportTestApp, exportId: string): Promise<ProgressBody> {
  const progress = await eventually(() => progressOf(base, exportId), (p) => p.body.waitingForClient === true || p.body.state !== 'running');
  expect(progress.body).toMatchObject({ state: 'running', waitingForClient: true });
  return progress.body;
}

/** Downloads a test leaves open: aborted after each test, so that a failing one does not hang the app's close. */
const openDownloads: AbortController[] = [];
function downloadAbort(): AbortController {
  const abort = new AbortController();
  openDownloads.push(abort);
  return abort;
}

/** Starts a CSV export of every log and reads its first chunk, leaving the rest unread (the server waits on backpressure). */
async function startSlowReader(base: ExportTestApp, exportId: string) {
  const abort = downloadAbort();
  const response = await fetch(`${base.baseUrl}/admin/export/export_logs?format=csv&exportId=${exportId}`, { headers: { cookie: base.admin }, signal: abort.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('x-export-id')).toBe(exportId);
  const reader = response.body!.getReader();
  await reader.read();
  return { abort, reader };
}

// Deadlines, not speed assertions: a loaded machine may take long to fill the buffers of an XLSX download.
jest.setTimeout(120_000);

describe('export progress and cancellation', () => {
  let base: ExportTestApp;
  beforeAll(async () => {
    base = await startExportTestApp();
    await seedLogs(base.db, 150_000);
  }, 60_000);
  afterEach(() => openDownloads.splice(0).forEach((abort) => abort.abort()));
  afterAll(() => base.close(), 60_000);

  it('reports rows written while running; a dropped connection stops the export and closes its connection', async () => {
    const { abort } = await startSlowReader(base, 'drop-test-1');
    const running = await progressOf(base, 'drop-test-1');
    expect(running.body).toMatchObject({ state: 'running', resourceId: 'export_logs', format: 'csv' });
    expect(running.body.rows).toBeGreaterThan(0);
    expect((await stalledProgress(base, 'drop-test-1')).rows).toBeLessThan(150_000);
    expect(await exportBackends(base)).toBe(1);
    expect((await progressOf(base, 'drop-test-1', base.viewer)).status).toBe(404);

    abort.abort();
    expect((await eventually(() => progressOf(base, 'drop-test-1'), (p) => p.body.state !== 'running')).body.state).toBe('cancelled');
    expect(await eventually(() => exportBackends(base), (n) => n === 0)).toBe(0);
  });

  it.each(['csv', 'xlsx'])('a %s export waits for a client that reads slowly instead of buffering the rest', async (format) => {
    const abort = downloadAbort();
    const exportId = `slow-reader-${format}`;
    const response = await fetch(`${base.baseUrl}/admin/export/export_logs?format=${format}&exportId=${exportId}`, { headers: { cookie: base.admin }, signal: abort.signal });
    await response.body!.getReader().read();
    // Socket and fetch buffers take some megabytes (XLSX is compressed: more rows); once they are
    // full the server must say it waits for the client, with rows still left to write.
    expect((await stalledProgress(base, exportId)).rows).toBeLessThan(150_000);
    abort.abort();
    expect((await eventually(() => progressOf(base, exportId), (p) => p.body.state !== 'running')).body.state).toBe('cancelled');
  });

  it('the cancel endpoint stops a running export: the download ends unfinished', async () => {
    const { reader } = await startSlowReader(base, 'cancel-test-1');
    const viewerTry = await fetch(`${base.baseUrl}/admin/export/progress/cancel-test-1/cancel`, { method: 'POST', headers: { cookie: base.viewer } });
    expect(viewerTry.status).toBe(404);
    const cancel = await fetch(`${base.baseUrl}/admin/export/progress/cancel-test-1/cancel`, { method: 'POST', headers: { cookie: base.admin } });
    expect(await cancel.json()).toEqual({ cancelled: true });
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return 'complete';
      })(),
    ).rejects.toThrow();
    expect((await progressOf(base, 'cancel-test-1')).body.state).toBe('cancelled');
    expect(await eventually(() => exportBackends(base), (n) => n === 0)).toBe(0);
  });

  it('a client gone during a slow query cancels the query itself, not only the connection', async () => {
    const abort = downloadAbort();
    const pending = fetch(`${base.baseUrl}/admin/export/slow_ledger?exportId=slow-test-1`, { headers: { cookie: base.admin }, signal: abort.signal });
    const sleeping = `SELECT count(*)::int AS n FROM pg_stat_activity
                      WHERE query LIKE '%pg_sleep($1)%' AND state = 'active' AND datname = current_database() AND pid <> pg_backend_pid()`;
    const count = async () => (await base.db.sequelize.query<{ n: number }>(sleeping, { type: QueryTypes.SELECT }))[0]!.n;
    expect(await eventually(count, (n) => n === 1)).toBe(1);
    abort.abort();
    await expect(pending).rejects.toThrow();
    // The query sleeps an hour: only a cancelled query leaves pg_stat_activity within the test's deadline.
    expect(await eventually(count, (n) => n === 0)).toBe(0);
    expect((await eventually(() => progressOf(base, 'slow-test-1'), (p) => p.body.state !== 'running')).body.state).toBe('cancelled');
  });

  it('a complete export reports done with every row', async () => {
    const response = await fetch(`${base.baseUrl}/admin/export/export_logs?format=ndjson&fields=id&exportId=full-test-1`, { headers: { cookie: base.admin } });
    const lines = (await response.text()).split('\n').filter(Boolean).length;
    expect(lines).toBe(150_000);
    expect((await progressOf(base, 'full-test-1')).body).toMatchObject({ state: 'done', rows: 150_000 });
    expect(await eventually(() => exportBackends(base), (n) => n === 0)).toBe(0);
  });
});
