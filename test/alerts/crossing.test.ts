import { evaluateAlertRule, evaluateAlertRules } from '../../src/core/alerts/index.js';
import { createSequelize } from '../../src/core/database.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { alertsOf, createRule, insertLogs, minutesBefore } from './support.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('crossing and recovery', () => {
  it('fires once when the value goes above, stays quiet while above, and fires again only after coming back', async () => {
    const rule = await createRule(db.sequelize, { metric: 'requests', window: '1h', threshold: 2, scope: { section: 'chat' } });
    const t0 = new Date('2026-11-10T10:00:00Z');
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    const step = (minutes: number) => evaluateAlertRule(db.sequelize, rule, at(minutes));

    await insertLogs(db.sequelize, [{ at: at(0) }, { at: at(1) }]);
    expect(await step(2)).toEqual({ fired: null, recovered: false }); // 2 requests: at the threshold, not above
    await insertLogs(db.sequelize, [{ at: at(3) }]);
    const first = await step(4);
    expect(first.fired).not.toBeNull();
    await insertLogs(db.sequelize, [{ at: at(5) }]);
    expect(await step(6)).toEqual({ fired: null, recovered: false }); // still above: no second alert
    // 61 minutes after the first requests, two have left the window: 2 remain, at or below.
    expect(await step(61.5)).toEqual({ fired: null, recovered: true });
    expect(await step(62)).toEqual({ fired: null, recovered: false });
    await insertLogs(db.sequelize, [{ at: at(63) }, { at: at(63.5) }]); // with those at 5: 3 in [4, 64)
    const second = await step(64);
    expect(second.fired).not.toBeNull();

    const alerts = await alertsOf(db.sequelize, rule.id);
    expect(alerts.map((a) => [a.crossing, Number(a.value), Number(a.threshold), a.triggered_at, a.recovered_at])).toEqual([
      [1, 3, 2, at(4), at(61.5)],
      [2, 3, 2, at(64), null],
    ]);
    expect(alerts[0]!.window_start).toEqual(at(4 - 60));
  });

  it('fires again in a new period without recovering first (the period rolled over)', async () => {
    const rule = await createRule(db.sequelize, { metric: 'tokens', window: 'period', threshold: 150, scope: { section: 'session_memory' } });
    await insertLogs(db.sequelize, [
      { at: new Date('2026-09-10T00:00:00Z'), section: 'session_memory', tokens: 200 },
      { at: new Date('2026-10-02T00:00:00Z'), section: 'session_memory', tokens: 200 },
    ]);
    expect((await evaluateAlertRule(db.sequelize, rule, new Date('2026-09-20T00:00:00Z'))).fired).not.toBeNull();
    expect((await evaluateAlertRule(db.sequelize, rule, new Date('2026-09-30T00:00:00Z'))).fired).toBeNull();
    expect((await evaluateAlertRule(db.sequelize, rule, new Date('2026-10-03T00:00:00Z'))).fired).not.toBeNull();
    const alerts = await alertsOf(db.sequelize, rule.id);
    expect(alerts.map((a) => [a.window_key, a.crossing])).toEqual([
      ['month:2026-09-01T00:00:00.000Z', 1],
      ['month:2026-10-01T00:00:00.000Z', 1],
    ]);
  });

  it('a spike rule needs the value above factor times its 7-day baseline as well as above the threshold', async () => {
    const rule = await createRule(db.sequelize, { metric: 'requests', window: '1h', threshold: 1, scope: { section: 'prompt_generation' }, spike: { vs: '7d_average', factor: 3 } });
    const at = new Date('2026-11-20T12:00:00Z');
    // Baseline: 336 requests in the 7 days before the window = 2 an hour; 3x is 6.
    await insertLogs(db.sequelize, Array.from({ length: 336 }, (_, i) => ({ at: minutesBefore(at, 61 + i * 30), section: 'prompt_generation' })));
    await insertLogs(db.sequelize, Array.from({ length: 6 }, (_, i) => ({ at: minutesBefore(at, 10 + i), section: 'prompt_generation' })));
    expect((await evaluateAlertRule(db.sequelize, rule, at)).fired).toBeNull(); // 6 is not above 6
    await insertLogs(db.sequelize, [{ at: minutesBefore(at, 1), section: 'prompt_generation' }]);
    expect((await evaluateAlertRule(db.sequelize, rule, at)).fired).not.toBeNull();
    const [alert] = await alertsOf(db.sequelize, rule.id);
    expect([Number(alert!.value), Number(alert!.baseline)]).toEqual([7, 2]);
  });

  it('fires exactly once when two app instances evaluate the same crossing concurrently', async () => {
    const rule = await createRule(db.sequelize, { metric: 'failures', window: '24h', threshold: 0, scope: { model: 'gemini-race' }, webhook: { url: 'https://hooks.example.com/x', secret: 'a-secret-of-16-chars' } });
    const at = new Date('2026-11-21T08:00:00Z');
    await insertLogs(db.sequelize, [{ at: minutesBefore(at, 5), model: 'gemini-race', success: false }]);
    // Two "instances": separate connection pools, 20 evaluations each, all at once.
    const other = createSequelize(db.url, { poolMax: 10 });
    try {
      const runs = await Promise.all(
        Array.from({ length: 40 }, (_, i) => evaluateAlertRule(i % 2 ? other : db.sequelize, rule, new Date(at.getTime() + i))),
      );
      expect(runs.filter((run) => run.fired).length).toBe(1);
    } finally {
      await other.close();
    }
    const alerts = await alertsOf(db.sequelize, rule.id);
    expect(alerts).toHaveLength(1);
    const deliveries = await db.sequelize.query('SELECT channel, status FROM ai_usage_alert_deliveries WHERE alert_id = $1', { bind: [alerts[0]!.id], type: 'SELECT' as never });
    expect(deliveries).toEqual([{ channel: 'webhook', status: 'pending' }]);
  });

  it('evaluates every enabled rule, skips disabled ones, and one broken rule does not stop the rest', async () => {
    const fresh = await createTestDatabase();
    try {
      const at = new Date('2026-11-22T08:00:00Z');
      await insertLogs(fresh.sequelize, [{ at: minutesBefore(at, 1), section: 'chat' }]);
      const on = await createRule(fresh.sequelize, { metric: 'requests', window: '1h', threshold: 0 });
      const off = await createRule(fresh.sequelize, { metric: 'requests', window: '1h', threshold: 0 });
      await fresh.sequelize.query('UPDATE ai_usage_alert_rules SET enabled = false WHERE id = $1', { bind: [off.id] });
      const broken = await createRule(fresh.sequelize, { metric: 'requests', window: '1h', threshold: 0, scope: { section: 'chat' } });
      await fresh.sequelize.query("UPDATE ai_usage_alert_rules SET metric = 'requests', \"window\" = 'period', scope_user_email = 'x@example.com' WHERE id = $1", { bind: [broken.id] });
      await fresh.sequelize.query('ALTER TABLE subscriptions RENAME TO subscriptions_gone');
      const result = await evaluateAlertRules(fresh.sequelize, at);
      expect(result.fired).toHaveLength(1);
      expect(result.failed.map((f) => f.ruleId)).toEqual([broken.id]);
      expect(result.failed[0]!.error.message).toMatch(/subscriptions/);
      expect(await alertsOf(fresh.sequelize, on.id)).toHaveLength(1);
      expect(await alertsOf(fresh.sequelize, off.id)).toHaveLength(0);
    } finally {
      await fresh.drop();
    }
  });
});
