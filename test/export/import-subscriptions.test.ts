import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { insertSubscription, insertUser, one } from '../support/fixtures.js';
import { importFile } from './import-support.js';
import { download, startExportTestApp, type ExportTestApp } from './support.js';

let base: ExportTestApp;
beforeAll(async () => {
  base = await startExportTestApp();
});
afterAll(() => base.close());

async function userNamed(id: number): Promise<{ username: string; email: string }> {
  return one(base.db.sequelize, 'SELECT username, email FROM users WHERE id = $1', [id]) as Promise<{ username: string; email: string }>;
}

it('lets finance correct a quota by re-importing an edited export, never the debited usage', async () => {
  const userId = await insertUser(base.db.sequelize);
  const id = await insertSubscription(base.db.sequelize, userId, { quota: 1_000 });
  await base.db.sequelize.query('UPDATE subscriptions SET tokens_used = 250 WHERE id = $1', { bind: [id] });

  const exported = await download(base, 'subscriptions', `format=csv&fields=id,userId,plan,tokenQuota,tokensUsed&filters.userId=${userId}`);
  expect(exported.status).toBe(200);
  const [header, row] = exported.body.toString('utf8').trim().split(/\r?\n/);
  expect(header).toBe('Id,User,Plan,Token quota,Tokens used'); // trim() took the BOM
  const edited = `${header}\n${row!.replace(/,1000,250$/, ',5000,0')}`;

  const { body } = await importFile(base, 'subscriptions', 'subscriptions.csv', edited);
  expect(body.importReport).toMatchObject({ rows: 1, updated: 1, failed: 0, committed: true, ignoredColumns: ['tokensUsed'] });
  expect(await one(base.db.sequelize, 'SELECT token_quota, tokens_used FROM subscriptions WHERE id = $1', [id])).toEqual({ token_quota: '5000', tokens_used: '250' });

  const refused = await importFile(base, 'subscriptions', 'subscriptions.csv', edited, { cookie: base.viewer });
  expect(refused.status).toBeGreaterThanOrEqual(400);
});

it('exports Token quota and the user by default, so the default export round-trips through an edit (CSV and XLSX)', async () => {
  const userId = await insertUser(base.db.sequelize);
  const id = await insertSubscription(base.db.sequelize, userId, { quota: 2_000, from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') });
  const user = await userNamed(userId);

  const csv = await download(base, 'subscriptions', `format=csv&filters.userId=${userId}`);
  const [record] = parse(csv.body, { bom: true, columns: true }) as Record<string, string>[];
  expect(Object.keys(record!)).toEqual(['Id', 'User', 'User name', 'User email', 'Plan', 'Token quota', 'Tokens used', 'Cost used', 'Period start', 'Period end', 'Canceled at']);
  expect(record).toMatchObject({ Id: String(id), User: String(userId), 'User name': user.username, 'User email': user.email, 'Token quota': '2000', 'Period start': '2026-11-01T00:00:00.000Z' });
  const edited = csv.body.toString('utf8').replace(',2000,', ',2500,');
  const fromCsv = await importFile(base, 'subscriptions', 'edited.csv', edited);
  expect(fromCsv.body.importReport).toMatchObject({ rows: 1, updated: 1, unchanged: 0, failed: 0, committed: true });
  expect(fromCsv.body.importReport!.ignoredColumns.sort()).toEqual(['costUsedUsd', 'tokensUsed', 'user.email', 'user.username']);
  expect(await one(base.db.sequelize, 'SELECT token_quota FROM subscriptions WHERE id = $1', [id])).toEqual({ token_quota: '2500' });

  const xlsx = await download(base, 'subscriptions', `format=xlsx&filters.userId=${userId}`);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  expect((sheet.getRow(1).values as unknown[]).slice(1, 7)).toEqual(['Id', 'User', 'User name', 'User email', 'Plan', 'Token quota']);
  sheet.getRow(2).getCell(6).value = 3000;
  const fromXlsx = await importFile(base, 'subscriptions', 'edited.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
  expect(fromXlsx.body.importReport).toMatchObject({ rows: 1, updated: 1, failed: 0, committed: true });
  expect(await one(base.db.sequelize, "SELECT token_quota, period_start = timestamptz '2026-11-01 00:00:00+00' AS same_start FROM subscriptions WHERE id = $1", [id])).toEqual({ token_quota: '3000', same_start: true });
});

it('says what is wrong in the panel\'s words (a negative quota, a user that does not exist) and writes nothing', async () => {
  const userId = await insertUser(base.db.sequelize);
  const id = await insertSubscription(base.db.sequelize, userId, { quota: 1_000 });
  const missing = userId + 100_000;
  const csv = [
    'Id,User,Plan,Token quota,Period start,Period end',
    `${id},${userId},pro,-5,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z`,
    `,${missing},pro,10,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z`,
  ].join('\n');
  const invalid = await importFile(base, 'subscriptions', 'bad.csv', csv);
  expect(invalid.body.importReport!.errors).toEqual([{ line: 2, field: 'tokenQuota', message: 'Token quota must be at least 0' }]);
  expect(invalid.body.notice!.message).toBe('Nothing imported: 1 of 2 rows is invalid (line 2: Token quota must be at least 0).');

  const fixed = csv.replace(',-5,', ',5,');
  const refused = await importFile(base, 'subscriptions', 'fk.csv', fixed);
  expect(refused.body.importReport).toMatchObject({ committed: false, created: 0, updated: 0, failed: 1 });
  expect(refused.body.importReport!.errors).toEqual([{ line: 3, field: 'userId', message: `User ${missing} does not exist` }]);
  expect(refused.body.notice!.message).toBe(`Nothing imported: 1 of 2 rows is invalid (line 3: User ${missing} does not exist).`);
  // The good row before the refused one was rolled back with it.
  expect(await one(base.db.sequelize, 'SELECT token_quota FROM subscriptions WHERE id = $1', [id])).toEqual({ token_quota: '1000' });
});
