import { measureMetric, resolveWindow, sevenDayBaseline } from '../../src/core/alerts/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertSubscription, insertUser, one } from '../support/fixtures.js';
import { insertLogs, minutesBefore } from './support.js';

let db: TestDatabase;
let userId: number;
let email: string;
const at = new Date('2026-11-15T12:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  userId = await insertUser(db.sequelize);
  email = (await one<{ email: string }>(db.sequelize, 'SELECT email FROM users WHERE id = $1', [userId])).email;
  await insertLogs(db.sequelize, [
    // Inside the last hour: 3 requests of the user, one failed; one unpriced.
    { at: minutesBefore(at, 10), userId, tokens: 100, cost: '0.50', ms: 100 },
    { at: minutesBefore(at, 20), userId, tokens: 200, cost: '0.25', ms: 200, success: false },
    { at: minutesBefore(at, 59), userId, tokens: 300, cost: null, ms: 3000, section: 'knowledge_qa', model: 'gemini-2.5-pro' },
    // Inside 24h but not 1h.
    { at: minutesBefore(at, 61), userId, tokens: 1000, cost: '1.00', ms: 500 },
    { at: minutesBefore(at, 23 * 60), userId, tokens: 1000, cost: '1.00', ms: 500, success: false },
    // Outside 24h, inside November.
    { at: minutesBefore(at, 25 * 60), userId, tokens: 5000, cost: '2.00', ms: 700 },
    // Another user's request, inside the hour: only unscoped rules count it.
    { at: minutesBefore(at, 5), userId: null, tokens: 40, cost: '0.04', ms: 10_000 },
    // At `at` exactly and after: not yet counted.
    { at, userId, tokens: 999_999, cost: '999' },
    // October: outside the calendar month.
    { at: new Date('2026-10-31T23:59:59Z'), userId, tokens: 7, cost: '7' },
  ]);
});
afterAll(() => db.drop());

const over = async (window: '1h' | '24h' | 'period', metric: Parameters<typeof measureMetric>[1], scope = {}) => {
  const span = await resolveWindow(db.sequelize, { window, scope }, at);
  return measureMetric(db.sequelize, metric, scope, span.from, span.to);
};

describe('alert metrics', () => {
  it('counts requests, failures, tokens and cost over 1h, 24h and the calendar month', async () => {
    const user = { user: email };
    expect(await over('1h', 'requests', user)).toBe(3);
    expect(await over('24h', 'requests', user)).toBe(5);
    expect(await over('period', 'requests', user)).toBe(6);
    expect(await over('1h', 'failures', user)).toBe(1);
    expect(await over('24h', 'failures', user)).toBe(2);
    expect(await over('1h', 'tokens', user)).toBe(600);
    expect(await over('24h', 'tokens', user)).toBe(2600);
    expect(await over('period', 'tokens', user)).toBe(7600);
    // The unpriced request adds nothing to cost (and is not a zero-cost row either: it is null).
    expect(await over('1h', 'cost_usd', user)).toBeCloseTo(0.75, 10);
    expect(await over('period', 'cost_usd', user)).toBeCloseTo(4.75, 10);
  });

  it('computes error_rate as a fraction and p95 latency with percentile_cont', async () => {
    expect(await over('1h', 'error_rate', { user: email })).toBeCloseTo(1 / 3, 10);
    expect(await over('24h', 'error_rate', { user: email })).toBeCloseTo(2 / 5, 10);
    const p95 = await one<{ p95: number }>(
      db.sequelize,
      `SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms) AS p95 FROM ai_usage_logs WHERE created_at >= $1 AND created_at < $2`,
      [minutesBefore(at, 60), at],
    );
    expect(await over('1h', 'p95_latency_ms')).toBeCloseTo(p95.p95, 6);
    expect(await over('1h', 'p95_latency_ms', { user: email })).toBeCloseTo(2720, 6); // 100, 200, 3000
  });

  it('narrows by section and model, and an unknown user measures zero', async () => {
    expect(await over('1h', 'requests', { section: 'knowledge_qa' })).toBe(1);
    expect(await over('1h', 'requests', { model: 'gemini-2.5-flash' })).toBe(3);
    expect(await over('1h', 'requests')).toBe(4);
    expect(await over('1h', 'requests', { user: 'nobody@example.com' })).toBe(0);
    expect(await over('1h', 'error_rate', { user: 'nobody@example.com' })).toBe(0);
    expect(await over('1h', 'p95_latency_ms', { user: 'nobody@example.com' })).toBe(0);
  });

  it("takes the user's subscription period for `period`, and the calendar month without one", async () => {
    const month = await resolveWindow(db.sequelize, { window: 'period', scope: {} }, at);
    expect(month).toEqual({ from: new Date('2026-11-01T00:00:00Z'), to: at, key: 'month:2026-11-01T00:00:00.000Z' });
    const periodStart = minutesBefore(at, 24 * 60 + 30);
    await insertSubscription(db.sequelize, userId, { from: periodStart, to: new Date('2026-12-14T00:00:00Z') });
    const period = await resolveWindow(db.sequelize, { window: 'period', scope: { user: email } }, at);
    expect(period).toEqual({ from: periodStart, to: at, key: `subscription:${periodStart.toISOString()}` });
    // The request 25 h ago is in November but before this period began.
    expect(await over('period', 'requests', { user: email })).toBe(5);
    expect(await over('period', 'tokens', { user: email })).toBe(2600);
    // After the period ends, the next window has a new key (a rollover) and counts afresh.
    const later = await resolveWindow(db.sequelize, { window: 'period', scope: { user: email } }, new Date('2026-12-20T00:00:00Z'));
    expect(later.key).toBe('month:2026-12-01T00:00:00.000Z');
  });

  it('scales an additive 7-day baseline to the window and keeps rates as they are', async () => {
    const quiet = new Date('2026-11-25T12:00:00Z');
    // 7 days before a 1h window ending at `quiet`: 168 requests, one an hour on average.
    const rows = Array.from({ length: 168 }, (_, i) => ({ at: minutesBefore(quiet, 61 + i * 60), section: 'image_generation', success: i % 4 !== 0 }));
    await insertLogs(db.sequelize, rows);
    const from = minutesBefore(quiet, 60);
    expect(await sevenDayBaseline(db.sequelize, 'requests', { section: 'image_generation' }, from, quiet)).toBeCloseTo(1, 10);
    expect(await sevenDayBaseline(db.sequelize, 'error_rate', { section: 'image_generation' }, from, quiet)).toBeCloseTo(42 / 168, 10);
  });
});
