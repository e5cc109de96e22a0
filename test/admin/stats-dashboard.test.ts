import { QueryTypes } from 'sequelize';
import { readLogListParams } from '../../src/admin/ai-usage-log/filters.js';
import { computeLogStats } from '../../src/admin/ai-usage-log/stats.js';
import { LATENCY_BUCKET_BOUNDS_MS } from '../../src/core/latency-histogram.js';
import { parseDashboardRange } from '../../src/admin/dashboard/dashboard-data.js';
import { listQuery, startPanel, type Panel } from './support/panel.js';

let panel: Panel;
beforeAll(async () => {
  panel = await startPanel();
});
afterAll(() => panel.close());

interface Expected {
  requests: number;
  successes: number;
  prompt: string;
  completion: string;
  thoughts: string;
  total: string;
  cost: string;
  avg: number | null;
  p95: number | null;
}

/** The statistics computed independently, straight from the logs. */
async function sqlStats(where: string, bind: unknown[] = []) {
  const q = <T extends object>(sql: string) => panel.db.sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT });
  const [totals] = await q<Expected>(
    `SELECT count(*)::int AS requests, (count(*) FILTER (WHERE success))::int AS successes, COALESCE(sum(prompt_tokens), 0)::text AS prompt,
            COALESCE(sum(completion_tokens), 0)::text AS completion, COALESCE(sum(thoughts_tokens), 0)::text AS thoughts, COALESCE(sum(total_tokens), 0)::text AS total,
            COALESCE(sum(cost_usd), 0)::text AS cost, avg(response_time_ms)::float8 AS avg,
            percentile_disc(0.95) WITHIN GROUP (ORDER BY response_time_ms) AS p95
     FROM ai_usage_logs WHERE ${where}`,
  );
  const bySection = await q<{ section: string; requests: number; total: string }>(`SELECT section, count(*)::int AS requests, sum(total_tokens)::text AS total FROM ai_usage_logs WHERE ${where} GROUP BY section`);
  const byModel = await q<{ model_name: string; requests: number; cost: string }>(`SELECT model_name, count(*)::int AS requests, COALESCE(sum(cost_usd), 0)::text AS cost FROM ai_usage_logs WHERE ${where} GROUP BY model_name`);
  return { totals: totals!, bySection, byModel };
}

async function statsFor(params: Record<string, string>) {
  const { status, body } = await panel.api(`/resources/ai_usage_logs/actions/stats?${listQuery(params)}`);
  expect(status).toBe(200);
  return body.stats;
}

/** A p95 from the aggregate's histogram: the bound of the bucket holding the exact p95, never below it. */
function expectHistogramP95(p95: { value: number | null; method: string; above: number | null }, exact: number | null) {
  expect(p95.method).toBe('histogram');
  if (exact === null) return expect(p95.value).toBeNull();
  expect(p95.value).toBeGreaterThanOrEqual(exact);
  expect(p95.value).toBe(LATENCY_BUCKET_BOUNDS_MS.find((bound) => bound >= exact));
}

function expectSame(stats: any, expected: Awaited<ReturnType<typeof sqlStats>>) {
  const t = expected.totals;
  expect(stats.totals).toMatchObject({ requests: t.requests, successes: t.successes, failures: t.requests - t.successes, promptTokens: t.prompt, completionTokens: t.completion, thoughtsTokens: t.thoughts, totalTokens: t.total });
  expect(Number(stats.totals.costUsd)).toBe(Number(t.cost));
  expect(stats.totals.costUsd.replace(/\.?0+$/, '')).toBe(t.cost.replace(/\.?0+$/, ''));
  if (t.avg === null) expect(stats.totals.avgResponseTimeMs).toBeNull();
  else expect(stats.totals.avgResponseTimeMs).toBeCloseTo(t.avg, 9);
  if (stats.source === 'ai_usage_logs') expect(stats.p95ResponseTime).toEqual({ value: t.p95, method: 'exact' });
  else expectHistogramP95(stats.p95ResponseTime, t.p95);
  expect(stats.totals.successRate).toBeCloseTo(t.requests ? t.successes / t.requests : 0, 12);
  const sections = Object.fromEntries(stats.bySection.map((s: any) => [s.section, [s.requests, s.totalTokens]]));
  expect(sections).toEqual(Object.fromEntries(expected.bySection.map((s) => [s.section, [s.requests, s.total]])));
  const models = Object.fromEntries(stats.byModel.map((m: any) => [m.modelName, [m.requests, Number(m.costUsd)]]));
  expect(models).toEqual(Object.fromEntries(expected.byModel.map((m) => [m.model_name, [m.requests, Number(m.cost)]])));
}

