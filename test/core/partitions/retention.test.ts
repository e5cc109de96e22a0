import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { QueryTypes } from 'sequelize';
import { createTracker, type Tracker } from '../../../src/core/index.js';
import { applyRetention, listLogPartitions, maintainLogPartitions, partitionsHealth, loadPartitionsConfig, RetentionOptionError } from '../../../src/core/partitions/index.js';
import { reconcile, LogsDroppedError } from '../../../src/core/reconcile/reconcile.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { aggregateMismatches, insertUser, one } from '../../support/fixtures.js';

let db: TestDatabase;
let tracker: Tracker;
let archiveDir: string;
const NOW = new Date('2026-12-03T12:00:00Z');
beforeAll(async () => {
  db = await createTestDatabase({ poolMax: 4 });
  tracker = createTracker({ sequelize: db.sequelize, logger: { warn: () => {}, error: () => {} }, maxEventAgeMs: 20 * 365 * 86_400_000 });
  archiveDir = await mkdtemp(path.join(tmpdir(), 'h3-retention-'));
  await maintainLogPartitions(db.sequelize, { from: new Date('2026-05-01T00:00:00Z'), now: NOW });
  const userId = await insertUser(db.sequelize);
  // 2026-05 to 2026-11: the n-th month gets n events, some with odd text for the archive (quotes, newlines, unicode).
  for (const [index, month] of ['05', '06', '07', '08', '09', '10', '11'].entries()) {
    for (let i = 0; i <= index; i += 1) {
      await tracker.track({
        userId: i % 2 ? userId : null, section: 'chat', modelName: 'gemini-2.5-flash', promptTokens: 100 + i, completionTokens: 7, responseTimeMs: 40 + i,
        success: i !== 1, errorMessage: i === 1 ? 'quota "exceeded"\nline two \\ ünïcode' : null, metadata: { i, note: 'a\u2028b' },
        createdAt: new Date(`2026-${month}-0${1 + i}T0${i}:00:00.${100 + i}Z`),
      });
    }
  }
});
afterAll(async () => {
  await db.drop();
  await rm(archiveDir, { recursive: true, force: true });
});

const q = <T extends object>(sql: string, bind: unknown[] = []) => db.sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT });
const aggregates = () => q(`SELECT * FROM ai_usage_tracking ORDER BY id`);
const monthsPresent = async () => (await listLogPartitions(db.sequelize)).flatMap((p) => (p.month ? [p.month] : []));

it('dry run: lists the partitions older than the kept months with their row counts, and changes nothing', async () => {
  const before = await monthsPresent();
  const result = await applyRetention(db.sequelize, { keepMonths: 3, actor: 'test', now: NOW });
  expect(result.applied).toBe(false);
  expect(result.keepFrom).toBe('2026-10');
  expect(result.partitions).toEqual([
    { partition: 'ai_usage_logs_y2026m05', month: '2026-05', rows: 1, dropped: false },
    { partition: 'ai_usage_logs_y2026m06', month: '2026-06', rows: 2, dropped: false },
    { partition: 'ai_usage_logs_y2026m07', month: '2026-07', rows: 3, dropped: false },
    { partition: 'ai_usage_logs_y2026m08', month: '2026-08', rows: 4, dropped: false },
    { partition: 'ai_usage_logs_y2026m09', month: '2026-09', rows: 5, dropped: false },
  ]);
  expect(await monthsPresent()).toEqual(before);
  await expect(applyRetention(db.sequelize, { keepMonths: 0, actor: 'test', now: NOW })).rejects.toThrow(RetentionOptionError);
});

