import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { createTracker, EventTooOldError, InvalidEventError, MAX_EVENT_AGE_LIMIT_MS, TrackingStorageError, UnknownSectionError, UnknownUserError, type Tracker, type TrackerLogger, type UsageEvent } from '../../src/core/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aggregateMismatches, insertSubscription, insertUser, one } from '../support/fixtures.js';

let db: TestDatabase;
let tracker: Tracker;
let lines: { level: string; message: string; details: Record<string, unknown> }[];
const logger: TrackerLogger = {
  warn: (message, details) => lines.push({ level: 'warn', message, details }),
  error: (message, details) => lines.push({ level: 'error', message, details }),
};

beforeAll(async () => {
  db = await createTestDatabase();
  // These tests write fixed dates of 2026 (aggregate days, subscription periods): a window wide enough for them.
  tracker = createTracker({ sequelize: db.sequelize, logger, maxEventAgeMs: MAX_EVENT_AGE_LIMIT_MS });
});
afterAll(() => db.drop());
beforeEach(() => {
  lines = [];
});

const base = (overrides: Partial<UsageEvent> = {}): UsageEvent => ({
  section: 'chat',
  modelName: 'gemini-2.5-flash',
  promptTokens: 150,
  completionTokens: 80,
  responseTimeMs: 1200,
  ...overrides,
});

const countLogs = async () => Number((await one<{ n: string }>(db.sequelize, 'SELECT count(*) AS n FROM ai_usage_logs')).n);