describe('statistics of the current filter and search', () => {
  it('equal the same figures computed in SQL, from the aggregate or from the logs', async () => {
    const { alice } = panel.fixture;
    const from = new Date(Date.now() - 9 * 86_400_000).toISOString().slice(0, 10);
    const cases: [Record<string, string>, string, unknown[], string][] = [
      [{}, 'TRUE', [], 'ai_usage_tracking'],
      [{ 'filters.section': 'chat' }, `section = 'chat'`, [], 'ai_usage_tracking'],
      [{ 'filters.userId': String(alice), 'filters.modelName': 'gemini-2.5-flash' }, `user_id = $1 AND model_name = 'gemini-2.5-flash'`, [alice], 'ai_usage_tracking'],
      [{ 'filters.period': '7d' }, `created_at >= date_trunc('day', now(), 'UTC') - interval '6 days'`, [], 'ai_usage_tracking'],
      [{ 'filters.createdAt~~from': from }, 'created_at >= $1::date', [from], 'ai_usage_tracking'],
      [{ 'filters.success': 'false' }, 'NOT success', [], 'ai_usage_tracking'],
      [{ 'filters.success': 'true' }, 'success', [], 'ai_usage_tracking'],
      [{ 'filters.success': 'true', 'filters.section': 'chat', 'filters.period': '30d' }, `success AND section = 'chat' AND created_at >= date_trunc('day', now(), 'UTC') - interval '29 days'`, [], 'ai_usage_tracking'],
      [{ 'filters.success': 'true', 'filters.section': 'rag_pipeline' }, `success AND section = 'rag_pipeline'`, [], 'ai_usage_tracking'],
      [{ 'filters.success': 'false', 'filters.createdAt~~from': '2020-01-01T10:30' }, `NOT success AND created_at >= '2020-01-01T10:30Z'`, [], 'ai_usage_logs'],
      [{ 'filters.q': 'overloaded' }, `error_message ILIKE '%overloaded%'`, [], 'ai_usage_logs'],
      [{ 'filters.q': 'alice', 'filters.success': 'true' }, 'user_id = $1 AND success', [alice], 'ai_usage_logs'],
      [{ 'filters.section': 'no_such_section' }, 'FALSE', [], 'ai_usage_tracking'],
    ];
    for (const [params, where, bind, source] of cases) {
      const stats = await statsFor(params);
      expect({ params, source: stats.source }).toEqual({ params, source });
      expectSame(stats, await sqlStats(where, bind));
    }
  });

  it('count the rows the list counts', async () => {
    const cases: Record<string, string>[] = [{}, { 'filters.section': 'chat' }, { 'filters.q': 'bob' }];
    for (const params of cases) {
      const list = await panel.api(`/resources/ai_usage_logs/actions/list?${listQuery(params)}`);
      expect((await statsFor(params)).totals.requests).toBe(list.body.meta.total);
    }
  });

  it('are exact from the logs up to the limit, and say approximate above it', async () => {
    const context = { sections: panel.app.tracker.sections.list() };
    const exact = await computeLogStats(panel.app.sequelize, readLogListParams({ q: 'overloaded' }), context, { exactUpTo: 1000 });
    expect(exact).toMatchObject({ source: 'ai_usage_logs', approximate: null, p95ResponseTime: { method: 'exact' } });
    // Above the limit, the whole (one-page) table is the sample: exact again, never an estimate of nothing.
    const whole = await computeLogStats(panel.app.sequelize, readLogListParams({ q: 'overloaded' }), context, { exactUpTo: 1 });
    expect(whole).toMatchObject({ source: 'ai_usage_logs', approximate: null });
    expect(whole.totals).toEqual(exact.totals);
  });
});

