import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_SECTIONS } from '../../src/core/sections.js';
import { BUILTIN_PLUGINS } from '../../src/runtime/builtin-plugins.js';
import { DEMO_API_EMAIL, DEMO_OVER_QUOTA_EMAIL, needsDemoSeed, seedDemo } from '../../seeders/demo.js';
import { budgetsOfUser, BUDGET_REFUSAL_KIND } from '../../src/core/budgets/index.js';
import { brokenInvariants } from '../budgets/support.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aggregateMismatches, one } from '../support/fixtures.js';
import { listenOnFreePort, loginToPanel } from '../support/http.js';

let db: TestDatabase;
let app: App;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await createApp({ databaseUrl: db.url, plugins: BUILTIN_PLUGINS, config: loadConfig({ NODE_ENV: 'test', GEMINI_RETRY_ATTEMPTS: '1' }), logger: { info: () => {}, error: () => {} } });
}, 60_000);
afterAll(async () => {
  await app.close();
  await db.drop();
});

it('seeds a fresh database once, through the tracker, so aggregates and billing match the logs', async () => {
  expect(await needsDemoSeed(app)).toBe(true);
  const demo = await seedDemo(app, {});
  expect(await needsDemoSeed(app)).toBe(false);

  const logs = await one<{ n: number; sections: string[]; models: string[]; oldest_days: number; failures: number }>(
    db.sequelize,
    `SELECT count(*)::int AS n, array_agg(DISTINCT section ORDER BY section) AS sections, array_agg(DISTINCT model_name ORDER BY model_name) AS models,
            floor(extract(epoch FROM now() - min(created_at)) / 86400)::int AS oldest_days, count(*) FILTER (WHERE NOT success)::int AS failures
     FROM ai_usage_logs`,
  );
  expect(logs.n).toBeGreaterThanOrEqual(5_000 + 1);
  expect(logs.sections).toEqual(DEFAULT_SECTIONS.map((s) => s.id).sort());
  expect(logs.models).toEqual(['gemini-1.5-flash', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.5-pro', 'gemini-embedding-001']);
  expect(logs.oldest_days).toBeLessThanOrEqual(60);
  expect(logs.failures).toBeGreaterThan(0);
  expect(await aggregateMismatches(db.sequelize)).toEqual([]);

  // Every subscription was debited exactly the tokens and cost of its user's logs within its period.
  const billing = await db.sequelize.query(
    `SELECT s.id FROM subscriptions s
     LEFT JOIN LATERAL (SELECT COALESCE(sum(l.total_tokens), 0) AS tokens, COALESCE(sum(l.cost_usd), 0) AS cost FROM ai_usage_logs l
                        WHERE l.user_id = s.user_id AND l.created_at >= s.period_start AND l.created_at < s.period_end) l ON true
     WHERE s.tokens_used <> l.tokens OR s.cost_used_usd <> l.cost`,
    { type: 'SELECT' as never },
  );
  expect(billing).toEqual([]);
  const debited = await one<{ n: number }>(db.sequelize, 'SELECT count(*)::int AS n FROM subscriptions WHERE tokens_used > 0');
  expect(debited.n).toBeGreaterThan(0);

  // The plugins' demo data came through the instrumented clients, owned by the demo API user.
  const plugins = await one<Record<string, number>>(
    db.sequelize,
    `SELECT (SELECT count(*)::int FROM chat_messages) AS messages, (SELECT count(*)::int FROM knowledge_pages WHERE status = 'ready') AS pages,
            (SELECT count(*)::int FROM prompt_generations WHERE status = 'completed') AS prompts`,
  );
  expect(plugins).toEqual({ messages: 18, pages: 2, prompts: 2 });

  const baseUrl = await listenOnFreePort(app);
  await expect(loginToPanel(baseUrl, demo.adminEmail, demo.adminPassword)).resolves.toMatch(/^ai_usage_session=/);
  await expect(loginToPanel(baseUrl, demo.viewerEmail, demo.viewerPassword)).resolves.toMatch(/^ai_usage_session=/);
  const api = await fetch(`${baseUrl}/api/chat/conversations`, { method: 'POST', headers: { authorization: `Bearer ${demo.demoApiToken}`, 'content-type': 'application/json' }, body: '{}' });
  expect(api.status).toBe(201);
  const usagePage = await fetch(`${baseUrl}/usage/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl },
    body: new URLSearchParams({ email: demo.demoEmail, password: demo.demoPassword }).toString(),
  });
  expect(usagePage.status).toBe(303);
  expect(usagePage.headers.get('location')).toBe('/usage');

  // Budgets: the demo API user is far from every budget that counts their calls, so the README's
  // examples keep working; one other customer is over quota, and their calls were refused.
  const userId = async (email: string) => (await one<{ id: number }>(db.sequelize, 'SELECT id FROM users WHERE email = $1', [email])).id;
  const demoBudgets = await budgetsOfUser(db.sequelize, await userId(DEMO_API_EMAIL), { quotaMode: app.config.budgets.quotaMode });
  expect(demoBudgets.filter((b) => b.mode === 'enforce').map((b) => b.shared ? 'shared' : b.subscriptionId ? 'quota' : 'own').sort()).toEqual(['own', 'quota', 'shared']);
  for (const budget of demoBudgets) {
    for (const [limit, used, reserved] of [[budget.limitUsd, budget.usedUsd, budget.reservedUsd], [budget.limitTokens, budget.usedTokens, budget.reservedTokens]] as const) {
      if (limit !== null) expect([budget.name, (Number(used) + Number(reserved)) / Number(limit) < 0.5]).toEqual([budget.name, true]);
    }
  }
  const headers = { authorization: `Bearer ${demo.demoApiToken}`, 'content-type': 'application/json' };
  const conversation = await (await fetch(`${baseUrl}/api/chat/conversations`, { method: 'POST', headers, body: '{"title":"Order help"}' })).json();
  const message = await fetch(`${baseUrl}/api/chat/conversations/${conversation.id}/messages`, { method: 'POST', headers, body: '{"content":"Where is my order?"}' });
  expect(message.status).toBe(201);
  const prompt = await fetch(`${baseUrl}/api/prompts/generate`, { method: 'POST', headers, body: '{"business_type":"bakery"}' });
  expect(prompt.status).toBe(201);

  const dennis = await userId(DEMO_OVER_QUOTA_EMAIL);
  const refusals = await db.sequelize.query<{ user_id: number; total_tokens: number; cost_status: string; budget_id: string }>(
    "SELECT user_id, total_tokens, cost_status, metadata->>'budget_id' AS budget_id FROM ai_usage_logs WHERE success = false AND metadata->>'error_kind' = $1",
    { bind: [BUDGET_REFUSAL_KIND], type: 'SELECT' as never },
  );
  expect(demo.budgets.refusals).toBe(3);
  expect(refusals).toHaveLength(3);
  const dennisBudgets = await budgetsOfUser(db.sequelize, dennis, { quotaMode: app.config.budgets.quotaMode });
  const over = dennisBudgets.filter((b) => !b.shared && b.mode === 'enforce' && Number(b.remainingTokens) < 0);
  expect(over.map((b) => (b.subscriptionId ? 'quota' : 'own')).sort()).toEqual(['own', 'quota']);
  for (const refusal of refusals) {
    expect(refusal).toMatchObject({ user_id: dennis, total_tokens: 0, cost_status: 'not_billed' });
    expect(over.map((b) => String(b.budgetId))).toContain(refusal.budget_id);
  }
  // Every budget's counters equal the ledger rows in its scope and period.
  expect(await brokenInvariants(db.sequelize)).toEqual([]);
}, 180_000);
