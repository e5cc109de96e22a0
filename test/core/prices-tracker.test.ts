import { readFileSync } from 'node:fs';
import { createPriceCatalog, createTracker, MAX_EVENT_AGE_LIMIT_MS, PriceValidationError, upsertPrices, type Tracker, type UsageEvent } from '../../src/core/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aggregateMismatches, insertSubscription, insertUser, one } from '../support/fixtures.js';

let db: TestDatabase;
let tracker: Tracker;
const quiet = { warn: () => {}, error: () => {} };

beforeAll(async () => {
  db = await createTestDatabase();
  tracker = createTracker({ sequelize: db.sequelize, maxEventAgeMs: MAX_EVENT_AGE_LIMIT_MS, logger: quiet });
});
afterAll(() => db.drop());

const at = new Date('2026-11-20T10:00:00Z');
const event = (overrides: Partial<UsageEvent> = {}): UsageEvent => ({ section: 'chat', modelName: 'gemini-2.5-flash', promptTokens: 1_000, completionTokens: 100, responseTimeMs: 900, createdAt: at, ...overrides });
const logOf = (id: string) => one<Record<string, any>>(db.sequelize, 'SELECT * FROM ai_usage_logs WHERE id = $1', [id]);

describe('the seeded catalogue', () => {
  const catalogue = JSON.parse(readFileSync(new URL('../../migrations/data/gemini-prices.json', import.meta.url), 'utf8'));

  it('holds every model of the data file, with a standard and a batch price, and flex from its launch', async () => {
    const rows = await db.sequelize.query<{ model: string; tier: string; effective_from: string }>(
      'SELECT model, tier, effective_from::text FROM ai_model_prices ORDER BY model, tier, effective_from', { type: 'SELECT' as never },
    );
    const models = new Set(rows.map((r) => r.model));
    for (const entry of catalogue.prices) expect(models).toContain(entry.model);
    for (const family of ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-3-pro-preview', 'gemini-3-flash-preview', 'gemini-embedding-001', 'gemini-2.0-flash', 'gemini-1.5-flash']) {
      expect(rows.filter((r) => r.model === family).map((r) => r.tier)).toEqual(expect.arrayContaining(['standard', 'batch']));
    }
    expect(rows.find((r) => r.model === 'gemini-2.5-flash' && r.tier === 'flex')?.effective_from).toBe('2026-04-01');
    expect(rows.some((r) => r.tier === 'priority')).toBe(false);
  });
});

describe('cost_status', () => {
  it('prices a known model and records the price row used', async () => {
    const result = await tracker.track(event());
    const price = await one<{ id: number }>(db.sequelize, "SELECT id FROM ai_model_prices WHERE model = 'gemini-2.5-flash' AND tier = 'standard'");
    // 1,000 x $0.30 + 100 x $2.50 per 1M
    expect(result).toMatchObject({ costUsd: '0.000550000000', costStatus: 'priced' });
    expect(await logOf(result.id)).toMatchObject({ cost_status: 'priced', cost_usd: '0.000550000000', price_id: price.id, service_tier: 'standard' });
  });

  it('prices flex and batch at their own rates, and leaves priority unpriced while it has no price', async () => {
    const flex = await tracker.track(event({ serviceTier: 'flex' }));
    const batch = await tracker.track(event({ serviceTier: 'batch' }));
    const priority = await tracker.track(event({ serviceTier: 'priority' }));
    expect([flex.costUsd, batch.costUsd, priority.costUsd]).toEqual(['0.000275000000', '0.000275000000', null]);
    expect((await logOf(priority.id)).cost_status).toBe('unpriced');
  });

  it('records an attempt Gemini did not bill as not_billed, with cost 0, still counted as a request', async () => {
    const result = await tracker.track(event({ modelName: 'gemini-9-ultra', promptTokens: 0, completionTokens: 0, success: false, errorMessage: '503', billed: false }));
    expect(result).toMatchObject({ costStatus: 'not_billed', costUsd: '0.000000000000', warnings: [] });
    expect(await logOf(result.id)).toMatchObject({ cost_status: 'not_billed', cost_usd: '0.000000000000', price_id: null });
  });

  it('debits a subscription tokens but no money for an unpriced row, and counts it in unpriced_request_count', async () => {
    const userId = await insertUser(db.sequelize);
    const subscriptionId = await insertSubscription(db.sequelize, userId, { from: new Date('2026-11-01'), to: new Date('2026-12-01') });
    await tracker.track(event({ userId }));
    const unpriced = await tracker.track(event({ userId, modelName: 'gemini-9-ultra', toolUsePromptTokens: 40, groundingQueries: 2 }));
    expect(unpriced).toMatchObject({ costStatus: 'unpriced', costUsd: null, subscription: { tokensUsed: 1_100 + 1_140 } });
    expect(await one(db.sequelize, 'SELECT tokens_used, cost_used_usd FROM subscriptions WHERE id = $1', [subscriptionId])).toEqual({ tokens_used: '2240', cost_used_usd: '0.000550000000' });
    expect(await one(db.sequelize, "SELECT unpriced_request_count, tool_use_prompt_tokens, grounding_queries, cost_usd FROM ai_usage_tracking WHERE user_id = $1 AND model_name = 'gemini-9-ultra'", [userId]))
      .toEqual({ unpriced_request_count: '1', tool_use_prompt_tokens: '40', grounding_queries: '2', cost_usd: '0' });
    expect(await aggregateMismatches(db.sequelize)).toEqual([]);
  });

  it('stores the modality breakdown and prices it', async () => {
    const usageDetails = { prompt: { TEXT: 400, AUDIO: 600 }, candidates: { TEXT: 100 } };
    const result = await tracker.track(event({ usageDetails }));
    // 400 x $0.30 + 600 x $1.00 (audio) + 100 x $2.50
    expect(result.costUsd).toBe('0.000970000000');
    expect((await logOf(result.id)).usage_details).toEqual(usageDetails);
  });
});

