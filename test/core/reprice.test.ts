import { createPriceCatalog, createTracker, MAX_EVENT_AGE_LIMIT_MS, reprice, RepriceOptionError, upsertPrices, type Tracker, type UsageEvent } from '../../src/core/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aggregateMismatches, insertSubscription, insertUser, one } from '../support/fixtures.js';

let db: TestDatabase;
let tracker: Tracker;
let userId: number;
let subscriptionId: number;

const at = new Date('2026-11-20T10:00:00Z');
const event = (overrides: Partial<UsageEvent> = {}): UsageEvent => ({ section: 'chat', modelName: 'late-model', promptTokens: 1_000, completionTokens: 100, responseTimeMs: 500, createdAt: at, ...overrides });
const price = (inputPerMillion: number) => ({ model: 'late-model', effectiveFrom: '2026-01-01', inputPerMillion, outputPerMillion: 2, cachedInputPerMillion: 0 });
const subscriptionCost = async () => (await one<{ cost_used_usd: string }>(db.sequelize, 'SELECT cost_used_usd FROM subscriptions WHERE id = $1', [subscriptionId])).cost_used_usd;
const lateRows = () => db.sequelize.query<{ cost_status: string; cost_usd: string | null }>("SELECT cost_status, cost_usd FROM ai_usage_logs WHERE model_name = 'late-model' ORDER BY created_at, id", { type: 'SELECT' as never });
const auditCount = async () => Number((await one<{ n: string }>(db.sequelize, 'SELECT count(*) AS n FROM ai_cost_audit')).n);
const totals = () => one<Record<string, string>>(db.sequelize, "SELECT sum(cost_usd) AS cost, sum(unpriced_request_count) AS unpriced FROM ai_usage_tracking WHERE model_name = 'late-model'");

beforeAll(async () => {
  db = await createTestDatabase();
  tracker = createTracker({ sequelize: db.sequelize, maxEventAgeMs: MAX_EVENT_AGE_LIMIT_MS, logger: { warn: () => {}, error: () => {} }, prices: createPriceCatalog(db.sequelize, { refreshMs: 0 }) });
  userId = await insertUser(db.sequelize);
  subscriptionId = await insertSubscription(db.sequelize, userId, { from: new Date('2026-11-01'), to: new Date('2026-12-01') });
  await tracker.track(event({ userId }));
  await tracker.track(event({ userId, createdAt: new Date('2026-11-21T10:00:00Z') }));
  await tracker.track(event({ createdAt: new Date('2026-11-22T10:00:00Z') }));
  await tracker.track(event({ userId, modelName: 'gemini-2.5-flash' }));
});
afterAll(() => db.drop());

it('reports per model in a dry run, writes nothing, and says which rows still have no price', async () => {
  expect(await reprice(db.sequelize, { actor: 'test' })).toEqual({ applied: false, appliedRows: 0, models: [{ model: 'late-model', rows: 3, changed: 0, stillUnpriced: 3, deltaUsd: '0.000000000000' }] });
  await upsertPrices(db.sequelize, [price(1)], 'test');
  // 3 rows x (1,000 x $1 + 100 x $2 per 1M)
  expect((await reprice(db.sequelize, { actor: 'test' })).models).toEqual([{ model: 'late-model', rows: 3, changed: 3, stillUnpriced: 0, deltaUsd: '0.003600000000' }]);
  expect((await lateRows()).map((r) => r.cost_status)).toEqual(['unpriced', 'unpriced', 'unpriced']);
  expect(await auditCount()).toBe(0);
});

