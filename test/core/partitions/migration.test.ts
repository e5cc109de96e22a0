import { QueryTypes } from 'sequelize';
import { createMigrator } from '../../../src/core/migrator.js';
import { createTracker } from '../../../src/core/index.js';
import { BUILTIN_MIGRATION_DIRS } from '../../../src/runtime/builtin-plugins.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { aggregateMismatches, insertSubscription, insertUser, one } from '../../support/fixtures.js';

const PARTITIONING = '202612040301-partition-usage-logs.cjs';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ poolMax: 3 });
});
afterAll(() => db.drop());

const q = <T extends object>(sql: string, bind: unknown[] = []) => db.sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT });
const kind = async () => (await one<{ kind: string }>(db.sequelize, `SELECT relkind::text AS kind FROM pg_class WHERE oid = 'ai_usage_logs'::regclass`)).kind;
/** Every row's full content, in a stable order: equal fingerprints mean no row lost, added or changed. */
const fingerprint = async () => one<{ n: string; digest: string }>(db.sequelize, `SELECT count(*) AS n, md5(string_agg(l::text, '|' ORDER BY id)) AS digest FROM ai_usage_logs AS l`);
const aggregates = () => q(`SELECT * FROM ai_usage_tracking ORDER BY id`);
const primaryKey = async () => (await one<{ def: string }>(db.sequelize, `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'ai_usage_logs_pkey'`)).def;
const indexes = async () => (await q<{ def: string }>(`SELECT regexp_replace(pg_get_indexdef(indexrelid), '^.* USING ', '') AS def FROM pg_index WHERE indrelid = 'ai_usage_logs'::regclass ORDER BY 1`)).map((r) => r.def);

