import { QueryTypes } from 'sequelize';
import { createTracker, type Tracker } from '../../src/core/index.js';
import { AGGREGATE_COLUMNS } from '../../src/core/reconcile/reconcile-sql.js';
import { reconcile, ReconcileOptionError } from '../../src/core/reconcile/reconcile.js';
import { SUMMED } from '../../src/core/record-event-sql.js';
import { randomUUID } from 'node:crypto';
import { createBudgetGate } from '../../src/core/index.js';
import { brokenInvariants, insertBudget, usageOf } from '../budgets/support.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aggregateMismatches, insertSubscription, insertUser, one } from '../support/fixtures.js';

let db: TestDatabase;
let tracker: Tracker;
let userId: number;
let subscriptionId: number;
const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
beforeAll(async () => {
  db = await createTestDatabase({ poolMax: 6 });
  tracker = createTracker({ sequelize: db.sequelize, logger: { warn: () => {}, error: () => {} } });
  userId = await insertUser(db.sequelize);
  subscriptionId = await insertSubscription(db.sequelize, userId, { quota: 10_000_000 });
  for (let i = 0; i < 30; i += 1) {
    await tracker.track({
      userId: i % 3 === 0 ? null : userId, section: i % 2 ? 'chat' : 'knowledge_qa', modelName: i % 5 ? 'gemini-2.5-flash' : 'an-unpriced-model',
      promptTokens: 100 + i, completionTokens: 10 + i, thoughtsTokens: i % 4, responseTimeMs: 20 + i, success: i % 7 !== 0,
      createdAt: new Date(Date.now() - (i % 3) * 86_400_000 - 60_000),
    });
  }
});
afterAll(() => db.drop());

const q = <T extends object>(sql: string, bind: unknown[] = []) => db.sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT });
const range = { from: day(3), to: day(0) };

it('recomputes exactly the columns the record statement sums', () => {
  expect(AGGREGATE_COLUMNS).toEqual(SUMMED.map(([column]) => column));
  expect(AGGREGATE_COLUMNS).toEqual(expect.arrayContaining(['request_count', 'total_tokens', 'cost_usd', 'unpriced_request_count']));
});

it('finds no drift in a ledger written by the tracker', async () => {
  expect(await reconcile(db.sequelize, range)).toEqual({ applied: false, aggregates: [], subscriptions: [], skippedSubscriptions: [], budgets: [], skippedBudgets: [] });
});

it('reports every injected drift (a changed sum, a lost key, a phantom key, a wrong debit) and fixes them all in one apply', async () => {
  const [changed] = await q<{ id: number; user_id: number | null; date: string; section: string; model_name: string; total_tokens: string; cost_usd: string }>(
    `SELECT id, user_id, to_char(date, 'YYYY-MM-DD') AS date, section, model_name, total_tokens::text, cost_usd::text FROM ai_usage_tracking WHERE user_id IS NOT NULL AND model_name = 'gemini-2.5-flash' ORDER BY id LIMIT 1`,
  );
  await db.sequelize.query(`UPDATE ai_usage_tracking SET total_tokens = total_tokens + 5, cost_usd = cost_usd + 0.000001 WHERE id = $1`, { bind: [changed!.id] });
  const [lost] = await q<{ id: number; user_id: null; date: string; section: string; model_name: string; request_count: string }>(
    `DELETE FROM ai_usage_tracking WHERE user_id IS NULL AND id = (SELECT min(id) FROM ai_usage_tracking WHERE user_id IS NULL) RETURNING id, user_id, to_char(date, 'YYYY-MM-DD') AS date, section, model_name, request_count::text`,
  );
  await db.sequelize.query(`INSERT INTO ai_usage_tracking (user_id, date, section, model_name, request_count, total_tokens) VALUES (NULL, $1, 'chat', 'phantom-model', 3, 900)`, { bind: [day(1)] });
  await db.sequelize.query(`UPDATE subscriptions SET tokens_used = tokens_used + 42 WHERE id = $1`, { bind: [subscriptionId] });
  expect((await aggregateMismatches(db.sequelize)).length).toBe(3);

  const dry = await reconcile(db.sequelize, range);
  expect(dry.applied).toBe(false);
  expect(dry.aggregates).toHaveLength(3);
  expect(dry.aggregates).toEqual(expect.arrayContaining([
    { userId: changed!.user_id, date: changed!.date, section: changed!.section, modelName: changed!.model_name, columns: [
      { column: 'total_tokens', actual: String(Number(changed!.total_tokens) + 5), expected: changed!.total_tokens },
      { column: 'cost_usd', actual: expect.any(String), expected: expect.any(String) },
    ] },
    expect.objectContaining({ userId: null, date: lost!.date, section: lost!.section, modelName: lost!.model_name, columns: expect.arrayContaining([{ column: 'request_count', actual: null, expected: lost!.request_count }]) }),
    expect.objectContaining({ userId: null, date: day(1), section: 'chat', modelName: 'phantom-model', columns: expect.arrayContaining([{ column: 'total_tokens', actual: '900', expected: null }]) }),
  ]));
  expect(dry.subscriptions).toEqual([{ subscriptionId, userId, tokensUsed: { actual: expect.any(String), expected: expect.any(String) }, costUsedUsd: expect.any(Object) }]);
  expect(Number(dry.subscriptions[0]!.tokensUsed.actual) - Number(dry.subscriptions[0]!.tokensUsed.expected)).toBe(42);
  expect((await aggregateMismatches(db.sequelize)).length).toBe(3);

  const applied = await reconcile(db.sequelize, { ...range, apply: true });
  expect(applied.applied).toBe(true);
  expect(applied.aggregates).toHaveLength(3);
  expect(await aggregateMismatches(db.sequelize)).toEqual([]);
  const debited = await one<{ tokens: string }>(db.sequelize, `SELECT sum(total_tokens)::text AS tokens FROM ai_usage_logs WHERE user_id = $1`, [userId]);
  expect(await one(db.sequelize, `SELECT tokens_used::text AS tokens FROM subscriptions WHERE id = $1`, [subscriptionId])).toEqual(debited);
  expect(await reconcile(db.sequelize, range)).toEqual({ applied: false, aggregates: [], subscriptions: [], skippedSubscriptions: [], budgets: [], skippedBudgets: [] });
});

