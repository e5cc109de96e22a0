import { QueryTypes } from 'sequelize';
import { createUsageService } from '../../src/usage/index.js';
import { SectionRegistry } from '../../src/core/sections.js';
import { daysAgo, getJson, ledgerSums, startUsageWorld, utcDay, type UsageWorld } from './support.js';

let world: UsageWorld;

beforeAll(async () => {
  world = await startUsageWorld();
}, 120_000);
afterAll(() => world?.close());

const usage = (query: string, token = world.alice.token) => getJson(world.baseUrl, `/api/usage${query}`, token);
const figures = ({ requests, failures, tokens, cost_usd, unpriced_requests }: any) => ({ requests, failures, tokens, cost_usd, unpriced_requests });

describe('GET /api/usage', () => {
  const ranges: [string, string, string][] = [
    ['one day', daysAgo(3), daysAgo(3)],
    ['a week', daysAgo(9), daysAgo(3)],
    ['sixty days', daysAgo(59), daysAgo(0)],
    ['a range reaching past the data', daysAgo(120), daysAgo(50)],
    ['days without usage', '2020-01-01', '2020-01-31'],
  ];

  it.each(ranges)('equals the ledger exactly over %s: totals, days, sections and models', async (_name, from, to) => {
    const { status, body } = await usage(`?from=${from}&to=${to}`);
    expect(status).toBe(200);
    expect(body.period).toEqual({ from, to });
    const id = world.alice.id;
    const [total] = await ledgerSums(world.db.sequelize, id, from, to);
    expect(body.totals).toEqual(total ? figures(total) : { requests: 0, failures: 0, tokens: 0, cost_usd: '0', unpriced_requests: 0 });

    const days = await ledgerSums(world.db.sequelize, id, from, to, "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')");
    const usedDays = body.by_day.filter((d: any) => d.requests > 0);
    expect(usedDays.map((d: any) => ({ key: d.date, ...figures(d) }))).toEqual(days.map((d) => ({ key: d.key, ...figures(d) })));
    // Every day of the period is listed, zeros included.
    expect(body.by_day[0]?.date).toBe(from);
    expect(body.by_day.at(-1)?.date).toBe(to);

    const bySection = [...body.by_section].sort((a: any, b: any) => a.section.localeCompare(b.section));
    expect(bySection.map((s: any) => ({ key: s.section, ...figures(s) }))).toEqual((await ledgerSums(world.db.sequelize, id, from, to, 'section')).map((s) => ({ key: s.key, ...figures(s) })));
    const byModel = [...body.by_model].sort((a: any, b: any) => a.model.localeCompare(b.model));
    expect(byModel.map((m: any) => ({ key: m.model, ...figures(m) }))).toEqual((await ledgerSums(world.db.sequelize, id, from, to, 'model_name')).map((m) => ({ key: m.key, ...figures(m) })));
  });

  it('defaults to the current subscription period, with its quota, and labels sections from the registry', async () => {
    const { status, body } = await usage('');
    expect(status).toBe(200);
    expect(body.period).toEqual({ from: daysAgo(20), to: utcDay(new Date(Date.now() + 9 * 86_400_000)) });
    const [subscription] = await world.db.sequelize.query<{ tokens_used: string }>('SELECT tokens_used FROM subscriptions WHERE user_id = $1', { bind: [world.alice.id], type: QueryTypes.SELECT });
    expect(body.quota).toMatchObject({ plan: 'pro', token_quota: 200_000, tokens_used: Number(subscription!.tokens_used) });
    expect(body.quota.tokens_used).toBeGreaterThan(0);
    expect(body.user).toEqual({ id: world.alice.id, email: world.alice.email, name: null });
    // The subscription's token quota is a budget of its own (more in usage-budgets.test.ts).
    expect(body.budgets).toEqual([expect.objectContaining({ subscription_quota: true, mode: 'enforce', period_start: body.quota.period_start, resets_at: body.quota.period_end })]);
    expect(body.by_section.find((s: any) => s.section === 'knowledge_qa')).toMatchObject({ label: 'Knowledge Q&A', color: '#9333ea' });
  });

  it('defaults to the last 30 days without a subscription', async () => {
    const { body } = await usage('', world.bob.token);
    expect(body.period).toEqual({ from: daysAgo(29), to: daysAgo(0) });
    expect(body.by_day).toHaveLength(30);
    expect(body.quota).toBeNull();
  });

  it("shows only the token owner's usage, whatever the query asks", async () => {
    const from = daysAgo(69);
    const to = daysAgo(0);
    const alice = (await usage(`?from=${from}&to=${to}&user_id=${world.bob.id}&userId=${world.bob.id}`)).body;
    const bob = (await usage(`?from=${from}&to=${to}`, world.bob.token)).body;
    expect(alice.user.id).toBe(world.alice.id);
    expect(bob.user.id).toBe(world.bob.id);
    expect(alice.totals).toEqual(figures((await ledgerSums(world.db.sequelize, world.alice.id, from, to))[0]));
    expect(bob.totals).toEqual(figures((await ledgerSums(world.db.sequelize, world.bob.id, from, to))[0]));
    expect(alice.totals.tokens).not.toBe(bob.totals.tokens);
  });

  it.each([
    ['from', '?from=2026-02-30&to=2026-03-05'],
    ['from', '?from=yesterday'],
    ['to', '?from=2026-01-01&to=2026-1-5'],
    ['from', '?from=2026-03-05&to=2026-03-01'],
    ['to', '?from=2025-01-01&to=2026-02-05'],
    ['from', '?from=2026-01-01&from=2026-01-02'],
    ['to', '?to[x]=1'],
  ])('refuses a bad %s with a 400 naming it (%s)', async (parameter, query) => {
    const { status, body } = await usage(query);
    expect(status).toBe(400);
    expect(body.details).toEqual({ parameter });
    expect(body.error).toMatch(new RegExp(`^${parameter}: `));
  });

  it('accepts exactly 400 days', async () => {
    expect((await usage(`?from=2025-01-01&to=2026-02-04`)).status).toBe(200);
  });

  it('needs a bearer token', async () => {
    const response = await fetch(`${world.baseUrl}/api/usage`);
    expect(response.status).toBe(401);
  });

  it('leaves money out when the deployment does not show it', async () => {
    const service = createUsageService({ sequelize: world.db.sequelize, sections: new SectionRegistry(), showCost: false });
    const report = await service.report(world.alice.id, {});
    expect(JSON.stringify(report)).not.toContain('cost');
    expect(JSON.stringify(await service.requests(world.alice.id, undefined, 5))).not.toContain('cost');
  });
});