describe('track', () => {
  it('writes the log row, the daily aggregate and the billing debit', async () => {
    const userId = await insertUser(db.sequelize);
    const subscriptionId = await insertSubscription(db.sequelize, userId, { quota: 10_000 });
    const createdAt = new Date('2026-11-20T23:59:59.500Z');
    const from = new Date('2026-11-01T00:00:00Z');
    await db.sequelize.query('UPDATE subscriptions SET period_start = $1 WHERE id = $2', { bind: [from, subscriptionId] });

    // flash: 100 uncached x $0.30 + 50 cached x $0.03 + (80 + 20 thinking) x $2.50, per 1M = $0.0002815
    const result = await tracker.track(
      base({ userId, thoughtsTokens: 20, cachedTokens: 50, totalTokens: 250, createdAt, metadata: { conversation_id: 'abc' } }),
    );

    expect(result).toMatchObject({ status: 'recorded', costUsd: '0.000281500000', subscription: { id: subscriptionId, tokensUsed: 250, tokenQuota: 10_000, overQuota: false } });
    const log = await one<Record<string, unknown>>(db.sequelize, 'SELECT * FROM ai_usage_logs WHERE id = $1', [result.id]);
    expect(log).toMatchObject({
      user_id: userId, section: 'chat', model_name: 'gemini-2.5-flash', prompt_tokens: 150, completion_tokens: 80,
      thoughts_tokens: 20, cached_tokens: 50, total_tokens: 250, response_time_ms: 1200, success: true,
      error_message: null, metadata: { conversation_id: 'abc' }, cost_usd: '0.000281500000', created_at: createdAt,
    });
    const aggregate = await one<Record<string, unknown>>(db.sequelize, 'SELECT * FROM ai_usage_tracking WHERE user_id = $1', [userId]);
    expect(aggregate).toMatchObject({ date: '2026-11-20', request_count: '1', success_count: '1', failure_count: '0', total_tokens: '250', thoughts_tokens: '20', cached_tokens: '50', cost_usd: '0.000281500000' });
    const subscription = await one<Record<string, unknown>>(db.sequelize, 'SELECT tokens_used, cost_used_usd FROM subscriptions WHERE id = $1', [subscriptionId]);
    expect(subscription).toEqual({ tokens_used: '250', cost_used_usd: '0.000281500000' });
  });

  it('uses the UTC date of createdAt as the aggregate day', async () => {
    const userId = await insertUser(db.sequelize);
    await tracker.track(base({ userId, createdAt: '2026-03-01T00:30:00+02:00' }));
    const aggregate = await one<{ date: string }>(db.sequelize, 'SELECT date FROM ai_usage_tracking WHERE user_id = $1', [userId]);
    expect(aggregate.date).toBe('2026-02-28');
  });

  it('debits only the subscription active at createdAt, and no one without one', async () => {
    const userId = await insertUser(db.sequelize);
    const old = await insertSubscription(db.sequelize, userId, { from: new Date('2026-01-01Z'), to: new Date('2026-02-01Z') });
    const current = await insertSubscription(db.sequelize, userId, { from: new Date('2026-02-01Z'), to: new Date('2026-03-01Z') });
    const result = await tracker.track(base({ userId, createdAt: '2026-01-31T23:59:59Z', totalTokens: 400, promptTokens: 300, completionTokens: 100 }));
    expect(result.subscription?.id).toBe(old);
    const used = await db.sequelize.query<{ id: number; tokens_used: string }>('SELECT id, tokens_used FROM subscriptions WHERE user_id = $1 ORDER BY id', { bind: [userId], type: 'SELECT' as never });
    expect(used).toEqual([{ id: old, tokens_used: '400' }, { id: current, tokens_used: '0' }]);

    const lonely = await insertUser(db.sequelize);
    const unbilled = await tracker.track(base({ userId: lonely }));
    expect(unbilled.status).toBe('recorded');
    expect(unbilled.subscription).toBeUndefined();
  });

  it('records failures with their error message and counts them in the aggregate', async () => {
    const userId = await insertUser(db.sequelize);
    await tracker.track(base({ userId, success: false, errorMessage: '429 RESOURCE_EXHAUSTED', promptTokens: 0, completionTokens: 0 }));
    const aggregate = await one<Record<string, string>>(db.sequelize, 'SELECT request_count, success_count, failure_count FROM ai_usage_tracking WHERE user_id = $1', [userId]);
    expect(aggregate).toEqual({ request_count: '1', success_count: '0', failure_count: '1' });
  });

  it('keeps one aggregate row for system work without a user (NULLS NOT DISTINCT)', async () => {
    for (let i = 0; i < 3; i++) await tracker.track(base({ section: 'session_memory', modelName: 'gemini-2.5-flash-lite', createdAt: '2026-05-05T10:00:00Z' }));
    const rows = await db.sequelize.query<{ request_count: string }>(
      `SELECT request_count FROM ai_usage_tracking WHERE user_id IS NULL AND section = 'session_memory' AND date = '2026-05-05'`,
      { type: 'SELECT' as never },
    );
    expect(rows).toEqual([{ request_count: '3' }]);
  });

  it('records an unknown model as unpriced: a null cost, counted in the aggregate, and a warning', async () => {
    const result = await tracker.track(base({ modelName: 'gemini-9-ultra' }));
    expect(result.costUsd).toBeNull();
    expect(result.costStatus).toBe('unpriced');
    expect(result.warnings).toEqual([expect.stringMatching(/^no standard price for model "gemini-9-ultra" on \d{4}-\d{2}-\d{2}: recorded as unpriced \(cost null\) until repriced$/)]);
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringContaining('[TRACK_WARNING]') })]);
    const log = await one<{ cost_usd: string | null }>(db.sequelize, 'SELECT cost_usd FROM ai_usage_logs WHERE id = $1', [result.id]);
    expect(log.cost_usd).toBeNull();
  });

  it('defaults the model to the section default and strips the models/ prefix', async () => {
    const a = await tracker.track({ section: 'knowledge_qa', responseTimeMs: 5 });
    const b = await tracker.track({ section: 'chat', modelName: 'models/gemini-2.5-flash', responseTimeMs: 5 });
    const rows = await db.sequelize.query<{ model_name: string }>('SELECT model_name FROM ai_usage_logs WHERE id IN ($1, $2) ORDER BY model_name', { bind: [a.id, b.id], type: 'SELECT' as never });
    expect(rows.map((r) => r.model_name)).toEqual(['gemini-2.5-flash', 'gemini-2.5-pro']);
  });
});

