import { hashPassword } from '../../src/admin/authenticate.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { listenOnFreePort, loginToPanel } from '../support/http.js';
import { ledgerPlugin } from './fixtures/ledger-plugin/index.js';

export interface ExportTestApp {
  db: TestDatabase;
  app: App;
  baseUrl: string;
  /** Session cookies of a logged-in admin and viewer. */
  admin: string;
  viewer: string;
  close(): Promise<void>;
}

const silent = { info: () => {}, error: () => {} };

/** The application with the ledger test plugin on its own database, an admin and a viewer logged in; `env` adds configuration (a panel time zone). */
export async function startExportTestApp(env: Record<string, string> = {}): Promise<ExportTestApp> {
  const db = await createTestDatabase();
  const app = await createApp({ databaseUrl: db.url, config: loadConfig({ NODE_ENV: 'test', ...env }), logger: silent, plugins: [ledgerPlugin] });
  const baseUrl = await listenOnFreePort(app);
  const hash = await hashPassword('export-pass');
  await db.sequelize.query(
    `INSERT INTO users (email, username, role, password_hash) VALUES ('boss@example.com', 'boss', 'admin', $1), ('reader@example.com', 'reader', 'viewer', $1)`,
    { bind: [hash] },
  );
  const admin = await loginToPanel(baseUrl, 'boss@example.com', 'export-pass');
  const viewer = await loginToPanel(baseUrl, 'reader@example.com', 'export-pass');
  return {
    db,
    app,
    baseUrl,
    admin,
    viewer,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

/**
 * Inserts `count` log rows with distinct created_at (one minute apart), three sections, three
 * models, a failure every seventh row, users for two rows in three, and text that spreadsheets
 * would take for formulas.
 */
export async function seedLogs(db: TestDatabase, count: number): Promise<void> {
  await db.sequelize.query(`INSERT INTO users (email, username, role) VALUES ('alice@example.com', 'alice', 'user'), ('bob@example.com', 'bob', 'user')`);
  await db.sequelize.query(
    `INSERT INTO ai_usage_logs (id, user_id, section, model_name, prompt_tokens, completion_tokens, thoughts_tokens, cached_tokens,
                                total_tokens, response_time_ms, success, error_message, metadata, cost_usd, created_at)
     SELECT md5('log' || i)::uuid,
            CASE i % 3 WHEN 0 THEN NULL WHEN 1 THEN (SELECT id FROM users WHERE username = 'alice') ELSE (SELECT id FROM users WHERE username = 'bob') END,
            (ARRAY['chat', 'knowledge_qa', 'prompt_generation'])[1 + i % 3],
            (ARRAY['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-2.0-flash'])[1 + (i / 3) % 3],
            100 + i, 20 + i % 50, i % 4, 0, 120 + 2 * i + i % 4, 200 + (i * 37) % 5000,
            i % 7 <> 0,
            CASE WHEN i % 7 = 0 THEN (ARRAY['=HYPERLINK("http://evil")', '+1+2', '-cmd', '@SUM(A1)', E'\\tlead', 'quota "exceeded", retry'])[1 + (i / 7) % 6] END,
            jsonb_build_object('n', i, 'note', CASE WHEN i % 5 = 0 THEN '=1+1' ELSE 'ok' END),
            CASE WHEN i % 11 = 0 THEN NULL ELSE round((i * 0.000123)::numeric, 6) END,
            timestamptz '2026-11-01 00:00:00+00' + i * interval '1 minute' + (i % 1000) * interval '1 millisecond'
     FROM generate_series(1, $1) AS i`,
    { bind: [count] },
  );
}

/** Every record id the panel's list shows for a query string, page after page. */
export async function listIds(base: ExportTestApp, resourceId: string, query: string, perPage = 50): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const response = await fetch(`${base.baseUrl}/admin/api/resources/${resourceId}/actions/list?${query}&perPage=${perPage}&page=${page}`, { headers: { cookie: base.admin } });
    if (response.status !== 200) throw new Error(`list ${resourceId}?${query}: ${response.status}`);
    const body = (await response.json()) as { records: { id: string }[]; meta: { total: number }; notice?: { message: string; type: string } };
    if (body.notice?.type === 'error') throw new Error(`list ${resourceId}?${query}: ${body.notice.message}`);
    ids.push(...body.records.map((record) => String(record.id)));
    if (ids.length >= body.meta.total || body.records.length === 0) return ids;
  }
}

/** GETs an export (status, headers and raw bytes). */
export async function download(base: ExportTestApp, resourceId: string, query: string, cookie = base.admin): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const response = await fetch(`${base.baseUrl}/admin/export/${resourceId}?${query}`, { headers: { cookie }, redirect: 'manual' });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

/** The records of an NDJSON export. */
export function ndjsonRecords(body: Buffer): Record<string, unknown>[] {
  return body
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
