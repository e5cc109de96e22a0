import { insertSubscription, insertUser, one } from '../support/fixtures.js';
import { importFile } from './import-support.js';
import { download, startExportTestApp, type ExportTestApp } from './support.js';

let base: ExportTestApp;
beforeAll(async () => {
  base = await startExportTestApp();
});
afterAll(() => base.close());

it('lets finance correct a quota by re-importing an edited export, never the debited usage', async () => {
  const userId = await insertUser(base.db.sequelize);
  const id = await insertSubscription(base.db.sequelize, userId, { quota: 1_000 });
  await base.db.sequelize.query('UPDATE subscriptions SET tokens_used = 250 WHERE id = $1', { bind: [id] });

  const exported = await download(base, 'subscriptions', `format=csv&fields=id,userId,plan,tokenQuota,tokensUsed&filters.userId=${userId}`);
  expect(exported.status).toBe(200);
  const [header, row] = exported.body.toString('utf8').trim().split(/\r?\n/);
  expect(header).toBe('id,userId,plan,tokenQuota,tokensUsed');
  const edited = `${header}\n${row!.replace(/,1000,250$/, ',5000,0')}`;

  const { body } = await importFile(base, 'subscriptions', 'subscriptions.csv', edited);
  expect(body.importReport).toMatchObject({ rows: 1, updated: 1, failed: 0, committed: true, ignoredColumns: ['tokensUsed'] });
  expect(await one(base.db.sequelize, 'SELECT token_quota, tokens_used FROM subscriptions WHERE id = $1', [id])).toEqual({ token_quota: '5000', tokens_used: '250' });

  const refused = await importFile(base, 'subscriptions', 'subscriptions.csv', edited, { cookie: base.viewer });
  expect(refused.status).toBeGreaterThanOrEqual(400);
});