describe('idempotency', () => {
  it('changes nothing anywhere when an id is replayed', async () => {
    const userId = await insertUser(db.sequelize);
    await insertSubscription(db.sequelize, userId);
    const event = base({ id: randomUUID(), userId, createdAt: new Date() });
    const snapshot = () =>
      db.sequelize.query(
        `SELECT (SELECT count(*) FROM ai_usage_logs) AS logs,
                (SELECT json_agg(t ORDER BY id) FROM ai_usage_tracking t WHERE user_id = $1) AS aggregates,
                (SELECT json_agg(s ORDER BY id) FROM subscriptions s WHERE user_id = $1) AS subscriptions`,
        { bind: [userId], type: 'SELECT' as never },
      );
    expect((await tracker.track(event)).status).toBe('recorded');
    const before = await snapshot();
    const replays = await Promise.all([tracker.track(event), tracker.track({ ...event, promptTokens: 999_999 }), tracker.track(event)]);
    expect(replays.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(await snapshot()).toEqual(before);
  });

  it('records exactly once when the same new id races', async () => {
    const userId = await insertUser(db.sequelize);
    // The idempotency key is (id, createdAt): a retry carries both. Without createdAt each call would
    // stamp its own clock reading, and calls a millisecond apart are different events.
    const event = base({ id: randomUUID(), userId, createdAt: new Date() });
    const results = await Promise.all(Array.from({ length: 8 }, () => tracker.track(event)));
    expect(results.filter((r) => r.status === 'recorded')).toHaveLength(1);
    const aggregate = await one<{ request_count: string }>(db.sequelize, 'SELECT request_count FROM ai_usage_tracking WHERE user_id = $1', [userId]);
    expect(aggregate.request_count).toBe('1');
  });
});

describe('validation', () => {
  const invalid: [string, Partial<UsageEvent> | Record<string, unknown>, string][] = [
    ['negative tokens', { promptTokens: -1 }, 'promptTokens: must not be negative'],
    ['fractional tokens', { completionTokens: 1.5 }, 'completionTokens: must be a whole number'],
    ['NaN tokens', { thoughtsTokens: Number.NaN }, 'thoughtsTokens: must be a finite number'],
    ['infinite tokens', { cachedTokens: Number.POSITIVE_INFINITY }, 'cachedTokens: must be a finite number'],
    ['tokens as a string', { promptTokens: '150' }, 'promptTokens: must be a finite number'],
    ['absurd tokens', { promptTokens: 50_000_000 }, 'promptTokens: 50000000 exceeds the limit'],
    ['negative time', { responseTimeMs: -5 }, 'responseTimeMs: must not be negative'],
    ['fractional time', { responseTimeMs: 12.7 }, 'responseTimeMs: must be a whole number'],
    ['absurd time', { responseTimeMs: 86_400_000 }, 'responseTimeMs: 86400000 exceeds the limit'],
    ['missing time', { responseTimeMs: undefined }, 'responseTimeMs: is required'],
    ['total lower than its parts', { totalTokens: 100 }, 'totalTokens: 100 is lower than prompt + tool use + completion + thoughts = 230'],
    ['cached above prompt', { cachedTokens: 151 }, 'cachedTokens: 151 exceeds promptTokens 150'],
    ['bad id', { id: 'abc' }, 'id: must be a uuid'],
    ['bad user id', { userId: -3 }, 'userId: must be a positive integer or null'],
    ['circular metadata', { metadata: (() => { const m: Record<string, unknown> = {}; m.self = m; return m; })() }, 'metadata.self: is a circular reference'],
    ['function in metadata', { metadata: { f: () => 1 } }, 'metadata.f: a function is not JSON-serialisable'],
    ['bigint in metadata', { metadata: { n: 10n } }, 'metadata.n: a bigint is not JSON-serialisable'],
    ['NaN in metadata', { metadata: { n: Number.NaN } }, 'metadata.n: NaN is not representable in JSON'],
    ['class instance in metadata', { metadata: { m: new Map() } }, 'metadata.m: is a Map object, not plain JSON'],
    ['NUL in metadata', { metadata: { s: 'a\u0000b' } }, 'metadata.s: contains a NUL character'],
    ['metadata as an array', { metadata: [1, 2] }, 'metadata: must be a plain object'],
    ['metadata over 16 KiB', { metadata: { blob: 'x'.repeat(16 * 1024) } }, 'metadata: is 16395 bytes as JSON, over the 16384-byte cap'],
    ['date in the future', { createdAt: new Date(Date.now() + 86_400_000) }, 'createdAt:'],
    ['invalid date', { createdAt: 'yesterday' }, 'createdAt: is not a valid date'],
    ['success not boolean', { success: 'yes' }, 'success: must be a boolean'],
  ];

  it.each(invalid)('rejects %s with InvalidEventError and writes nothing', async (_name, overrides, message) => {
    const before = await countLogs();
    const promise = tracker.track(base(overrides as Partial<UsageEvent>));
    await expect(promise).rejects.toBeInstanceOf(InvalidEventError);
    await expect(promise).rejects.toThrow(message);
    expect(await countLogs()).toBe(before);
  });

  it('accepts metadata just under the cap', async () => {
    await expect(tracker.track(base({ metadata: { blob: 'x'.repeat(16 * 1024 - 12) } }))).resolves.toMatchObject({ status: 'recorded' });
  });

  it('rejects an unknown section', async () => {
    await expect(tracker.track(base({ section: 'astrology' }))).rejects.toBeInstanceOf(UnknownSectionError);
  });

  it('rejects an unknown user and writes nothing', async () => {
    const before = await countLogs();
    await expect(tracker.track(base({ userId: 987_654 }))).rejects.toBeInstanceOf(UnknownUserError);
    expect(await countLogs()).toBe(before);
  });
});

describe('the createdAt window', () => {
  const DAY = 86_400_000;
  const windowed = () => createTracker({ sequelize: db.sequelize, logger });

  it('refuses an event older than 7 days by default with EventTooOldError, writes and debits nothing', async () => {
    const userId = await insertUser(db.sequelize);
    await insertSubscription(db.sequelize, userId, { from: new Date(Date.now() - 60 * DAY), to: new Date(Date.now() + DAY) });
    const before = await countLogs();
    const stale = new Date(Date.now() - 7 * DAY - 60_000);
    const promise = windowed().track(base({ userId, createdAt: stale }));
    await expect(promise).rejects.toBeInstanceOf(EventTooOldError);
    await expect(promise).rejects.toMatchObject({ code: 'INVALID_EVENT', field: 'createdAt', message: `createdAt: ${stale.toISOString()} is older than the 7-day window the tracker accepts` });
    expect(await countLogs()).toBe(before);
    expect((await one<{ tokens_used: string }>(db.sequelize, 'SELECT tokens_used FROM subscriptions WHERE user_id = $1', [userId])).tokens_used).toBe('0');
    await expect(windowed().track(base({ userId, createdAt: new Date(Date.now() - 6 * DAY) }))).resolves.toMatchObject({ status: 'recorded' });
  });

  it('takes its window from maxEventAgeMs, and a call may widen it for a deliberate backfill', async () => {
    const narrow = createTracker({ sequelize: db.sequelize, logger, maxEventAgeMs: 3_600_000 });
    await expect(narrow.track(base({ createdAt: new Date(Date.now() - 2 * 3_600_000) }))).rejects.toThrow('older than the 3600-second window');
    await expect(narrow.track(base({ createdAt: new Date(Date.now() - 60_000) }))).resolves.toMatchObject({ status: 'recorded' });
    await expect(windowed().track(base({ createdAt: new Date(Date.now() - 30 * DAY) }), { maxEventAgeMs: 31 * DAY })).resolves.toMatchObject({ status: 'recorded' });
    expect(await windowed().trackSafe(base({ createdAt: new Date(Date.now() - 30 * DAY) }))).toMatchObject({ ok: false, error: { code: 'INVALID_EVENT', field: 'createdAt' } });
  });

  it('allows 5 minutes of clock skew into the future, not more', async () => {
    await expect(windowed().track(base({ createdAt: new Date(Date.now() + 60_000) }))).resolves.toMatchObject({ status: 'recorded' });
    await expect(windowed().track(base({ createdAt: new Date(Date.now() + 10 * 60_000) }))).rejects.toThrow(/createdAt: .* is in the future \(more than 5 minutes ahead\)/);
  });

  it('refuses dates PostgreSQL cannot store as a validation error, never a storage error, whatever the window', async () => {
    for (const createdAt of [new Date(-8_000_000_000_000_000), new Date(8_000_000_000_000_000), '0000-01-01T00:00:00Z', 'not a date', new Date(Number.NaN)]) {
      await expect(tracker.track(base({ createdAt }))).rejects.toBeInstanceOf(InvalidEventError);
    }
  });

  it('refuses a window that is not a positive whole number of milliseconds up to 100 years', () => {
    for (const maxEventAgeMs of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_EVENT_AGE_LIMIT_MS + 1]) {
      expect(() => createTracker({ sequelize: db.sequelize, logger, maxEventAgeMs })).toThrow('maxEventAgeMs must be a whole number of milliseconds');
    }
  });

  it('takes a bad window of one call as that call\'s invalid event, also from trackSafe (not a storage failure)', async () => {
    await expect(tracker.track(base(), { maxEventAgeMs: 0 })).rejects.toBeInstanceOf(InvalidEventError);
    const result = await tracker.trackSafe(base(), { maxEventAgeMs: -5 });
    expect(result).toMatchObject({ ok: false, status: 'failed', error: expect.any(InvalidEventError) });
    expect(result.ok === false && result.error.message).toMatch(/^maxEventAgeMs: must be a whole number of milliseconds/);
  });
});