describe('GET /api/usage/requests', () => {
  it("pages through the owner's requests newest first, every one exactly once, without prompts", async () => {
    const seen: any[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const { status, body }: { status: number; body: any } = await getJson(world.baseUrl, `/api/usage/requests?limit=40&cursor=${cursor}`, world.alice.token);
      expect(status).toBe(200);
      expect(body.requests.length).toBeLessThanOrEqual(40);
      seen.push(...body.requests);
      cursor = body.next_cursor;
      pages += 1;
    }
    const expected = await world.db.sequelize.query<{ id: string }>('SELECT id FROM ai_usage_logs WHERE user_id = $1 ORDER BY created_at DESC, id DESC', { bind: [world.alice.id], type: QueryTypes.SELECT });
    expect(seen.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(pages).toBe(Math.ceil(expected.length / 40));
    expect(JSON.stringify(seen)).not.toContain('secret prompt');
    expect(seen[0]).toEqual(expect.objectContaining({ section: expect.any(String), section_label: expect.any(String), model: expect.any(String), total_tokens: expect.any(Number) }));
    expect(seen.some((r) => r.success === false && r.error === 'quota exhausted upstream')).toBe(true);
  });

  it("never shows another user's requests", async () => {
    const { body } = await getJson(world.baseUrl, `/api/usage/requests?limit=100&user_id=${world.alice.id}`, world.bob.token);
    const owners = await world.db.sequelize.query<{ user_id: number }>('SELECT DISTINCT user_id FROM ai_usage_logs WHERE id = ANY($1::uuid[])', { bind: [body.requests.map((r: any) => r.id)], type: QueryTypes.SELECT });
    expect(owners).toEqual([{ user_id: world.bob.id }]);
  });

  it.each([
    ['cursor', '?cursor=not-a-cursor'],
    ['cursor', `?cursor=${Buffer.from("2026-01-01T00:00:00Z|1' OR 1=1").toString('base64url')}`],
    ['limit', '?limit=0'],
    ['limit', '?limit=1000'],
    ['limit', '?limit=ten'],
  ])('refuses a bad %s with a 400 (%s)', async (parameter, query) => {
    const { status, body } = await getJson(world.baseUrl, `/api/usage/requests${query}`, world.alice.token);
    expect(status).toBe(400);
    expect(body.details).toEqual({ parameter });
  });
});
