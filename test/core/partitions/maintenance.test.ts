import { QueryTypes } from 'sequelize';
import { createTracker, type Tracker } from '../../../src/core/index.js';
import { listLogPartitions, maintainLogPartitions, partitionsHealth, loadPartitionsConfig } from '../../../src/core/partitions/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { aggregateMismatches, insertUser, one } from '../../support/fixtures.js';

let db: TestDatabase;
let tracker: Tracker;
beforeAll(async () => {
  db = await createTestDatabase({ poolMax: 4 });
  // Events years old: a backfill or a spooled replay, which the tracker takes with a wide enough window.
  tracker = createTracker({ sequelize: db.sequelize, logger: { warn: () => {}, error: () => {} }, maxEventAgeMs: 20 * 365 * 86_400_000 });
});
afterAll(() => db.drop());

const config = loadPartitionsConfig({});
const partitionOf = async (id: string) =>
  (await one<{ partition: string }>(db.sequelize, 'SELECT tableoid::regclass::text AS partition FROM ai_usage_logs WHERE id = $1', [id])).partition;
const months = async () => (await listLogPartitions(db.sequelize)).map((p) => p.month);
const event = (id: string, createdAt: string, userId: number | null = null) =>
  ({ id, userId, section: 'chat', modelName: 'gemini-2.5-flash', promptTokens: 100, completionTokens: 20, responseTimeMs: 300, createdAt: new Date(createdAt) });

it('the migration leaves this month and three ahead, plus a default partition', async () => {
  const now = new Date();
  const month = (offset: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
  expect(await months()).toEqual(expect.arrayContaining([month(0), month(1), month(2), month(3)]));
  expect((await listLogPartitions(db.sequelize)).at(-1)).toEqual({ name: 'ai_usage_logs_default', month: null });
});

it('an event of a month without a partition lands in the default one and is warned about; maintenance moves it into its month; a replay stays a no-op throughout', async () => {
  const userId = await insertUser(db.sequelize);
  const id = 'aaaaaaaa-0000-4000-8000-000000000001';
  expect((await tracker.track(event(id, '2024-03-10T12:00:00.123Z', userId))).status).toBe('recorded');
  expect(await partitionOf(id)).toBe('ai_usage_logs_default');
  const health = await partitionsHealth(db.sequelize, config);
  expect(health.defaultRows).toBe(1);
  expect(health.warning).toMatch(/1 log row\(s\) are in the default partition/);

  // A replay (same id, same createdAt) while the row sits in the default partition changes nothing.
  expect((await tracker.track(event(id, '2024-03-10T12:00:00.123Z', userId))).status).toBe('duplicate');

  const result = await maintainLogPartitions(db.sequelize, { monthsAhead: 3 });
  expect(result.created).toContain('2024-03');
  expect(result.movedRows).toBe(1);
  expect(result.defaultRows).toBe(0);
  expect(await partitionOf(id)).toBe('ai_usage_logs_y2024m03');
  expect((await partitionsHealth(db.sequelize, config)).warning).toBeNull();

  // And after the move: the conflict target (id, created_at) finds it in its new partition.
  expect((await tracker.track(event(id, '2024-03-10T12:00:00.123Z', userId))).status).toBe('duplicate');
  expect(await one(db.sequelize, 'SELECT count(*)::int AS n FROM ai_usage_logs WHERE id = $1', [id])).toEqual({ n: 1 });
  expect(await one(db.sequelize, `SELECT request_count::int AS n FROM ai_usage_tracking WHERE user_id = $1`, [userId])).toEqual({ n: 1 });
  expect(await aggregateMismatches(db.sequelize)).toEqual([]);
});

it('creates the partitions ahead as time passes, and leaves rows far beyond them in the default partition with the warning', async () => {
  const later = new Date('2031-05-15T00:00:00Z');
  const first = await maintainLogPartitions(db.sequelize, { monthsAhead: 2, now: later });
  expect(first.created).toEqual(expect.arrayContaining(['2031-05', '2031-06', '2031-07']));
  expect(await months()).toEqual(expect.arrayContaining(['2031-05', '2031-06', '2031-07']));
  // Running again (as the hourly job and other instances do) creates nothing more.
  expect((await maintainLogPartitions(db.sequelize, { monthsAhead: 2, now: later })).created).toEqual([]);

  // Written by plain SQL with a far future date: no partition covers 2040, maintenance must not invent one.
  await db.sequelize.query(`INSERT INTO ai_usage_logs (id, section, model_name, response_time_ms, success, cost_usd, created_at)
    VALUES ('bbbbbbbb-0000-4000-8000-000000000002', 'chat', 'm', 1, true, 0, '2040-01-01T00:00:00Z')`);
  expect((await maintainLogPartitions(db.sequelize, { monthsAhead: 2, now: later })).defaultRows).toBe(1);
  expect(await partitionOf('bbbbbbbb-0000-4000-8000-000000000002')).toBe('ai_usage_logs_default');
  expect((await partitionsHealth(db.sequelize, config)).warning).toMatch(/default partition/);
  await db.sequelize.query(`DELETE FROM ai_usage_logs WHERE id = 'bbbbbbbb-0000-4000-8000-000000000002'`);
});

it('two maintenance runs at once (two instances) create each partition once, without an error', async () => {
  const now = new Date('2033-01-10T00:00:00Z');
  const [a, b] = await Promise.all([maintainLogPartitions(db.sequelize, { monthsAhead: 1, now }), maintainLogPartitions(db.sequelize, { monthsAhead: 1, now })]);
  expect([...a.created, ...b.created].sort()).toEqual(['2033-01', '2033-02']);
  const names = await db.sequelize.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'ai_usage_logs'::regclass AND inhrelid::regclass::text LIKE 'ai_usage_logs_y2033%'`, { type: QueryTypes.SELECT });
  expect(names[0]!.n).toBe(2);
});

it('the maintenance job applies the configured retention and says what it dropped', async () => {
  const { runLogMaintenance } = await import('../../../src/jobs/log-maintenance.js');
  const lines: string[] = [];
  const logger = { info: (message: string) => lines.push(message), error: (message: string) => lines.push(message) };
  const withoutRetention = await runLogMaintenance(db.sequelize, config, logger);
  expect(withoutRetention.retention).toBeUndefined();
  expect(await months()).toContain('2024-03');

  const run = await runLogMaintenance(db.sequelize, loadPartitionsConfig({ AI_USAGE_RETENTION_KEEP_MONTHS: '12' }), logger);
  expect(run.retention!.dropped).toEqual([{ month: '2024-03', rows: 1, archiveFile: undefined }]);
  expect(await months()).not.toContain('2024-03');
  expect(lines).toContain('[RETENTION] dropped the logs of 2024-03 (1 rows); its daily aggregates stay');
  expect(await one(db.sequelize, `SELECT dropped_by FROM ai_usage_log_dropped_months WHERE month = '2024-03-01'`)).toEqual({ dropped_by: 'maintenance job' });
});
