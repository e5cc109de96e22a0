import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryTypes } from 'sequelize';
import { loadDashboard, parseDashboardRange } from '../../src/admin/dashboard/dashboard-data.js';
import { readLogListParams } from '../../src/admin/ai-usage-log/filters.js';
import { prepareLogQuery } from '../../src/admin/ai-usage-log/query.js';
import { loadConfig } from '../../src/config.js';
import { InvalidEventError, UnknownUserError } from '../../src/core/errors.js';
import { USER_LOOKUP, userLookupJoinSql, userReferenceOf } from '../../src/core/users/user-sql.js';
import { startGeminiSimulator, type GeminiSimulator } from '../../src/gemini/index.js';
import { createAiUsage, type AiUsage } from '../../src/mount/index.js';
import { BUILTIN_PLUGINS } from '../../src/runtime/builtin-plugins.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const silent = { info: () => {}, error: () => {} };
const ADA = 'a3f1c2d4-0000-4000-8000-000000000001';
const GRACE = 'a3f1c2d4-0000-4000-8000-000000000002';

const columnOf = (db: TestDatabase, table: string) =>
  db.sequelize.query<{ data_type: string; fk: string | null }>(
    // Constraint names repeat across tables (each log partition has its parent's key): join on both.
    `SELECT c.data_type,
            (SELECT DISTINCT ccu.table_name FROM information_schema.table_constraints tc
               JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name
               JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.constraint_schema = tc.constraint_schema
             WHERE tc.table_name = $1 AND k.column_name = 'user_id' AND tc.constraint_type = 'FOREIGN KEY') AS fk
     FROM information_schema.columns c WHERE c.table_name = $1 AND c.column_name = 'user_id'`,
    { bind: [table], type: QueryTypes.SELECT },
  );

describe("the ledger on a host's uuid accounts table", () => {
  let db: TestDatabase;
  let simulator: GeminiSimulator;
  let ledger: AiUsage;

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    await db.sequelize.query(`CREATE TABLE accounts (id uuid PRIMARY KEY, display_name text NOT NULL, email_address text NOT NULL)`);
    await db.sequelize.query(`INSERT INTO accounts VALUES ('${ADA}', 'Ada Lovelace', 'ada@host.example'), ('${GRACE}', 'Grace Hopper', 'grace@host.example')`);
    simulator = await startGeminiSimulator();
    ledger = await createAiUsage({
      sequelize: db.sequelize,
      plugins: BUILTIN_PLUGINS,
      config: loadConfig({ NODE_ENV: 'test' }),
      logger: silent,
      gemini: { apiKey: simulator.apiKey, baseUrl: simulator.url, simulator },
      users: { table: 'accounts', idType: 'uuid', nameColumn: 'display_name', emailColumn: 'email_address', resourceId: 'accounts' },
    });
  });

  afterAll(async () => {
    await ledger?.close();
    await simulator?.close();
    await db?.drop();
  });

  it('creates no users table of its own, and every user_id (core and built-in plugins) is a uuid referencing accounts', async () => {
    const [users] = await db.sequelize.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'users'`, { type: QueryTypes.SELECT });
    expect(users!.n).toBe(0);
    for (const table of ['ai_usage_logs', 'ai_usage_tracking', 'subscriptions', 'api_tokens', 'chat_conversations', 'knowledge_pages', 'prompt_generations']) {
      expect({ table, columns: await columnOf(db, table) }).toEqual({ table, columns: [{ data_type: 'uuid', fk: 'accounts' }] });
    }
  });

  it('records uuid users, refuses unknown ones and ids of the wrong type', async () => {
    await expect(ledger.tracker.track({ userId: ADA, section: 'chat', promptTokens: 10, completionTokens: 5, responseTimeMs: 40 })).resolves.toMatchObject({ status: 'recorded' });
    await expect(ledger.tracker.track({ userId: 'a3f1c2d4-0000-4000-8000-00000000beef', section: 'chat', responseTimeMs: 1 })).rejects.toBeInstanceOf(UnknownUserError);
    await expect(ledger.tracker.track({ userId: 7, section: 'chat', responseTimeMs: 1 })).rejects.toBeInstanceOf(InvalidEventError);
  });

  it("searches by the host's name and email columns, and the dashboard names the user", async () => {
    await ledger.tracker.track({ userId: GRACE, section: 'chat', promptTokens: 99, responseTimeMs: 5 });
    const find = async (search: string) => {
      const query = await prepareLogQuery(db.sequelize, readLogListParams({ q: search }), { sections: ledger.sections.list() });
      return db.sequelize.query<{ user_id: string }>(`SELECT user_id FROM ai_usage_logs ${query.whereSql}`, { bind: query.bind, type: QueryTypes.SELECT });
    };
    expect((await find('lovelace')).map((r) => r.user_id)).toEqual([ADA]);
    expect((await find('grace@host')).map((r) => r.user_id)).toEqual([GRACE]);
    const dashboard = await loadDashboard(db.sequelize, ledger.sections, parseDashboardRange({ days: '1' }));
    expect(dashboard.topUsers.map((u) => u.username).sort()).toEqual(['Ada Lovelace', 'Grace Hopper']);
    expect(dashboard.usersResourceId).toBe('accounts');
  });

  it("gives exports the host user's name and email through one join", async () => {
    const join = userLookupJoinSql(userReferenceOf(db.sequelize), 'l.user_id');
    const rows = await db.sequelize.query(
      `SELECT l.user_id, ${USER_LOOKUP.alias}.${USER_LOOKUP.name} AS name, ${USER_LOOKUP.alias}.${USER_LOOKUP.email} AS email FROM ai_usage_logs l ${join} ORDER BY name`,
      { type: QueryTypes.SELECT },
    );
    expect(rows).toEqual([
      { user_id: ADA, name: 'Ada Lovelace', email: 'ada@host.example' },
      { user_id: GRACE, name: 'Grace Hopper', email: 'grace@host.example' },
    ]);
  });

  it("serves the usage API to the host's user through resolveUser, and refuses to mount without it", async () => {
    expect(() => ledger.apiRouter()).toThrow('resolveUser');
    const app = express();
    app.use('/ai', ledger.apiRouter({ resolveUser: (req) => (req.get('x-account') ? { id: req.get('x-account')!, email: '', role: 'user' } : null) }));
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/ai/usage`, { headers: { 'x-account': ADA } });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { user: { id: string; email: string; name: string } };
      expect(body.user).toEqual({ id: ADA, email: 'ada@host.example', name: 'Ada Lovelace' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the ledger on users it cannot see (text ids, no table)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
  });
  afterAll(() => db?.drop());

  it('creates no foreign key and records any text id', async () => {
    const ledger = await createAiUsage({ sequelize: db.sequelize, config: loadConfig({ NODE_ENV: 'test' }), logger: silent, gemini: { apiKey: 'k', baseUrl: 'http://127.0.0.1:9' }, users: { idType: 'text' } });
    try {
      expect(await columnOf(db, 'ai_usage_logs')).toEqual([{ data_type: 'text', fk: null }]);
      await expect(ledger.tracker.track({ userId: 'auth0|12345', section: 'chat', responseTimeMs: 3 })).resolves.toMatchObject({ status: 'recorded' });
      const query = await prepareLogQuery(db.sequelize, readLogListParams({ q: 'auth0' }), { sections: ledger.sections.list() });
      expect(query.whereSql).not.toContain('users');
    } finally {
      await ledger.close();
    }
  });
});
