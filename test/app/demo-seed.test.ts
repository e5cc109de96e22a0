import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_SECTIONS } from '../../src/core/sections.js';
import { BUILTIN_PLUGINS } from '../../src/runtime/builtin-plugins.js';
import { needsDemoSeed, seedDemo } from '../../seeders/demo.js';
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
}, 180_000);
