import { randomUUID } from 'node:crypto';
import { BudgetExceededError, createBudgetGate } from '../../src/core/index.js';
import { callsParameter, ensureSql, reserveSql } from '../../src/core/budgets/reserve-sql.js';
import { withPgClient } from '../../src/core/pg-client.js';
import { OWN_USERS } from '../../src/core/users/user-reference.cjs';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertUser } from '../support/fixtures.js';
import { brokenInvariants, insertBudget, usageOf } from './support.js';

let db: TestDatabase;
let userId: number;
beforeAll(async () => {
  db = await createTestDatabase();
  userId = await insertUser(db.sequelize);
});
afterAll(() => db.drop());
beforeEach(async () => {
  await db.sequelize.query('DELETE FROM ai_budgets WHERE subscription_id IS NULL');
  await db.sequelize.query('TRUNCATE ai_budget_holds, ai_budget_usage');
});
afterEach(async () => expect(await brokenInvariants(db.sequelize)).toEqual([]));

const call = (tokens: number, over: { userId?: number } = {}) => ({
  eventId: randomUUID(),
  userId: over.userId ?? userId,
  section: 'chat',
  modelName: 'gemini-2.5-flash',
  at: new Date(),
  hold: { usd: '0.001000000000', tokens },
});
type Call = ReturnType<typeof call>;

interface Row {
  ord: number;
  targets: number;
  found: number;
  outcome: string | null;
  held: number;
  budget_id: number | null;
  fits: boolean | null;
  reserved_tokens: string | null;
}

/** One execution of the reserve statement for `calls`, as the gate runs it. */
function reserveStatement(calls: Call[], ensure = true): Promise<Row[]> {
  const json = callsParameter(calls);
  return withPgClient(db.sequelize, async (client) => {
    if (ensure) await client.query({ text: ensureSql(OWN_USERS), values: [json, 'enforce'] });
    return (await client.query<Row>({ text: reserveSql(OWN_USERS), values: [json, 'enforce', 60] })).rows;
  });
}

describe('the reserve statement for a batch of calls', () => {
  it('judges the calls in order, as if one after another: holds a prefix, refuses what cannot fit, leaves the rest to retry', async () => {
    const budget = await insertBudget(db.sequelize, { userId, limitTokens: 2500 });
    const nobody = await insertUser(db.sequelize); // no budget applies to this user's calls
    const rows = await reserveStatement([call(1000), call(1000), call(1000), call(400), call(10_000), call(5, { userId: nobody })]);
    expect(rows.map((r) => [r.ord, r.outcome, r.held, r.budget_id, r.fits, r.reserved_tokens])).toEqual([
      [1, 'held', 1, budget, true, '0'],
      [2, 'held', 1, budget, true, '1000'],
      // Refused on top of the held calls alone, and says so: they count as reserved.
      [3, 'refused', 0, budget, false, '2000'],
      // Would fit on top of the held calls: the gate runs it again alone.
      [4, 'retry', 0, budget, true, '2000'],
      [5, 'refused', 0, budget, false, '2000'],
      [6, null, 0, null, null, null],
    ]);
    expect((await usageOf(db.sequelize, budget))[0]).toMatchObject({ reserved_tokens: '2000' });
  });

  it('changes nothing while a counter row is missing, and says how many', async () => {
    const budget = await insertBudget(db.sequelize, { userId, limitTokens: 2500 });
    await db.sequelize.query('DELETE FROM ai_budget_usage');
    const rows = await reserveStatement([call(10), call(20)], false);
    expect(rows.map((r) => [r.targets, r.found, r.held])).toEqual([
      [2, 0, 0],
      [2, 0, 0],
    ]);
    expect(await usageOf(db.sequelize, budget)).toEqual([]);
  });
});

describe('the gate, with concurrent calls sharing statements', () => {
  it('takes a model name with a lone surrogate as UTF-8 would (U+FFFD) instead of failing the batch', async () => {
    const budget = await insertBudget(db.sequelize, { userId, limitTokens: 2500 });
    const gate = createBudgetGate({ sequelize: db.sequelize });
    const calls = [call(100), { ...call(100), modelName: 'gemini-\ud800-flash' }];
    expect(await Promise.all(calls.map((c) => gate.reserve(c)))).toEqual([expect.objectContaining({ held: 1 }), expect.objectContaining({ held: 1 })]);
    expect((await usageOf(db.sequelize, budget))[0]).toMatchObject({ reserved_tokens: '200' });
  });

  it('gives every call the outcome it would get alone, in arrival order: no overshoot, no false block', async () => {
    const budget = await insertBudget(db.sequelize, { userId, limitTokens: 2500 });
    const gate = createBudgetGate({ sequelize: db.sequelize, batching: { maxConcurrent: 1 } });
    const outcomes = await Promise.all(
      [1000, 1000, 1000, 400, 200].map((tokens) =>
        gate.reserve(call(tokens)).then(
          () => 'held',
          (error: unknown) => (error instanceof BudgetExceededError ? `refused with ${error.reserved.tokens} reserved` : error),
        ),
      ),
    );
    // The 400 fits after the refusal; then the 200 does not (2400 + 200 > 2500).
    expect(outcomes).toEqual(['held', 'held', 'refused with 2000 reserved', 'held', 'refused with 2400 reserved']);
    expect((await usageOf(db.sequelize, budget))[0]).toMatchObject({ reserved_tokens: '2400' });
  });
});
