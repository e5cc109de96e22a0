import { createSequelize } from '../../src/core/database.js';
import { createMigrator } from '../../src/core/migrator.js';
import { BUILTIN_MIGRATION_DIRS } from '../../src/runtime/builtin-plugins.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ poolMax: 2 });
});
afterAll(() => db.drop());

const tables = async () =>
  (await db.sequelize.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`, { type: 'SELECT' as never })).map((r) => r.tablename);

it('undoes every migration (plugins\' first) and applies them again, recording each in SequelizeMeta', async () => {
  const migrator = createMigrator(db.sequelize, BUILTIN_MIGRATION_DIRS);
  const applied = (await migrator.executed()).map((m) => m.name);
  expect(applied.length).toBeGreaterThanOrEqual(2);

  await migrator.down({ to: 0 });
  expect(await tables()).toEqual(['SequelizeMeta']);

  await migrator.up();
  expect((await migrator.executed()).map((m) => m.name)).toEqual(applied);
  expect(await tables()).toEqual(expect.arrayContaining(['ai_usage_logs', 'ai_usage_tracking', 'api_tokens', 'session', 'subscriptions', 'users', 'chat_conversations', 'knowledge_pages', 'prompt_generations']));
});

it('makes the daily key NULLS NOT DISTINCT and indexes the log for the panel', async () => {
  const [key] = await db.sequelize.query<{ def: string }>(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'ai_usage_tracking_key'`,
    { type: 'SELECT' as never },
  );
  expect(key!.def).toBe('UNIQUE NULLS NOT DISTINCT (user_id, date, section, model_name)');
  const indexes = (await db.sequelize.query<{ def: string }>(`SELECT indexdef AS def FROM pg_indexes WHERE tablename = 'ai_usage_logs'`, { type: 'SELECT' as never })).map((r) => r.def.replace(/^.* USING /, ''));
  expect(indexes).toEqual(
    expect.arrayContaining([
      'btree (created_at DESC)',
      'btree (section, created_at)',
      'btree (user_id, created_at)',
      'btree (model_name, created_at)',
      'btree (created_at DESC) WHERE (success = false)',
    ]),
  );
});

it('migrates a fresh database once when two app instances start together (the second waits for the first)', async () => {
  const empty = await createTestDatabase({ empty: true, poolMax: 2 });
  const other = createSequelize(empty.url, { poolMax: 2 });
  try {
    const names = createMigrator(empty.sequelize, BUILTIN_MIGRATION_DIRS).migrations(empty.sequelize.getQueryInterface()).then((list) => list.map((m) => m.name));
    // Without the lock the second fails with 'relation "users" already exists' (seen with two `npm start`).
    await Promise.all([createMigrator(empty.sequelize, BUILTIN_MIGRATION_DIRS).up(), createMigrator(other, BUILTIN_MIGRATION_DIRS).up()]);
    const recorded = await empty.sequelize.query<{ name: string }>('SELECT name FROM "SequelizeMeta" ORDER BY name', { type: 'SELECT' as never });
    expect(recorded.map((r) => r.name)).toEqual([...(await names)].sort());
  } finally {
    await other.close();
    await empty.drop();
  }
});
