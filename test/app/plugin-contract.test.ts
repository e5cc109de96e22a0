import { readdirSync } from 'node:fs';
import { createApp, type App } from '../../src/app.js';
import { CORE_MIGRATIONS_DIR } from '../../src/core/migrator.js';
import { hashPassword } from '../../src/admin/authenticate.js';
import { loadConfig } from '../../src/config.js';
import { issueApiToken } from '../../src/core/api-tokens.js';
import { definePlugin } from '../../src/plugin.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertUser, one } from '../support/fixtures.js';
import { listenOnFreePort, loginToPanel } from '../support/http.js';
import { widgetPlugin } from '../fixtures/widget-plugin/index.js';

const silent = { info: () => {}, error: () => {} };
const config = loadConfig({ NODE_ENV: 'test' });

describe('definePlugin', () => {
  it('refuses a bad name, a non-function hook and a relative migrations path', () => {
    expect(() => definePlugin({ name: 'Bad Name' })).toThrow('definePlugin: name must match');
    expect(() => definePlugin({ name: 'ok', routes: 'nope' as never })).toThrow('plugin ok: routes must be a function');
    expect(() => definePlugin({ name: 'ok', migrations: 'migrations' })).toThrow('plugin ok: migrations must be an absolute path');
  });
});

describe('createApp startup errors', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('refuses a plugin registered twice', async () => {
    await expect(createApp({ databaseUrl: db.url, config, logger: silent, plugins: [widgetPlugin, widgetPlugin] })).rejects.toThrow('createApp: plugin "widget" is registered twice');
  });

  it('refuses a section that another plugin or the core already registered', async () => {
    const clash = definePlugin({ name: 'clash', sections: [{ id: 'chat', label: 'Chat again', color: '#000000', defaultModel: 'gemini-2.5-flash' }] });
    await expect(createApp({ databaseUrl: db.url, config, logger: silent, plugins: [clash] })).rejects.toThrow('plugin clash: section "chat" is already registered');
  });

  it('refuses a value not made by definePlugin', async () => {
    await expect(createApp({ databaseUrl: db.url, config, logger: silent, plugins: [{ name: 'raw' } as never] })).rejects.toThrow('made with definePlugin');
  });
});

describe('a plugin registered with createApp', () => {
  let db: TestDatabase;
  let app: App;
  let baseUrl: string;
  let userId: number;
  let token: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createApp({ databaseUrl: db.url, config, logger: silent, plugins: [widgetPlugin] });
    baseUrl = await listenOnFreePort(app);
    userId = await insertUser(db.sequelize);
    token = await issueApiToken(app.core.ApiToken, userId);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('ran its migration, recorded in SequelizeMeta with the core ones', async () => {
    const rows = await db.sequelize.query<{ name: string }>('SELECT name FROM "SequelizeMeta" ORDER BY name', { type: 'SELECT' as never });
    const core = readdirSync(CORE_MIGRATIONS_DIR).filter((f) => f.endsWith('.cjs'));
    const names = rows.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining([...core, '20261124100001-widget-create-items.cjs']));
    const widgetTable = await db.sequelize.query(`SELECT 1 FROM pg_tables WHERE tablename = 'widget_items'`, { type: 'SELECT' as never });
    expect(widgetTable).toHaveLength(1);
  });

  it('registered its section in the tracker', () => {
    expect(app.tracker.sections.get('widget_design').label).toBe('Widget design');
  });

  it('serves its routes under /api to a bearer token, attributing usage to its user', async () => {
    const response = await fetch(`${baseUrl}/api/widgets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'blue' }),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: number; usageId: string };
    const log = await one<Record<string, unknown>>(db.sequelize, 'SELECT user_id, section, metadata FROM ai_usage_logs WHERE id = $1', [body.usageId]);
    expect(log).toEqual({ user_id: userId, section: 'widget_design', metadata: { widget_id: body.id } });
  });

  it('answers 401 without a token or with a wrong one', async () => {
    for (const authorization of [undefined, 'Bearer aiu_wrong', 'Basic abc']) {
      const response = await fetch(`${baseUrl}/api/widgets`, { method: 'POST', headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'unauthorized' });
    }
  });

  it('runs its jobs through pg-boss', async () => {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const sent = await fetch(`${baseUrl}/api/widgets/jobs`, { method: 'POST', headers, body: JSON.stringify({ label: 'red' }) });
    const { jobId } = (await sent.json()) as { jobId: string };
    let status: { state: string; output: unknown } | undefined;
    for (let i = 0; i < 100 && status?.state !== 'completed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await (await fetch(`${baseUrl}/api/widgets/jobs/${jobId}`, { headers })).json()) as typeof status;
    }
    expect(status).toMatchObject({ state: 'completed', output: { polished: 'RED' } });
    const log = await one<{ n: number }>(db.sequelize, `SELECT count(*)::int AS n FROM ai_usage_logs WHERE metadata->>'async' = 'true' AND user_id = $1`, [userId]);
    expect(log.n).toBe(1);
  });

  it('keeps the panel behind a login and lists its resource next to the core ones', async () => {
    const anonymous = await fetch(`${baseUrl}/admin/api/resources/widget_items/actions/list`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/admin/login');

    await db.sequelize.query(`INSERT INTO users (email, username, role, password_hash) VALUES ('root@example.com', 'root', 'admin', $1)`, { bind: [await hashPassword('s3cret-pass')] });
    await expect(loginToPanel(baseUrl, 'root@example.com', 'wrong')).rejects.toThrow('login as root@example.com failed');
    const cookie = await loginToPanel(baseUrl, 'ROOT@example.com', 's3cret-pass');
    const list = await fetch(`${baseUrl}/admin/api/resources/widget_items/actions/list`, { headers: { cookie } });
    expect(list.status).toBe(200);
    const session = await one<{ n: number }>(db.sequelize, 'SELECT count(*)::int AS n FROM session');
    expect(session.n).toBe(1);
  });

  it('refuses panel login to a customer account even with the right password', async () => {
    await db.sequelize.query(`INSERT INTO users (email, username, role, password_hash) VALUES ('customer@example.com', 'customer', 'user', $1)`, { bind: [await hashPassword('s3cret-pass')] });
    await expect(loginToPanel(baseUrl, 'customer@example.com', 's3cret-pass')).rejects.toThrow('failed');
  });
});