describe('trackSafe', () => {
  it('never throws: logs [TRACK_ERROR] with the reason and the whole event, and says what happened', async () => {
    const event = base({ section: 'astrology', metadata: { request: 'r-1' } });
    const result = await tracker.trackSafe(event);
    expect(result).toMatchObject({ ok: false, status: 'failed', error: expect.any(UnknownSectionError) });
    expect(lines).toEqual([{ level: 'error', message: '[TRACK_ERROR] UNKNOWN_SECTION: section "astrology" is not registered', details: { event } }]);
  });

  it('survives a circular event and a throwing logger', async () => {
    const metadata: Record<string, unknown> = {};
    metadata.self = metadata;
    const throwing = createTracker({ sequelize: db.sequelize, logger: { warn: () => { throw new Error('disk full'); }, error: () => { throw new Error('disk full'); } } });
    const spy = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await expect(throwing.trackSafe(base({ metadata }))).resolves.toMatchObject({ ok: false, error: expect.any(InvalidEventError) });
      expect(spy).toHaveBeenCalledWith(expect.stringContaining('[TRACK_ERROR] INVALID_EVENT'), expect.stringContaining('disk full'));
    } finally {
      spy.mockRestore();
    }
  });

  it('returns the recorded result on success', async () => {
    await expect(tracker.trackSafe(base())).resolves.toMatchObject({ ok: true, status: 'recorded' });
    expect(lines).toEqual([]);
  });
});

