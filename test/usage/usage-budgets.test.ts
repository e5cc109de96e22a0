import { SectionRegistry } from '../../src/core/sections.js';
import { createUsageService } from '../../src/usage/index.js';
import { renderUsagePage } from '../../src/usage/page/usage-page.js';
import { one } from '../support/fixtures.js';
import { getJson, startUsageWorld, type UsageWorld } from './support.js';

let world: UsageWorld;
let ids: { aliceMonth: number; chatDay: number; bobDay: number; proWarn: number };

async function insertBudget(fields: { name: string; userId?: number; section?: string; model?: string; period: string; usd?: string; tokens?: string; mode: string }): Promise<number> {
  const row = await one<{ id: number }>(
    world.db.sequelize,
    'INSERT INTO ai_budgets (name, user_id, section, model_name, period, limit_usd, limit_tokens, mode) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id',
    [fields.name, fields.userId ?? null, fields.section ?? null, fields.model ?? null, fields.period, fields.usd ?? null, fields.tokens ?? null, fields.mode],
  );
  return row.id;
}

/** The counters of a budget's current period straight from ai_budget_usage. */
const counters = (id: number) =>
  one<{ used_usd: string; used_tokens: string; reserved_usd: string; reserved_tokens: string; period_end: Date }>(
    world.db.sequelize,
    'SELECT used_usd::text, used_tokens::text, reserved_usd::text, reserved_tokens::text, period_end FROM ai_budget_usage WHERE budget_id = $1 AND period_start <= now() AND period_end > now()',
    [id],
  );

beforeAll(async () => {
  world = await startUsageWorld();
  ids = {
    aliceMonth: await insertBudget({ name: 'Alice monthly spend', userId: world.alice.id, period: 'month', usd: '250', tokens: '90000000', mode: 'enforce' }),
    chatDay: await insertBudget({ name: 'Chat for everyone', section: 'chat', period: 'day', tokens: '5000000', mode: 'warn' }),
    bobDay: await insertBudget({ name: 'Bob only', userId: world.bob.id, period: 'day', tokens: '10', mode: 'enforce' }),
    proWarn: await insertBudget({ name: 'Alice on pro', userId: world.alice.id, model: 'gemini-2.5-pro', period: 'subscription', usd: '0.000001', mode: 'warn' }),
  };
}, 120_000);
afterAll(() => world?.close());

const budgetsOf = async (token: string) => (await getJson(world.baseUrl, '/api/usage', token)).body.budgets as any[];

it('lists the budgets counting the user’s calls now, with used, held, left and limit equal to the counters', async () => {
  const budgets = await budgetsOf(world.alice.token);
  expect(budgets.map((b) => b.name).sort()).toEqual(['Alice monthly spend', 'Alice on pro', 'Chat for everyone', 'Token quota: pro']);
  const month = budgets.find((b) => b.id === ids.aliceMonth);
  const counted = await counters(ids.aliceMonth);
  expect(month).toMatchObject({ period: 'month', mode: 'enforce', shared: false, subscription_quota: false, section: null, model: null, resets_at: counted.period_end.toISOString() });
  expect(month.tokens).toEqual({ limit: '90000000', used: counted.used_tokens, reserved: counted.reserved_tokens, remaining: String(90_000_000 - Number(counted.used_tokens) - Number(counted.reserved_tokens)), used_ratio: expect.any(Number) });
  expect(month.tokens.used_ratio).toBeCloseTo(Number(counted.used_tokens) / 90_000_000, 12);
  expect(Number(month.tokens.used)).toBeGreaterThan(0);
  expect(Number(month.usd.used)).toBe(Number(counted.used_usd));
  expect(Number(month.usd.remaining)).toBeCloseTo(250 - Number(counted.used_usd), 9);

  // Over in warn mode: more than the whole limit used, nothing left.
  const pro = budgets.find((b) => b.id === ids.proWarn);
  expect(pro).toMatchObject({ period: 'subscription', mode: 'warn', model: 'gemini-2.5-pro', tokens: null });
  expect(pro.usd.used_ratio).toBeGreaterThan(1);
  expect(Number(pro.usd.remaining)).toBeLessThan(0);

  const quota = budgets.find((b) => b.subscription_quota);
  const { body } = await getJson(world.baseUrl, '/api/usage', world.alice.token);
  expect(quota).toMatchObject({ mode: 'enforce', period: 'subscription', tokens: { limit: '200000' }, period_start: body.quota.period_start, resets_at: body.quota.period_end });
});

it('gives a budget shared by every user as a ratio only, and never another user’s own budget', async () => {
  const chat = (await budgetsOf(world.alice.token)).find((b) => b.id === ids.chatDay);
  const counted = await counters(ids.chatDay);
  expect(chat).toMatchObject({ shared: true, section: 'chat', mode: 'warn', usd: null });
  expect(chat.tokens).toEqual({ used_ratio: Number(counted.used_tokens) / 5_000_000 });
  const bobs = await budgetsOf(world.bob.token);
  expect(bobs.map((b) => b.name).sort()).toEqual(['Bob only', 'Chat for everyone']);
  expect(bobs.find((b) => b.id === ids.bobDay).tokens).toMatchObject({ limit: '10' });
});

it('leaves money out where the deployment hides it, keeping the ratio', async () => {
  const service = createUsageService({ sequelize: world.db.sequelize, sections: new SectionRegistry(), showCost: false });
  const report = (await service.report(world.alice.id, {}))!;
  const month = report.budgets.find((b) => b.id === ids.aliceMonth)!;
  expect(month.usd).toEqual({ used_ratio: expect.any(Number) });
  expect(month.tokens).toMatchObject({ limit: '90000000' });
  expect(JSON.stringify(report.budgets)).not.toMatch(/"(used|limit|remaining)":"0\.\d/);
});

it('renders each budget on the usage page with its bar, what is left and when it resets (the quota stays the quota bar)', async () => {
  const service = createUsageService({ sequelize: world.db.sequelize, sections: new SectionRegistry(), showCost: true });
  const report = (await service.report(world.alice.id, {}))!;
  const html = renderUsagePage({ report, requests: { requests: [], next_cursor: null }, showCost: true, basePath: '/usage' });
  const items = [...html.matchAll(/data-testid="budget" data-budget-id="(\d+)" data-mode="(\w+)"/g)].map((m) => [Number(m[1]), m[2]]);
  expect(items.sort()).toEqual([[ids.aliceMonth, 'enforce'], [ids.chatDay, 'warn'], [ids.proWarn, 'warn']].sort());
  const month = report.budgets.find((b) => b.id === ids.aliceMonth)!;
  expect(html).toContain(`data-testid="budget-tokens" data-ratio="${month.tokens!.used_ratio.toFixed(4)}" data-used="${month.tokens!.used}" data-limit="90000000"`);
  expect(html).toContain(`<time datetime="${month.resets_at}" data-testid="budget-resets">${month.resets_at.slice(0, 16).replace('T', ' ')} UTC</time>`);
  expect(html).toMatch(/over by \$0\.\d+/);
  expect(html).toContain('shared by all users');
  expect(html).toContain('data-testid="quota-mode"');
  expect(html.match(/Token quota: pro/g)).toBeNull();
});
