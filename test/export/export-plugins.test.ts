import { createApp, type App } from '../../src/app.js';
import { withExportImport } from '../../src/admin/export/index.js';
import { loadConfig } from '../../src/config.js';
import { definePlugin } from '../../src/plugin.js';
import { BUILTIN_PLUGINS } from '../../src/runtime/builtin-plugins.js';
import { seedDemo } from '../../seeders/demo.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { listenOnFreePort, loginToPanel } from '../support/http.js';
import { download, type ExportTestApp } from './support.js';

/** The shipped plugins with the feature added the one-line way a plugin author would. */
const PLUGINS = BUILTIN_PLUGINS.map((plugin) =>
  definePlugin({ ...plugin, resources: (context) => withExportImport(plugin.resources?.(context) ?? [], { componentLoader: context.componentLoader }) }),
);

describe("export on the shipped plugins' resources", () => {
  let db: TestDatabase;
  let app: App;
  let base: ExportTestApp;
  let resourceIds: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createApp({ databaseUrl: db.url, plugins: PLUGINS, config: loadConfig({ NODE_ENV: 'test', GEMINI_RETRY_ATTEMPTS: '1' }), logger: { info: () => {}, error: () => {} } });
    const baseUrl = await listenOnFreePort(app);
    const demo = await seedDemo(app, {});
    const admin = await loginToPanel(baseUrl, demo.adminEmail, demo.adminPassword);
    base = { db, app, baseUrl, admin, viewer: admin, close: async () => {} };
    resourceIds = app.plugins.flatMap(({ plugin, context }) => (plugin.resources?.(context) ?? []).map((resource) => String(resource.options?.id)));
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  /** The list's rows (id and sort key) page after page, and the sort it applied. */
  async function listed(resourceId: string, query: string) {
    const rows: { id: string; key: unknown }[] = [];
    for (let page = 1; ; page++) {
      const response = await fetch(`${base.baseUrl}/admin/api/resources/${resourceId}/actions/list?${query}&perPage=10&page=${page}`, { headers: { cookie: base.admin } });
      const body = (await response.json()) as { records: { id: string; params: Record<string, unknown> }[]; meta: { total: number; sortBy: string } };
      rows.push(...body.records.map((record) => ({ id: String(record.id), key: record.params[body.meta.sortBy] ?? null })));
      if (rows.length >= body.meta.total || body.records.length === 0) return { rows, sortBy: body.meta.sortBy };
    }
  }

  it('every plugin resource exports exactly its list: the same rows in the same sort order', async () => {
    expect(resourceIds.length).toBeGreaterThanOrEqual(4);
    for (const resourceId of resourceIds) {
      for (const query of ['', 'sortBy=id&direction=desc']) {
        const list = await listed(resourceId, query);
        expect(list.rows.length).toBeGreaterThan(0);
        const fields = list.sortBy === 'id' ? 'id' : `id,${list.sortBy}`;
        const exported = await download(base, resourceId, `${query}&format=json&fields=${fields}`);
        expect([resourceId, exported.status]).toEqual([resourceId, 200]);
        const rows = (JSON.parse(exported.body.toString('utf8')) as Record<string, unknown>[]).map((row) => ({ id: String(row.id), key: row[list.sortBy] ?? null }));
        // Rows tied on a non-unique sort key come in no defined order on the list's pages; the export orders them by id.
        expect([resourceId, query, rows.map((row) => row.id).sort()]).toEqual([resourceId, query, list.rows.map((row) => row.id).sort()]);
        expect([resourceId, query, rows.map((row) => JSON.stringify(row.key))]).toEqual([resourceId, query, list.rows.map((row) => JSON.stringify(row.key))]);
        if (list.sortBy === 'id') expect(rows.map((row) => row.id)).toEqual(list.rows.map((row) => row.id));
      }
    }
  });

  it("offers the user's name and email on every plugin resource with a user, joined from the users table", async () => {
    const [users] = (await db.sequelize.query('SELECT id, username, email FROM users')) as [{ id: number; username: string; email: string }[], unknown];
    const byId = new Map(users.map((user) => [String(user.id), user]));
    let withUsers = 0;
    for (const resourceId of resourceIds) {
      const dialog = await fetch(`${base.baseUrl}/admin/api/resources/${resourceId}/actions/export`, { headers: { cookie: base.admin } });
      const { exportDialog } = (await dialog.json()) as { exportDialog: { fields: string[]; labels: Record<string, string> } };
      if (!exportDialog.fields.includes('userId')) continue;
      withUsers += 1;
      expect(exportDialog.fields.slice(exportDialog.fields.indexOf('userId'), exportDialog.fields.indexOf('userId') + 3)).toEqual(['userId', 'user.username', 'user.email']);
      expect(exportDialog.labels).toMatchObject({ userId: 'User', 'user.username': 'User name', 'user.email': 'User email' });
      const rows = JSON.parse((await download(base, resourceId, 'format=json&fields=id,userId,user.username,user.email')).body.toString('utf8')) as Record<string, unknown>[];
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const user = byId.get(String(row.userId));
        expect([resourceId, row['user.username'], row['user.email']]).toEqual([resourceId, user?.username ?? null, user?.email ?? null]);
      }
    }
    expect(withUsers).toBeGreaterThanOrEqual(3);
  });
});