describe('atomicity', () => {
  it('rolls back the log row and the billing debit when the aggregate write fails', async () => {
    const userId = await insertUser(db.sequelize);
    const subscriptionId = await insertSubscription(db.sequelize, userId);
    await db.sequelize.query(`
      CREATE FUNCTION fail_aggregate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'aggregate write refused'; END $$;
      CREATE TRIGGER fail_aggregate BEFORE INSERT OR UPDATE ON ai_usage_tracking FOR EACH ROW EXECUTE FUNCTION fail_aggregate();`);
    try {
      const event = base({ id: randomUUID(), userId });
      const promise = tracker.track(event);
      await expect(promise).rejects.toBeInstanceOf(TrackingStorageError);
      await expect(promise).rejects.toThrow('aggregate write refused');
      expect(await one(db.sequelize, 'SELECT count(*)::int AS n FROM ai_usage_logs WHERE id = $1', [event.id])).toEqual({ n: 0 });
      expect(await one(db.sequelize, 'SELECT tokens_used FROM subscriptions WHERE id = $1', [subscriptionId])).toEqual({ tokens_used: '0' });
    } finally {
      await db.sequelize.query('DROP TRIGGER fail_aggregate ON ai_usage_tracking; DROP FUNCTION fail_aggregate();');
    }
  });

  it('records inside a caller transaction and rolls back with it', async () => {
    const id = randomUUID();
    await expect(
      db.sequelize.transaction(async (transaction) => {
        await tracker.track(base({ id }), { transaction });
        throw new Error('feature failed');
      }),
    ).rejects.toThrow('feature failed');
    expect(await one(db.sequelize, 'SELECT count(*)::int AS n FROM ai_usage_logs WHERE id = $1', [id])).toEqual({ n: 0 });
  });
});

