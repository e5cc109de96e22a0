import { readLogListParams } from '../../src/admin/ai-usage-log/filters.js';
import { prepareLogQuery } from '../../src/admin/ai-usage-log/query.js';
import { computeLogStats, logStats, type LogStats } from '../../src/admin/ai-usage-log/stats.js';
import { createTracker, MAX_EVENT_AGE_LIMIT_MS, type Tracker } from '../../src/core/index.js';
import { LATENCY_BUCKET_BOUNDS_MS } from '../../src/core/latency-histogram.js';
import { createMigrator } from '../../src/core/migrator.js';
import { BUILTIN_MIGRATION_DIRS } from '../../src/runtime/builtin-plugins.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aggregateMismatches, insertUser, one } from '../support/fixtures.js';

const MIGRATION = '20261204040001-aggregate-latency-histogram.cjs';
const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 10);

let db: TestDatabase;
let tracker: Tracker;
let users: number[];
const sections = () => tracker.sections.list();

/** Latencies on, around and far from the bucket bounds, from 0 ms to past the last bound. */
const LATENCIES = [0, 3, 25, 26, 49, 50, 51, 99, 180, 400, 401, 777, 1_200, 1_600, 2_900, 3_300, 6_400, 9_000, 30_000, 102_400, 102_401, 250_000];

beforeAll(async () => {
  db = await createTestDatabase();
  tracker = createTracker({ sequelize: db.sequelize, logger: { warn: () => {}, error: () => {} }, maxEventAgeMs: MAX_EVENT_AGE_LIMIT_MS });
  users = [await insertUser(db.sequelize), await insertUser(db.sequelize), await insertUser(db.sequelize)];
  const plan = [['chat', 'gemini-2.5-flash'], ['chat', 'gemini-2.5-pro'], ['knowledge_qa', 'gemini-2.5-pro'], ['intent_detection', 'late-model']] as const;
  for (let i = 0; i < 400; i++) {
    const [section, modelName] = plan[i % plan.length]!;
    const failed = i % 5 === 2 || i % 11 === 0;
    await tracker.track({
      userId: i % 7 === 0 ? null : users[i % users.length],
      section,
      modelName,
      promptTokens: 100 + ((i * 37) % 900),
      completionTokens: failed && i % 2 ? 0 : (i * 13) % 300,
      thoughtsTokens: i % 3 ? 0 : 40,
      cachedTokens: i % 4 ? 0 : 25,
      responseTimeMs: LATENCIES[(i * 7) % LATENCIES.length]! + (i % 3),
      success: !failed,
      errorMessage: failed ? `[503] overloaded, attempt ${i}` : null,
      // Whole days and hours around the UTC midnights.
      createdAt: new Date(START + Math.floor(i / 80) * DAY + ((i * 97) % 24) * 3_600_000 + (i % 60) * 1_000),
    });
  }
});
afterAll(() => db.drop());

const day = (offset: number) => new Date(START + offset * DAY).toISOString().slice(0, 10);

/** Filters the daily aggregate answers, each with its own exact log-path statistics for comparison. */
const AGGREGATE_FILTERS: Record<string, unknown>[] = [
  {},
  { success: 'false' },
  { success: 'true' },
  { section: 'chat' },
  { section: 'chat', success: 'false' },
  { modelName: 'gemini-2.5-pro', success: 'true' },
  { modelName: 'late-model' },
  { userId: 'system' },
  { userId: '__USER__', success: 'true' },
  { 'createdAt~~from': day(1), 'createdAt~~to': day(3) },
  { 'createdAt~~from': day(2), success: 'false', section: 'knowledge_qa' },
  { section: 'no_such_section' },
];

/** The latency bucket holding `ms`. */
const bucketOf = (ms: number) => {
  const i = LATENCY_BUCKET_BOUNDS_MS.findIndex((bound) => ms <= bound);
  return i === -1 ? { high: null, low: LATENCY_BUCKET_BOUNDS_MS.at(-1) } : { high: LATENCY_BUCKET_BOUNDS_MS[i], low: LATENCY_BUCKET_BOUNDS_MS[i - 1] ?? null };
};

const withoutP95 = ({ p95ResponseTime: _p95, source: _source, ...rest }: LogStats) => rest;

