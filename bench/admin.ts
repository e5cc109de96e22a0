import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { QueryTypes } from 'sequelize';
import { hashPassword } from '../src/admin/authenticate.js';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { definePlugin } from '../src/plugin.js';
import { loginToPanel } from '../test/support/http.js';
import { generateAdminBenchData } from './admin-data.js';
import { listPlan } from './admin-plans.js';
import { panelGet, time } from './admin-timing.js';
import { startBenchServer } from './support/bench-database.js';

/**
 * npm run bench:admin [-- rows]: fills a fresh database with 1,000,000 logs (generate_series into
 * the bare table, indexes built after; BENCH_ROWS=10000000 for ten million), then times the panel's list API (pages 1 and 500, each filter, the search), the stats action and
 * the dashboard, p50/p95 over BENCH_REPEATS runs each, and the same lists through a resource with
 * stock @adminjs/sequelize behaviour, with the ratio. Prints one JSON line.
 */
const ROWS = Number(process.argv[2] ?? process.env.BENCH_ROWS ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 20);
const GOAL_MS = 150;
const PASSWORD = 'bench-admin-password';
const silent = { info: () => {}, error: (message: string, error?: unknown) => console.error(message, error ?? '') };

/** The log model as a stock @adminjs/sequelize resource, for comparison. */
const stockResource = definePlugin({
  name: 'bench-stock',
  resources: ({ core }) => [{ resource: core.AIUsageLog, options: { id: 'ai_usage_logs_stock', sort: { sortBy: 'createdAt', direction: 'desc' } } }],
});

type Cases = Record<string, Record<string, string>>;

function listCases(idPrefix: string, rareError: string): Cases {
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  return {
    page1: {},
    page500: { page: '500' },
    'filter.success': { 'filters.success': 'false' },
    'filter.section': { 'filters.section': 'chat' },
    'filter.model': { 'filters.modelName': 'gemini-2.5-pro' },
    'filter.user': { 'filters.userId': '17' },
    'filter.dateRange': { 'filters.createdAt~~from': day(20), 'filters.createdAt~~to': day(10) },
    'filter.quickRange7d': { 'filters.period': '7d' },
    'search.errorMessage': { 'filters.q': 'timed out' },
    'search.errorMessageRare': { 'filters.q': rareError },
    'search.username': { 'filters.q': 'user12' },
    'search.email': { 'filters.q': 'user345@example' },
    'search.model': { 'filters.q': 'gemini-2.5-pro' },
    'search.sectionLabel': { 'filters.q': 'knowledge' },
    'search.idPrefix': { 'filters.q': idPrefix },
  };
}

function statsCases(list: Cases): Cases {
  return {
    all: {},
    quickRange7d: { 'filters.period': '7d' },
    dateRange: list['filter.dateRange']!,
    section: { 'filters.section': 'chat' },
    model: { 'filters.modelName': 'gemini-2.5-pro' },
    user: { 'filters.userId': '17' },
    failures: { 'filters.success': 'false' },
    successes: { 'filters.success': 'true' },
    failuresOfUser7d: { 'filters.success': 'false', 'filters.userId': '17', 'filters.period': '7d' },
    searchErrorMessage: { 'filters.q': 'timed out' },
    searchErrorMessageRare: list['search.errorMessageRare']!,
    searchUsername: { 'filters.q': 'user12' },
  };
}

const STOCK_CASES = ['page1', 'page500', 'filter.success', 'filter.section', 'filter.user'];

const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

async function run(app: App, rows: number) {
  const server = await app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = panelGet(baseUrl, await loginToPanel(baseUrl, 'bench-admin@example.com', PASSWORD));
  const [sample] = await app.sequelize.query<{ id: string }>('SELECT id FROM ai_usage_logs ORDER BY created_at DESC LIMIT 1 OFFSET 1000', { type: QueryTypes.SELECT });
  const [failure] = await app.sequelize.query<{ fragment: string }>(
    `SELECT substring(error_message from 'request ([0-9a-f]{8})') AS fragment FROM ai_usage_logs WHERE NOT success ORDER BY created_at LIMIT 1`,
    { type: QueryTypes.SELECT },
  );
  const cases = listCases(sample!.id.slice(0, 6), failure!.fragment);
  const sections = app.tracker.sections.list();
  const results: Record<string, { p50: number; p95: number }> = {};
  const plans: Record<string, string[]> = {};
  for (const [name, params] of Object.entries(cases)) {
    results[`list.${name}`] = await time(() => get(`/admin/api/resources/ai_usage_logs/actions/list?${query(params)}`), REPEATS);
    plans[name] = await listPlan(app.sequelize, sections, Object.fromEntries(Object.entries(params).map(([k, v]) => [k.replace(/^filters\./, ''), v])));
  }
  // Where each statistics case was answered from: the aggregate, the logs, or a sample of them.
  const statsSources: Record<string, string> = {};
  for (const [name, params] of Object.entries(statsCases(cases))) {
    const url = `/admin/api/resources/ai_usage_logs/actions/stats?${query(params)}`;
    results[`stats.${name}`] = await time(() => get(url), REPEATS);
    const { stats } = await get(url);
    statsSources[name] = `${stats.source}${stats.approximate ? ` (${stats.approximate.sampledRequests} sampled)` : ''}; p95 ${stats.p95ResponseTime.method}`;
  }
  for (const days of [30, 90]) results[`dashboard.${days}d`] = await time(() => get(`/admin/api/dashboard?days=${days}`), REPEATS);
  const stock: Record<string, { p50: number; p95: number }> = {};
  const ratio: Record<string, number> = {};
  for (const name of STOCK_CASES) {
    stock[`list.${name}`] = await time(() => get(`/admin/api/resources/ai_usage_logs_stock/actions/list?${query(cases[name]!)}`), Math.min(REPEATS, 10));
    ratio[`list.${name}`] = Math.round((stock[`list.${name}`]!.p50 / results[`list.${name}`]!.p50) * 10) / 10;
  }
  const overGoal = Object.entries(results).filter(([, r]) => r.p95 >= GOAL_MS).map(([name, r]) => `${name} ${r.p95}ms`);
  return { rows, results, stock, stockOverOursP50: ratio, overGoal, statsSources, plans };
}

async function main(): Promise<void> {
  const server = await startBenchServer();
  const db = await server.createDatabase('admin');
  let app: App | undefined;
  try {
    const started = performance.now();
    const { timings, ...data } = await generateAdminBenchData(db.sequelize, { rows: ROWS });
    const generateMs = Math.round(performance.now() - started);
    await db.sequelize.query(`INSERT INTO users (email, username, role, password_hash) VALUES ('bench-admin@example.com', 'bench-admin', 'admin', $1)`, { bind: [await hashPassword(PASSWORD)] });
    app = await createApp({ databaseUrl: db.url, config: loadConfig({ NODE_ENV: 'test' }), logger: silent, plugins: [stockResource] });
    const loadBefore = os.loadavg().map((n) => Math.round(n * 100) / 100);
    const measured = await run(app, data.rows);
    const loadAfter = os.loadavg().map((n) => Math.round(n * 100) / 100);
    console.log(JSON.stringify({
      bench: 'admin', ...measured, users: data.users, days: data.days, generateMs, generateTimings: timings, repeats: REPEATS, goalP95Ms: GOAL_MS,
      // A shared machine: the 1/5/15-minute load averages before and after the timed part, and its cores.
      loadAverage: { before: loadBefore, after: loadAfter, cpus: os.cpus().length },
    }));
  } finally {
    await app?.close();
    await db.drop();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