it('apply with archive: each partition written as gzipped NDJSON that loads back into the table row for row, then detached and dropped; aggregates untouched; the months recorded', async () => {
  const aggregatesBefore = await aggregates();
  const rowsBefore = await q<{ line: string }>(`SELECT row_to_json(l)::text AS line FROM ai_usage_logs AS l WHERE created_at < '2026-10-01T00:00:00Z' ORDER BY created_at, id`);
  expect(rowsBefore).toHaveLength(15);

  const result = await applyRetention(db.sequelize, { keepMonths: 3, archiveDir, apply: true, actor: 'test', now: NOW });
  expect(result.partitions.map((p) => [p.month, p.rows, p.dropped, path.basename(p.archiveFile!)])).toEqual([
    ['2026-05', 1, true, 'ai_usage_logs_y2026m05.ndjson.gz'],
    ['2026-06', 2, true, 'ai_usage_logs_y2026m06.ndjson.gz'],
    ['2026-07', 3, true, 'ai_usage_logs_y2026m07.ndjson.gz'],
    ['2026-08', 4, true, 'ai_usage_logs_y2026m08.ndjson.gz'],
    ['2026-09', 5, true, 'ai_usage_logs_y2026m09.ndjson.gz'],
  ]);
  expect((await readdir(archiveDir)).sort()).toEqual(result.partitions.map((p) => path.basename(p.archiveFile!)));
  expect(await monthsPresent()).not.toEqual(expect.arrayContaining(['2026-09']));
  expect(await one(db.sequelize, `SELECT count(*)::int AS n FROM ai_usage_logs WHERE created_at < '2026-10-01T00:00:00Z'`)).toEqual({ n: 0 });
  expect(await aggregates()).toEqual(aggregatesBefore);
  expect(await q(`SELECT to_char(month, 'YYYY-MM') AS month, row_count::int AS rows, dropped_by FROM ai_usage_log_dropped_months ORDER BY month`)).toEqual([
    { month: '2026-05', rows: 1, dropped_by: 'test' }, { month: '2026-06', rows: 2, dropped_by: 'test' }, { month: '2026-07', rows: 3, dropped_by: 'test' },
    { month: '2026-08', rows: 4, dropped_by: 'test' }, { month: '2026-09', rows: 5, dropped_by: 'test' },
  ]);

  // The archive reads back: each line is JSON, and PostgreSQL loads it into a table of the log's shape identical to what was dropped.
  const lines = (await Promise.all(result.partitions.map(async (p) => gunzipSync(await readFile(p.archiveFile!)).toString('utf8').trimEnd().split('\n')))).flat();
  expect(lines.map((line) => JSON.parse(line).id).sort()).toEqual(rowsBefore.map((r) => JSON.parse(r.line).id).sort());
  await db.sequelize.query('CREATE TABLE restored (LIKE ai_usage_logs)');
  await db.sequelize.query(`INSERT INTO restored SELECT * FROM jsonb_populate_recordset(NULL::restored, $1::jsonb)`, { bind: [`[${lines.join(',')}]`] });
  const restored = await q<{ line: string }>(`SELECT row_to_json(r)::text AS line FROM restored AS r ORDER BY created_at, id`);
  expect(restored.map((r) => r.line.replace(/^\{/, ''))).toEqual(rowsBefore.map((r) => r.line.replace(/^\{/, '')));
  await db.sequelize.query('DROP TABLE restored');

  // Running it again finds nothing more to drop; maintenance does not bring a dropped month back.
  expect((await applyRetention(db.sequelize, { keepMonths: 3, apply: true, actor: 'test', now: NOW })).partitions).toEqual([]);
  await maintainLogPartitions(db.sequelize, { from: new Date('2026-05-01T00:00:00Z'), now: NOW });
  expect(await monthsPresent()).not.toEqual(expect.arrayContaining(['2026-05']));
});

it('a late event of a dropped month lands in the default partition, stays there and is warned about; reconcile refuses that month', async () => {
  await tracker.track({ section: 'chat', modelName: 'gemini-2.5-flash', promptTokens: 1, completionTokens: 1, responseTimeMs: 1, createdAt: new Date('2026-08-15T00:00:00Z') });
  await maintainLogPartitions(db.sequelize, { now: NOW });
  const health = await partitionsHealth(db.sequelize, loadPartitionsConfig({ AI_USAGE_RETENTION_KEEP_MONTHS: '3' }));
  expect(health).toMatchObject({ defaultRows: 1, retention: { keepMonths: 3, archive: false, droppedMonths: 5, lastDroppedMonth: '2026-09' } });
  expect(health.warning).toMatch(/default partition/);
  await expect(reconcile(db.sequelize, { from: '2026-09-20', to: '2026-10-05' })).rejects.toThrow(LogsDroppedError);
  await expect(reconcile(db.sequelize, { from: '2026-09-20', to: '2026-10-05' })).rejects.toThrow(/2026-09 were dropped by retention/);
  expect((await reconcile(db.sequelize, { from: '2026-10-01', to: '2026-12-31' })).aggregates).toEqual([]);
  // Only the logs that are still there are compared with their aggregates.
  expect((await aggregateMismatches(db.sequelize)).length).toBeGreaterThan(0);
});