describe('statistics from the daily aggregate', () => {
  it('keeps every aggregate column, histogram and failure figures included, equal to the sum of the logs', async () => {
    expect(await aggregateMismatches(db.sequelize)).toEqual([]);
    const { buckets } = await one<{ buckets: string }>(db.sequelize, 'SELECT sum(response_ms_le_25 + response_ms_over_102400) AS buckets FROM ai_usage_tracking');
    expect(Number(buckets)).toBeGreaterThan(0);
  });

  it('equal the statistics of the logs for every filter it answers: counts, tokens and cost exactly, p95 as the bound of its bucket', async () => {
    for (const template of AGGREGATE_FILTERS) {
      const filters = template.userId === '__USER__' ? { ...template, userId: String(users[1]) } : template;
      const params = readLogListParams(filters);
      const fromAggregate = await computeLogStats(db.sequelize, params, { sections: sections() });
      const fromLogs = await logStats(db.sequelize, await prepareLogQuery(db.sequelize, params, { sections: sections() }), { exactUpTo: 100_000 });
      expect({ filters, source: fromAggregate.source, logs: fromLogs.source }).toEqual({ filters, source: 'ai_usage_tracking', logs: 'ai_usage_logs' });
      expect({ filters, stats: withoutP95(fromAggregate) }).toEqual({ filters, stats: withoutP95(fromLogs) });
      const exact = fromLogs.p95ResponseTime.value;
      const p95 = fromAggregate.p95ResponseTime;
      expect(p95.method).toBe('histogram');
      if (exact === null) {
        expect(p95.value).toBeNull();
        continue;
      }
      // The exact (nearest-rank) p95 lies in the reported bucket: never above its bound, above the bound below it.
      expect({ filters, exact, bucket: bucketOf(exact) }).toEqual({ filters, exact, bucket: { high: p95.value, low: p95.above } });
    }
  });

  it('leaves searches and times of day to the logs', async () => {
    for (const filters of [{ q: 'overloaded' }, { 'createdAt~~from': `${day(1)}T06:00` }]) {
      const stats = await computeLogStats(db.sequelize, readLogListParams(filters), { sections: sections() });
      expect(stats).toMatchObject({ source: 'ai_usage_logs', approximate: null, p95ResponseTime: { method: 'exact' } });
      expect(stats.totals.requests).toBeGreaterThan(0);
    }
  });

  it('fills the histogram and failure columns of existing aggregate rows from the logs when migrating', async () => {
    const migrator = createMigrator(db.sequelize, BUILTIN_MIGRATION_DIRS);
    const before = await computeLogStats(db.sequelize, readLogListParams({ success: 'false' }), { sections: sections() });
    await migrator.down({ to: MIGRATION });
    const columns = await db.sequelize.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'ai_usage_tracking' AND column_name LIKE '%response_ms_%'`, { type: 'SELECT' as never });
    expect(columns).toEqual([]);
    await migrator.up();
    expect(await aggregateMismatches(db.sequelize)).toEqual([]);
    expect(await computeLogStats(db.sequelize, readLogListParams({ success: 'false' }), { sections: sections() })).toEqual(before);
  });
});

describe('statistics of more matching logs than are summed', () => {
  let big: TestDatabase;
  beforeAll(async () => {
    big = await createTestDatabase();
    // 30,000 rows, every other one matching the search: many table pages for a block sample.
    await big.sequelize.query(
      `INSERT INTO ai_usage_logs (id, section, model_name, prompt_tokens, total_tokens, response_time_ms, success, error_message, cost_usd, created_at)
       SELECT gen_random_uuid(), 'chat', 'gemini-2.5-flash', 100, 100, 100 + n % 1000, n % 2 = 0, CASE WHEN n % 2 = 1 THEN 'needle ' || n END, 0.0001, now()
       FROM generate_series(1, 30000) n`,
    );
    await big.sequelize.query('ANALYZE ai_usage_logs');
  });
  afterAll(() => big.drop());

  it('estimates them from a block sample, scaled up, and says approximate with the sampled count', async () => {
    const stats = await computeLogStats(big.sequelize, readLogListParams({ q: 'needle' }), { sections: sections() }, { exactUpTo: 1_000, sampleRows: 6_000 });
    expect(stats.source).toBe('ai_usage_logs sample');
    expect(stats.approximate!.samplePercent).toBeCloseTo(20, 5);
    expect(stats.approximate!.sampledRequests).toBeGreaterThan(1_000);
    expect(stats.totals.requests).toBeGreaterThan(15_000 * 0.75);
    expect(stats.totals.requests).toBeLessThan(15_000 * 1.25);
    expect(stats.totals.successes).toBe(0);
    expect(Number(stats.totals.totalTokens)).toBe(stats.totals.requests * 100);
    expect(stats.p95ResponseTime.method).toBe('sampled');
    expect(stats.p95ResponseTime.value).toBeGreaterThan(900);
  });

  it('sums them exactly at or below the limit', async () => {
    const stats = await computeLogStats(big.sequelize, readLogListParams({ q: 'needle' }), { sections: sections() }, { exactUpTo: 15_000 });
    expect(stats).toMatchObject({ source: 'ai_usage_logs', approximate: null, totals: { requests: 15_000, totalTokens: '1500000' } });
  });
});