it('an apply racing 40 concurrent tracker writes loses none of them: afterwards every aggregate equals its logs', async () => {
  await db.sequelize.query(`UPDATE ai_usage_tracking SET request_count = request_count + 1 WHERE id = (SELECT max(id) FROM ai_usage_tracking)`);
  const writes = Array.from({ length: 40 }, (_, i) => tracker.track({ userId, section: 'chat', modelName: 'gemini-2.5-flash', promptTokens: 10, completionTokens: i, responseTimeMs: 5 }));
  const [result] = await Promise.all([reconcile(db.sequelize, { ...range, apply: true }), ...writes]);
  expect((result as { applied: boolean }).applied).toBe(true);
  expect(await aggregateMismatches(db.sequelize)).toEqual([]);
  expect(await reconcile(db.sequelize, range)).toMatchObject({ aggregates: [], subscriptions: [], budgets: [] });
});

it('refuses bad ranges with a typed error', async () => {
  await expect(reconcile(db.sequelize, { from: '2026-02-30', to: '2026-03-01' })).rejects.toThrow(ReconcileOptionError);
  await expect(reconcile(db.sequelize, { from: '2026-03-02', to: '2026-03-01' })).rejects.toThrow(/is after/);
});

it('reports budget counters that differ from the ledger they settle or from their live holds, and fixes them', async () => {
  const budgetId = await insertBudget(db.sequelize, { name: 'reconciled', userId, limitTokens: 100_000_000, period: 'month' });
  const gate = createBudgetGate({ sequelize: db.sequelize });
  const inFlight = { eventId: randomUUID(), userId, section: 'chat', modelName: 'gemini-2.5-flash', at: new Date(), hold: { usd: '0.001000000000', tokens: 500 } };
  await gate.reserve(inFlight);
  expect(await reconcile(db.sequelize, range)).toMatchObject({ budgets: [] });

  const [before] = await usageOf(db.sequelize, budgetId);
  await db.sequelize.query('UPDATE ai_budget_usage SET used_tokens = used_tokens + 7, reserved_tokens = reserved_tokens + 3 WHERE budget_id = $1', { bind: [budgetId] });
  const dry = await reconcile(db.sequelize, range);
  expect(dry.budgets).toEqual([
    {
      budgetId, budgetName: 'reconciled', periodStart: before!.period_start, periodEnd: expect.any(Date),
      columns: [
        { column: 'used_tokens', actual: String(Number(before!.used_tokens) + 7), expected: before!.used_tokens },
        { column: 'reserved_tokens', actual: '503', expected: '500' },
      ],
    },
  ]);
  expect(await brokenInvariants(db.sequelize)).toHaveLength(1);

  // A counter row lost altogether: the logs of its period call for it.
  await db.sequelize.query('DELETE FROM ai_budget_holds WHERE budget_id = $1', { bind: [budgetId] });
  await db.sequelize.query('DELETE FROM ai_budget_usage WHERE budget_id = $1', { bind: [budgetId] });
  const lost = await reconcile(db.sequelize, range);
  expect(lost.budgets).toEqual([expect.objectContaining({ budgetId, columns: expect.arrayContaining([{ column: 'used_tokens', actual: null, expected: before!.used_tokens }]) })]);
  expect((await reconcile(db.sequelize, { ...range, apply: true })).budgets).toHaveLength(1);
  expect(await usageOf(db.sequelize, budgetId)).toEqual([expect.objectContaining({ used_tokens: before!.used_tokens, used_usd: expect.any(String), reserved_tokens: '0' })]);
  expect(await brokenInvariants(db.sequelize)).toEqual([]);
  expect(await reconcile(db.sequelize, range)).toMatchObject({ budgets: [] });
});