it('applies: logs, aggregates and the subscription move by the same delta, with an audit row per change', async () => {
  const before = await subscriptionCost();
  const summary = await reprice(db.sequelize, { actor: 'cli:test', apply: true, batchSize: 2 });
  expect(summary).toMatchObject({ applied: true, appliedRows: 3, models: [{ model: 'late-model', changed: 3, deltaUsd: '0.003600000000' }] });
  expect(await lateRows()).toEqual(Array(3).fill({ cost_status: 'priced', cost_usd: '0.001200000000' }));
  expect(await totals()).toEqual({ cost: '0.003600000000', unpriced: '0' });
  expect(Number(await subscriptionCost()) - Number(before)).toBeCloseTo(0.0024, 12);
  expect(await subscriptionCost()).toBe('0.002950000000'); // 0.000550 (flash) + 2 x 0.0012
  expect(await aggregateMismatches(db.sequelize)).toEqual([]);
  const audit = await db.sequelize.query('SELECT actor, reason, old_status, new_status, old_cost_usd, new_cost_usd FROM ai_cost_audit', { type: 'SELECT' as never });
  expect(audit).toEqual(Array(3).fill({ actor: 'cli:test', reason: 'reprice', old_status: 'unpriced', new_status: 'priced', old_cost_usd: null, new_cost_usd: '0.001200000000' }));
});

it('changes nothing when applied again', async () => {
  const before = { rows: await lateRows(), totals: await totals(), subscription: await subscriptionCost(), audit: await auditCount() };
  expect(await reprice(db.sequelize, { actor: 'test', apply: true })).toEqual({ applied: true, appliedRows: 0, models: [] });
  expect(await reprice(db.sequelize, { actor: 'test', apply: true, repricePriced: true })).toMatchObject({ appliedRows: 0 });
  expect({ rows: await lateRows(), totals: await totals(), subscription: await subscriptionCost(), audit: await auditCount() }).toEqual(before);
});

it('re-prices priced rows after a price correction only when asked, within the model and days given', async () => {
  await upsertPrices(db.sequelize, [price(2)], 'test');
  expect((await reprice(db.sequelize, { actor: 'test', apply: true })).appliedRows).toBe(0);
  const filtered = await reprice(db.sequelize, { actor: 'test', repricePriced: true, model: 'late-model', from: '2026-11-21', to: '2026-11-21' });
  expect(filtered.models).toEqual([{ model: 'late-model', rows: 1, changed: 1, stillUnpriced: 0, deltaUsd: '0.001000000000' }]);

  const summary = await reprice(db.sequelize, { actor: 'test', apply: true, repricePriced: true });
  // Only late-model moves: 3 x 1,000 tokens x $1 more per 1M; flash is unchanged and not counted as changed.
  expect(summary.models).toEqual([
    { model: 'gemini-2.5-flash', rows: 1, changed: 0, stillUnpriced: 0, deltaUsd: '0.000000000000' },
    { model: 'late-model', rows: 3, changed: 3, stillUnpriced: 0, deltaUsd: '0.003000000000' },
  ]);
  expect(await totals()).toEqual({ cost: '0.006600000000', unpriced: '0' });
  expect(await subscriptionCost()).toBe('0.004950000000');
  expect(await aggregateMismatches(db.sequelize)).toEqual([]);
});

it('refuses malformed days', async () => {
  await expect(reprice(db.sequelize, { actor: 'test', from: '21/11/2026' })).rejects.toThrow(new RepriceOptionError('--from must be a date YYYY-MM-DD, got "21/11/2026"'));
  await expect(reprice(db.sequelize, { actor: 'test', from: '2026-11-22', to: '2026-11-01' })).rejects.toThrow('--from 2026-11-22 is after --to 2026-11-01');
});

it('moves the failure figures of the aggregate too when a failed request is repriced', async () => {
  const failedAt = new Date('2026-11-23T10:00:00Z');
  await tracker.track(event({ userId, modelName: 'failing-model', success: false, errorMessage: 'stream broke', createdAt: failedAt }));
  await upsertPrices(db.sequelize, [{ ...price(1), model: 'failing-model' }], 'test');
  expect((await reprice(db.sequelize, { actor: 'test', apply: true, model: 'failing-model' })).appliedRows).toBe(1);
  const row = await one<Record<string, string>>(db.sequelize, "SELECT failure_cost_usd, failure_unpriced_request_count FROM ai_usage_tracking WHERE model_name = 'failing-model'");
  expect(row).toEqual({ failure_cost_usd: '0.001200000000', failure_unpriced_request_count: '0' });
  expect(await aggregateMismatches(db.sequelize)).toEqual([]);
});
