import { jest } from '@jest/globals';
import { QueryTypes } from 'sequelize';
import { hashPassword } from '../../src/admin/authenticate.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { loginToPanel } from '../support/http.js';
import { startServerProcess, type ServerProcess } from '../security/support/server-process.js';
import { seedLogs } from './support.js';

// Two `npm start` processes (src/server.ts) on one database, as behind a load balancer: an export
// runs on one, is watched and cancelled through the other, and both count against the same caps.

// Scoped to this test's own database: other apps and tests export on the same server.
const EXPORT_BACKENDS = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'adminjs-ai-usage export' AND datname = current_database()`;

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

jest.setTimeout(180_000);

let db: TestDatabase;
let a: ServerProcess;
let b: ServerProcess;
const cookies: Record<'boss' | 'chief' | 'third', string> = { boss: '', chief: '', third: '' };
const downloads: AbortController[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const hash = await hashPassword('instances-pass');
  await db.sequelize.query(
    `INSERT INTO users (email, username, role, password_hash) VALUES ('boss@example.com', 'boss', 'admin', $1), ('chief@example.com', 'chief', 'admin', $1), ('third@example.com', 'third', 'admin', $1)`,
    { bind: [hash] },
  );
  await seedLogs(db, 150_000);
  const env = { DATABASE_URL: db.url, AI_USAGE_EXPORTS_PER_USER: '1', AI_USAGE_EXPORTS_TOTAL: '2' };
  // One after the other: two instances starting at the same moment can deadlock in startup (see the notes).
  a = await startServerProcess(env);
  b = await startServerProcess(env);
  // One login, used on both instances: the session lives in PostgreSQL, as behind a load balancer.
  for (const name of ['boss', 'chief', 'third'] as const) cookies[name] = await loginToPanel(a.baseUrl, `${name}@example.com`, 'instances-pass');
}, 180_000);

afterAll(async () => {
  downloads.forEach((abort) => abort.abort());
  await Promise.all([a?.stop(), b?.stop()]);
  await db?.drop();
}, 60_000);

const exportBackends = async () => (await db.sequelize.query<{ n: number }>(EXPORT_BACKENDS, { type: QueryTypes.SELECT }))[0]!.n;

/** Starts a CSV export of every log and reads only its first chunk: the server then waits for the client, holding its connection. */
async function startExport(server: ServerProcess, cookie: string, exportId: string) {
  const abort = new AbortController();
  downloads.push(abort);
  const response = await fetch(`${server.baseUrl}/admin/export/ai_usage_logs?format=csv&fields=id&exportId=${exportId}`, { headers: { cookie }, signal: abort.signal });
  if (response.status !== 200) return { status: response.status, body: (await response.json()) as { error: string } };
  const reader = response.body!.getReader();
  await reader.read();
  return { status: 200, reader, abort };
}

async function progress(server: ServerProcess, cookie: string, exportId: string) {
  const response = await fetch(`${server.baseUrl}/admin/export/progress/${exportId}`, { headers: { cookie } });
  return { status: response.status, body: (await response.json()) as { state?: string; rows?: number; waitingForClient?: boolean; resourceId?: string; error?: string } };
}

it('caps exports per user and in total over both instances, shows progress on the other one and cancels through it', async () => {
  // Four starts of one user at once, two through each instance: the per-user cap (1) lets exactly one run.
  const ids = ['race-a-1', 'race-b-1', 'race-a-2', 'race-b-2'];
  const servers = [a, b, a, b];
  const starts = await Promise.all(ids.map((id, i) => startExport(servers[i]!, cookies.boss, id)));
  expect(starts.map((s) => s.status).sort()).toEqual([200, 429, 429, 429]);
  for (const refused of starts.filter((s) => s.status === 429)) {
    expect(refused.body!.error).toBe('You already run 1 export, the most one user may run at once. Wait for one to finish or cancel it, then try again.');
  }
  const winner = starts.findIndex((s) => s.status === 200);
  const runsOn = servers[winner]!;
  const other = runsOn === a ? b : a;
  const exportId = ids[winner]!;

  // The other instance sees its progress, up to the point where the export waits for the client.
  const watched = await eventually(() => progress(other, cookies.boss, exportId), (p) => p.body.waitingForClient === true || p.body.state !== 'running');
  expect(watched.body).toMatchObject({ state: 'running', resourceId: 'ai_usage_logs', waitingForClient: true });
  expect(watched.body.rows).toBeGreaterThan(0);
  expect(watched.body.rows).toBeLessThan(150_000);
  // A refused start is visible too (the export dialog shows why).
  const refusedId = ids[starts.findIndex((s) => s.status === 429)]!;
  expect((await progress(runsOn, cookies.boss, refusedId)).body).toMatchObject({ state: 'refused', rows: 0 });
  // Only its owner sees it.
  expect((await progress(other, cookies.chief, exportId)).status).toBe(404);

  // The total cap (2) counts both instances: a second user fills it on the other instance, a third is refused on the first.
  const chief = await startExport(other, cookies.chief, 'chief-export-1');
  expect(chief.status).toBe(200);
  const third = await startExport(runsOn, cookies.third, 'third-export-1');
  expect(third).toMatchObject({ status: 429, body: { error: '2 exports are running, the most the server runs at once. Try again in a few minutes.' } });
  expect(await eventually(exportBackends, (n) => n === 2)).toBe(2);

  // Cancelled through the instance that does not run it: the download on the other ends, its connection is released.
  const cancel = await fetch(`${other.baseUrl}/admin/export/progress/${exportId}/cancel`, { method: 'POST', headers: { cookie: cookies.boss } });
  expect(await cancel.json()).toEqual({ cancelled: true });
  const { reader } = starts[winner]!;
  await expect(
    (async () => {
      for (;;) if ((await reader!.read()).done) return 'complete';
    })(),
  ).rejects.toThrow();
  expect((await progress(runsOn, cookies.boss, exportId)).body.state).toBe('cancelled');
  expect(await eventually(exportBackends, (n) => n === 1)).toBe(1);

  // Its slot is free again, on either instance.
  const again = await startExport(other, cookies.boss, 'boss-again-1');
  expect(again.status).toBe(200);
  again.abort!.abort();
  chief.abort!.abort();
  expect((await eventually(() => progress(runsOn, cookies.chief, 'chief-export-1'), (p) => p.body.state !== 'running')).body.state).toBe('cancelled');
  expect(await eventually(exportBackends, (n) => n === 0)).toBe(0);
});

it("a dead instance's running export holds no slot: without heartbeats it stops counting and reads failed", async () => {
  const [boss] = await db.sequelize.query<{ id: number }>(`SELECT id FROM users WHERE email = 'boss@example.com'`, { type: QueryTypes.SELECT });
  // What a killed instance leaves behind: a running row whose last heartbeat is long past.
  await db.sequelize.query(
    `INSERT INTO admin_exports (id, owner, resource_id, format, state, instance_id, rows, started_at, heartbeat_at)
     VALUES ('killed-instance-1', $1, 'ai_usage_logs', 'csv', 'running', 'gone', 5000, now() - interval '2 hours', now() - interval '1 hour')`,
    { bind: [String(boss!.id)] },
  );
  expect((await progress(b, cookies.boss, 'killed-instance-1')).body).toMatchObject({ state: 'failed', rows: 5000, error: 'the app instance running this export stopped responding' });
  expect((await fetch(`${b.baseUrl}/admin/export/progress/killed-instance-1/cancel`, { method: 'POST', headers: { cookie: cookies.boss } })).status).toBe(404);
  const fresh = await startExport(a, cookies.boss, 'after-kill-1');
  expect(fresh.status).toBe(200);
  const [row] = await db.sequelize.query<{ state: string }>(`SELECT state FROM admin_exports WHERE id = 'killed-instance-1'`, { type: QueryTypes.SELECT });
  expect(row).toEqual({ state: 'failed' });
  fresh.abort!.abort();
  expect((await eventually(() => progress(b, cookies.boss, 'after-kill-1'), (p) => p.body.state !== 'running')).body.state).toBe('cancelled');
});