describe('concurrency', () => {
  it('keeps aggregate and billing equal to the sum of the logs with 32 callers x 100 events on one row', async () => {
    const userId = await insertUser(db.sequelize);
    const subscriptionId = await insertSubscription(db.sequelize, userId, { quota: 100_000_000 });
    const createdAt = new Date();
    await Promise.all(
      Array.from({ length: 32 }, async (_, caller) => {
        for (let i = 0; i < 100; i++) {
          const promptTokens = 100 + caller;
          await tracker.track(base({ userId, createdAt, promptTokens, completionTokens: i, thoughtsTokens: i % 3, responseTimeMs: i + 1 }));
        }
      }),
    );
    const logs = await one<Record<string, string>>(
      db.sequelize,
      `SELECT count(*) AS n, sum(total_tokens) AS tokens, sum(cost_usd) AS cost FROM ai_usage_logs WHERE user_id = $1`,
      [userId],
    );
    expect(logs.n).toBe('3200');
    const aggregate = await one<Record<string, string>>(db.sequelize, 'SELECT request_count, total_tokens, cost_usd FROM ai_usage_tracking WHERE user_id = $1', [userId]);
    expect(aggregate).toEqual({ request_count: '3200', total_tokens: logs.tokens, cost_usd: logs.cost });
    const subscription = await one<Record<string, string>>(db.sequelize, 'SELECT tokens_used, cost_used_usd FROM subscriptions WHERE id = $1', [subscriptionId]);
    expect(subscription).toEqual({ tokens_used: logs.tokens, cost_used_usd: logs.cost });
    expect(await aggregateMismatches(db.sequelize)).toEqual([]);
  });
});

describe('quota', () => {
  it('reports over-quota on every event but warns once, on the event that crosses it', async () => {
    const userId = await insertUser(db.sequelize);
    await insertSubscription(db.sequelize, userId, { quota: 500 });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await tracker.track(base({ userId, promptTokens: 150, completionTokens: 50 })));
    expect(results.map((r) => r.subscription?.overQuota)).toEqual([false, false, true, true]);
    expect(results.map((r) => r.warnings)).toEqual([[], [], [`user ${userId} went over quota: 600 of 500 tokens`], []]);
  });
});

describe('AIUsageTracking model', () => {
  it('reads every sum column from its own column', async () => {
    const { defineCoreModels } = await import('../../src/core/models/index.js');
    const { AIUsageTracking } = defineCoreModels(db.sequelize);
    const userId = await insertUser(db.sequelize);
    await tracker.track(base({ userId, promptTokens: 300, completionTokens: 40, thoughtsTokens: 7, cachedTokens: 11, responseTimeMs: 900 }));
    const row = await AIUsageTracking.findOne({ where: { userId } });
    expect(row?.get({ plain: true })).toMatchObject({
      requestCount: '1', successCount: '1', failureCount: '0', promptTokens: '300', completionTokens: '40',
      thoughtsTokens: '7', cachedTokens: '11', totalTokens: '347', totalResponseTimeMs: '900',
    });
  });
});
