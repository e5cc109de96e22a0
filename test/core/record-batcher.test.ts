import { randomUUID } from 'node:crypto';
import { createTracker, MAX_EVENT_AGE_LIMIT_MS, UnknownUserError, type UsageEvent } from '../../src/core/index.js';
import { createRecordBatcher } from '../../src/core/record-batcher.js';
import { createRecordStatement, type RecordStatement } from '../../src/core/record-event-statement.js';
import { brokenInvariants, insertBudget } from '../budgets/support.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aggregateMismatches, insertSubscription, insertUser, one } from '../support/fixtures.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const event = (overrides: Partial<UsageEvent>): UsageEvent => ({ section: 'chat', modelName: 'gemini-2.5-flash', promptTokens: 100, completionTokens: 20, responseTimeMs: 900, ...overrides });

/** The real record statement, counting how many events each call carried. */
function countingStatement(): { statement: RecordStatement; batchSizes: number[] } {
  const real = createRecordStatement(db.sequelize, 'integer');
  const batchSizes: number[] = [];
  return {
    batchSizes,
    statement: {
      run(events, transaction) {
        batchSizes.push(events.length);
        return real.run(events, transaction);
      },
    },
  };
}

describe('record batching', () => {
  it('records concurrent events in fewer statements, with aggregates, billing and budgets equal to the logs', async () => {
    const users = [await insertUser(db.sequelize), await insertUser(db.sequelize), await insertUser(db.sequelize)];
    for (const userId of users) await insertSubscription(db.sequelize, userId, { quota: 1_000_000 });
    const budgetId = await insertBudget(db.sequelize, { limitUsd: '1000', period: 'day' });
    const { statement, batchSizes } = countingStatement();
    const tracker = createTracker({ sequelize: db.sequelize });
    const batcher = createRecordBatcher(statement, { maxConcurrent: 2, maxBatch: 16 });
    const sections = ['chat', 'knowledge_qa', 'prompt_generation'];

    // Through the tracker's own batcher (its statement is not observable) and through a counted one.
    await Promise.all(Array.from({ length: 120 }, (_, i) => tracker.track(event({ userId: users[i % 3], section: sections[i % 3], promptTokens: 100 + i }))));
    const prepared = Array.from({ length: 200 }, (_, i) => ({ id: randomUUID(), i }));
    const rows = await Promise.all(prepared.map(({ id, i }) => batcher.submit(id, { id, values: boundValues(id, users[i % 3]!, sections[(i + 1) % 3]!, 200 + i) })));

    expect(rows.every((row) => row !== null)).toBe(true);
    expect(batchSizes.reduce((a, b) => a + b, 0)).toBe(200);
    expect(batchSizes.length).toBeLessThan(200);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(16);
    expect(await aggregateMismatches(db.sequelize)).toEqual([]);
    const billing = await one<{ drift: string }>(
      db.sequelize,
      `SELECT count(*) AS drift FROM subscriptions s
       WHERE s.tokens_used <> (SELECT COALESCE(sum(total_tokens), 0) FROM ai_usage_logs l WHERE l.user_id = s.user_id)`,
    );
    expect(billing.drift).toBe('0');
    expect(await brokenInvariants(db.sequelize)).toEqual([]);
    const usage = await one<{ used_usd: string }>(db.sequelize, 'SELECT used_usd::text FROM ai_budget_usage WHERE budget_id = $1', [budgetId]);
    const logged = await one<{ cost: string }>(db.sequelize, 'SELECT sum(cost_usd)::text AS cost FROM ai_usage_logs');
    expect(usage.used_usd).toBe(logged.cost);
  });

  it('a bad event in a batch fails alone, with its own error', async () => {
    const userId = await insertUser(db.sequelize);
    const tracker = createTracker({ sequelize: db.sequelize, batching: { maxConcurrent: 1 } });
    const missingUser = 2_000_000_000;
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => tracker.track(event({ userId: i === 17 ? missingUser : userId }))));
    const rejected = results.flatMap((r, i) => (r.status === 'rejected' ? [[i, r.reason]] : []));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]![0]).toBe(17);
    expect(rejected[0]![1]).toBeInstanceOf(UnknownUserError);
    expect(await one(db.sequelize, 'SELECT count(*)::int AS n FROM ai_usage_logs WHERE user_id = $1', [userId])).toEqual({ n: 29 });
  });

  it('the same id twice at once is recorded once, the other is a duplicate', async () => {
    const userId = await insertUser(db.sequelize);
    const tracker = createTracker({ sequelize: db.sequelize, batching: { maxConcurrent: 1 } });
    const id = randomUUID();
    const createdAt = new Date();
    const results = await Promise.all([
      tracker.track(event({ userId })),
      tracker.track(event({ id, userId, createdAt })),
      tracker.track(event({ id, userId, createdAt })),
      tracker.track(event({ userId })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'recorded', 'recorded', 'recorded']);
    expect(await one(db.sequelize, 'SELECT request_count::int AS n FROM ai_usage_tracking WHERE user_id = $1', [userId])).toEqual({ n: 3 });
  });

  it('gives each event of a batch its own place in the subscription, so the quota warning comes once', async () => {
    const userId = await insertUser(db.sequelize);
    await insertSubscription(db.sequelize, userId, { quota: 550 });
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message), error: () => {} };
    const tracker = createTracker({ sequelize: db.sequelize, logger, batching: { maxConcurrent: 1 }, maxEventAgeMs: MAX_EVENT_AGE_LIMIT_MS });
    // A first event occupies the only statement slot, so the next ten wait and go as one batch.
    const results = await Promise.all(Array.from({ length: 11 }, () => tracker.track(event({ userId, promptTokens: 80, completionTokens: 20 }))));
    expect(results.map((r) => r.subscription!.tokensUsed).sort((a, b) => a - b)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100]);
    expect(warnings.filter((w) => w.includes('went over quota'))).toEqual([expect.stringContaining('went over quota: 600 of 550 tokens')]);
  });
});

/** Bind values of a plain priced-as-free flash event, in recordedColumns() order. */
function boundValues(id: string, userId: number, section: string, promptTokens: number): unknown[] {
  const total = promptTokens + 20;
  return [id, userId, section, 'gemini-2.5-flash', promptTokens, 20, 0, 0, total, 900, true, null, '{}', '0.000001000000', new Date(), 'priced', 0, 0, 'standard', null, null];
}