describe('the daily aggregate resource', () => {
  it('lists each key with its sums, filtered exactly by section and model', async () => {
    const { body } = await panel.api(`/resources/ai_usage_tracking/actions/list?${listQuery({ 'filters.section': 'chat', 'filters.modelName': 'gemini-2.5-flash', perPage: '100' })}`);
    const rows = await panel.db.sequelize.query<{ id: string; request_count: string; total_tokens: string; failure_count: string }>(
      `SELECT id, request_count, total_tokens, failure_count FROM ai_usage_tracking WHERE section = 'chat' AND model_name = 'gemini-2.5-flash' ORDER BY date DESC, id DESC`,
      { type: QueryTypes.SELECT },
    );
    expect(body.records.map((r: any) => [String(r.id), String(r.params.requestCount), String(r.params.totalTokens), String(r.params.failureCount)])).toEqual(
      rows.map((r) => [String(r.id), r.request_count, r.total_tokens, r.failure_count]),
    );
    const partial = await panel.api(`/resources/ai_usage_tracking/actions/list?${listQuery({ 'filters.section': 'cha' })}`);
    expect(partial.body.records).toEqual([]);
  });
});

describe('the dashboard', () => {
  it('reads a range from days or from/to, defaulting to 30 days', () => {
    const today = new Date('2026-11-24T15:00:00Z');
    expect(parseDashboardRange({}, 'UTC', today)).toEqual({ from: '2026-10-26', to: '2026-11-24', days: 30, timeZone: 'UTC' });
    expect(parseDashboardRange({ days: '7' }, 'UTC', today)).toEqual({ from: '2026-11-18', to: '2026-11-24', days: 7, timeZone: 'UTC' });
    expect(parseDashboardRange({ from: '2026-01-01', to: '2026-01-31' }, 'UTC', today)).toEqual({ from: '2026-01-01', to: '2026-01-31', days: 31, timeZone: 'UTC' });
    expect(parseDashboardRange({ days: '1000', from: '2020-01-01', to: '2026-01-01' }, 'UTC', today).days).toBe(30);
    // 15:00 UTC is already the next day in Tokyo.
    expect(parseDashboardRange({ days: '7' }, 'Asia/Tokyo', today)).toEqual({ from: '2026-11-19', to: '2026-11-25', days: 7, timeZone: 'Asia/Tokyo' });
  });

  it('serves requests, tokens and cost per day by section, top users and models, from the aggregate alone', async () => {
    const before = (await panel.api('/dashboard?days=90')).body;
    const [sql] = await panel.db.sequelize.query<{ requests: number; failures: number; tokens: string }>(
      `SELECT count(*)::int AS requests, (count(*) FILTER (WHERE NOT success))::int AS failures, sum(total_tokens)::text AS tokens
       FROM ai_usage_logs WHERE created_at >= date_trunc('day', now(), 'UTC') - interval '89 days'`,
      { type: QueryTypes.SELECT },
    );
    expect(before.totals).toMatchObject({ requests: sql!.requests, failures: sql!.failures, tokens: Number(sql!.tokens) });
    expect(before.days).toHaveLength(90);
    const chatToday = before.days.at(-1).bySection.chat;
    expect(chatToday.requests).toBeGreaterThan(0);
    expect(before.topUsers[0]).toMatchObject({ username: expect.any(String) });
    expect(before.topModels.map((m: any) => m.modelName)).toContain('gemini-2.5-flash');
    // The logs gone, the dashboard's figures are unchanged: they never read them (only the health
    // line's partition report looks at the log's partitions, and says it could not).
    await panel.db.sequelize.query('ALTER TABLE ai_usage_logs RENAME TO ai_usage_logs_away');
    try {
      const after = (await panel.api('/dashboard?days=90')).body;
      expect(after.health.partitions).toBeNull();
      expect({ ...after, health: before.health }).toEqual(before);
    } finally {
      await panel.db.sequelize.query('ALTER TABLE ai_usage_logs_away RENAME TO ai_usage_logs');
    }
  });
});