it('gives a row inserted by plain SQL without a status the one its cost implies', async () => {
  await db.sequelize.query(`INSERT INTO ai_usage_logs (id, section, model_name, response_time_ms, success, cost_usd)
    VALUES ('00000000-0000-4000-8000-000000000001', 'chat', 'x', 1, true, NULL), ('00000000-0000-4000-8000-000000000002', 'chat', 'x', 1, true, 0.5)`);
  const rows = await db.sequelize.query("SELECT cost_status FROM ai_usage_logs WHERE model_name = 'x' ORDER BY id", { type: 'SELECT' as never });
  expect(rows).toEqual([{ cost_status: 'unpriced' }, { cost_status: 'priced' }]);
  await db.sequelize.query("DELETE FROM ai_usage_logs WHERE model_name = 'x'");
});

describe('the price cache', () => {
  it('notices a price added in the table without a restart', async () => {
    const fresh = createTracker({ sequelize: db.sequelize, maxEventAgeMs: MAX_EVENT_AGE_LIMIT_MS, logger: quiet, prices: createPriceCatalog(db.sequelize, { refreshMs: 0 }) });
    expect((await fresh.track(event({ modelName: 'my-tuned-model' }))).costStatus).toBe('unpriced');
    await db.sequelize.query(`INSERT INTO ai_model_prices (model, effective_from, input_per_million, output_per_million, cached_input_per_million)
      VALUES ('my-tuned-model', '2026-01-01', 1, 2, 0)`);
    expect(await fresh.track(event({ modelName: 'my-tuned-model' }))).toMatchObject({ costStatus: 'priced', costUsd: '0.001200000000' });
  });

  it('keeps a loaded list for refreshMs, and rereads it at once after invalidate()', async () => {
    const prices = createPriceCatalog(db.sequelize, { refreshMs: 3_600_000 });
    const cached = createTracker({ sequelize: db.sequelize, maxEventAgeMs: MAX_EVENT_AGE_LIMIT_MS, logger: quiet, prices });
    expect((await cached.track(event({ modelName: 'other-tuned-model' }))).costStatus).toBe('unpriced');
    await upsertPrices(db.sequelize, [{ model: 'other-tuned-model', effectiveFrom: '2026-01-01', inputPerMillion: 1, outputPerMillion: 2, cachedInputPerMillion: 0 }], 'test');
    expect((await cached.track(event({ modelName: 'other-tuned-model' }))).costStatus).toBe('unpriced');
    prices.invalidate();
    expect((await cached.track(event({ modelName: 'other-tuned-model' }))).costStatus).toBe('priced');
  });
});

describe('upsertPrices (AI_USAGE_PRICING_FILE)', () => {
  const entry = { model: 'file-model', effectiveFrom: '2026-01-01', inputPerMillion: 1, outputPerMillion: 2, cachedInputPerMillion: 0.1 };
  const count = async () => Number((await one<{ n: string }>(db.sequelize, "SELECT count(*) AS n FROM ai_model_prices WHERE model LIKE 'file-model%'")).n);

  it('upserts by model, tier and start day, nested long-context and grounding included', async () => {
    await upsertPrices(db.sequelize, [{ ...entry, longContext: { thresholdTokens: 1_000, inputPerMillion: 2, outputPerMillion: 4, cachedInputPerMillion: 0.2 }, grounding: { perThousand: 14, unit: 'search_query' } }], 'file');
    await upsertPrices(db.sequelize, [{ ...entry, inputPerMillion: '1.5' }], 'file');
    expect(await one(db.sequelize, "SELECT input_per_million, long_context_threshold_tokens, grounding_unit FROM ai_model_prices WHERE model = 'file-model'"))
      .toEqual({ input_per_million: '1.500000', long_context_threshold_tokens: null, grounding_unit: null });
  });

  it.each([
    ['a negative rate', [{ ...entry, model: 'file-model-2', outputPerMillion: -2 }], 'file, entry 2: price of file-model-2 (standard) from 2026-01-01: outputPerMillion must not be negative, got -2'],
    ['a rate that is not a number', [{ ...entry, model: 'file-model-2', inputPerMillion: 'free' }], 'inputPerMillion must be a number, got "free"'],
    ['an unknown tier', [{ ...entry, model: 'file-model-2', tier: 'express' }], 'tier "express" is not a known tier (standard, flex, batch, priority)'],
    ['overlapping dates in the file', [{ ...entry, model: 'file-model-2', effectiveTo: '2026-06-01' }, { ...entry, model: 'file-model-2', effectiveFrom: '2026-03-01' }], 'file-model-2 (standard): the price from 2026-01-01 to 2026-06-01 overlaps the price from 2026-03-01'],
    ['a period overlapping a price in the table', [{ ...entry, effectiveFrom: '2025-01-01', effectiveTo: '2026-02-01' }], 'file-model (standard): the price from 2025-01-01 to 2026-02-01 overlaps the price from 2026-01-01'],
  ])('refuses %s with a clear message and writes nothing', async (_label, entries, message) => {
    const before = await count();
    const attempt = upsertPrices(db.sequelize, [{ ...entry, model: 'file-model-3' }, ...entries], 'file');
    await expect(attempt).rejects.toThrow(PriceValidationError);
    await expect(attempt).rejects.toThrow(message);
    expect(await count()).toBe(before);
  });
});