it('converts a populated table: every row kept in its month, aggregates untouched, keys, indexes, checks, foreign keys and trigger kept; down and up again', async () => {
  const migrator = createMigrator(db.sequelize, BUILTIN_MIGRATION_DIRS);
  await migrator.down({ to: PARTITIONING });
  expect(await kind()).toBe('r');
  expect(await primaryKey()).toBe('PRIMARY KEY (id)');
  const plainIndexes = await indexes();

  // A populated ledger written by the statement of that schema (conflict on id): 3 users, 7 months back.
  const userIds = [await insertUser(db.sequelize), await insertUser(db.sequelize), await insertUser(db.sequelize)];
  await insertSubscription(db.sequelize, userIds[0]!, { from: new Date(Date.now() - 400 * 86_400_000), to: new Date(Date.now() + 30 * 86_400_000) });
  await db.sequelize.query(
    `INSERT INTO ai_usage_logs (id, user_id, section, model_name, prompt_tokens, completion_tokens, thoughts_tokens, cached_tokens, total_tokens,
       response_time_ms, success, error_message, metadata, cost_usd, cost_status, created_at)
     SELECT gen_random_uuid(), CASE WHEN n % 4 = 0 THEN NULL ELSE ($1::int[])[1 + n % 3] END, (ARRAY['chat', 'knowledge_qa'])[1 + n % 2], 'gemini-2.5-flash',
            100 + n, 20, n % 7, 0, 120 + n + n % 7, 50 + n % 900, n % 9 <> 0, CASE WHEN n % 9 = 0 THEN 'boom ' || n END,
            jsonb_build_object('n', n), CASE WHEN n % 11 = 0 THEN NULL ELSE round(n * 0.0000137, 10) END,
            CASE WHEN n % 11 = 0 THEN 'unpriced' ELSE 'priced' END, now() - n * interval '1 hour'
     FROM generate_series(1, 5000) AS n`,
    { bind: [userIds] },
  );
  await db.sequelize.query(
    `INSERT INTO ai_usage_tracking (user_id, date, section, model_name, request_count, success_count, failure_count, unpriced_request_count,
        prompt_tokens, completion_tokens, thoughts_tokens, cached_tokens, total_tokens, total_response_time_ms, cost_usd)
     SELECT user_id, (created_at AT TIME ZONE 'UTC')::date, section, model_name, count(*), count(*) FILTER (WHERE success), count(*) FILTER (WHERE NOT success),
            count(*) FILTER (WHERE cost_status = 'unpriced'), sum(prompt_tokens), sum(completion_tokens), sum(thoughts_tokens), sum(cached_tokens),
            sum(total_tokens), sum(response_time_ms), COALESCE(sum(cost_usd), 0)
     FROM ai_usage_logs GROUP BY 1, 2, 3, 4`,
  );
  expect(await aggregateMismatches(db.sequelize)).toEqual([]);
  const before = await fingerprint();
  const aggregatesBefore = await aggregates();
  expect(Number(before.n)).toBe(5000);

  await migrator.up({ to: PARTITIONING });
  expect(await kind()).toBe('p');
  expect(await fingerprint()).toEqual(before);
  expect(await aggregates()).toEqual(aggregatesBefore);
  expect(await primaryKey()).toBe('PRIMARY KEY (id, created_at)');
  expect(await indexes()).toEqual([...plainIndexes.filter((def) => def !== 'btree (id)'), 'btree (id, created_at)'].sort());
  // Every row went to its own month's partition: the default holds none, and a partition exists from the oldest month on.
  expect(await one(db.sequelize, 'SELECT count(*)::int AS n FROM ai_usage_logs_default')).toEqual({ n: 0 });
  const perPartition = await q<{ partition: string; n: number }>(`SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM ai_usage_logs GROUP BY 1 ORDER BY 1`);
  expect(perPartition.length).toBeGreaterThanOrEqual(7);
  expect(perPartition.every((p) => /^ai_usage_logs_y\d{4}m\d{2}$/.test(p.partition))).toBe(true);

  // The tracker's statement (of the latest schema) works on it (conflict target (id, created_at)), checks and foreign keys still hold.
  await migrator.up();
  const tracker = createTracker({ sequelize: db.sequelize });
  const event = { id: '00000000-0000-4000-8000-000000000001', userId: userIds[0]!, section: 'chat', modelName: 'gemini-2.5-flash', promptTokens: 10, completionTokens: 5, responseTimeMs: 7, createdAt: new Date() };
  expect((await tracker.track(event)).status).toBe('recorded');
  expect((await tracker.track(event)).status).toBe('duplicate');
  expect(await aggregateMismatches(db.sequelize)).toEqual([]);
  await expect(db.sequelize.query(`INSERT INTO ai_usage_logs (id, section, model_name, response_time_ms, success, cost_status, created_at) VALUES (gen_random_uuid(), 'chat', 'm', -1, true, 'unpriced', now())`))
    .rejects.toThrow(/ai_usage_logs_response_time_ms_check/);
  await expect(db.sequelize.query(`INSERT INTO ai_usage_logs (id, user_id, section, model_name, response_time_ms, success, cost_usd, created_at) VALUES (gen_random_uuid(), -5, 'chat', 'm', 1, true, 0, now())`))
    .rejects.toThrow(/ai_usage_logs_user_id_fkey/);
  // The cost-status trigger of plain-SQL writers survived: a row without a status gets the one its cost implies.
  const [inserted] = await q<{ cost_status: string }>(`INSERT INTO ai_usage_logs (id, section, model_name, response_time_ms, success, cost_usd, created_at) VALUES (gen_random_uuid(), 'chat', 'm', 1, true, NULL, now()) RETURNING cost_status`);
  expect(inserted!.cost_status).toBe('unpriced');
  await db.sequelize.query(`DELETE FROM ai_usage_logs WHERE model_name = 'm'`);

  const withEvent = await fingerprint();
  await migrator.down({ to: PARTITIONING });
  expect(await kind()).toBe('r');
  expect(await fingerprint()).toEqual(withEvent);
  expect(await primaryKey()).toBe('PRIMARY KEY (id)');
  expect(await indexes()).toEqual(plainIndexes);
  await migrator.up();
  expect(await kind()).toBe('p');
  expect(await fingerprint()).toEqual(withEvent);
});

it('refuses to partition while another table references a log row by id alone, and changes nothing', async () => {
  const migrator = createMigrator(db.sequelize, BUILTIN_MIGRATION_DIRS);
  await migrator.down({ to: PARTITIONING });
  await db.sequelize.query('CREATE TABLE log_notes (log_id uuid REFERENCES ai_usage_logs (id))');
  try {
    await expect(migrator.up()).rejects.toThrow(/foreign keys reference it by id alone: log_notes/);
    expect(await kind()).toBe('r');
  } finally {
    await db.sequelize.query('DROP TABLE log_notes');
    await migrator.up();
  }
  expect(await kind()).toBe('p');
});
