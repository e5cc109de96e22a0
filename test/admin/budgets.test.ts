import { QueryTypes } from 'sequelize';
import { BUDGET_REFUSAL_KIND } from '../../src/core/budgets/index.js';
import { BudgetExceededError } from '../../src/core/errors.js';
import { one } from '../support/fixtures.js';
import { startPanel, type Panel } from './support/panel.js';

let panel: Panel;
beforeAll(async () => {
  panel = await startPanel();
});
afterAll(() => panel?.close());

async function post(path: string, fields: Record<string, string>, cookie = panel.adminCookie) {
  const response = await fetch(`${panel.baseUrl}/admin/api/resources/ai_budgets${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', origin: panel.baseUrl },
    body: JSON.stringify(fields),
    redirect: 'manual',
  });
  const json = response.headers.get('content-type')?.includes('application/json');
  return { status: response.status, body: json ? await response.json() : await response.text() };
}

const budgetsNamed = (name: string) => panel.db.sequelize.query<Record<string, unknown>>('SELECT * FROM ai_budgets WHERE name = $1', { bind: [name], type: QueryTypes.SELECT });
const chatBudget = { name: 'Chat this month', section: 'chat', period: 'month', limitUsd: '5', limitTokens: '1000000', mode: 'enforce', userId: '', modelName: '' };

/** What the ledger says a chat-only budget has used this UTC month: the counters must equal it. */
const chatLedgerThisMonth = () =>
  one<{ usd: string; tokens: string }>(
    panel.db.sequelize,
    `SELECT COALESCE(sum(cost_usd), 0)::text AS usd, COALESCE(sum(total_tokens), 0)::text AS tokens FROM ai_usage_logs
     WHERE section = 'chat' AND created_at >= date_trunc('month', now(), 'UTC')`,
  );

it('lets an admin create a budget, whose list row shows the period’s used and remaining equal to the ledger', async () => {
  const created = await post('/actions/new', chatBudget);
  expect(created.body.record.errors).toEqual({});
  expect(created.body.notice.type).toBe('success');
  const [row] = await budgetsNamed('Chat this month');
  expect(row).toMatchObject({ section: 'chat', period: 'month', limit_usd: '5', limit_tokens: '1000000', mode: 'enforce', user_id: null, model_name: null });

  const list = await panel.api('/resources/ai_budgets/actions/list?filters.name=Chat%20this');
  expect(list.status).toBe(200);
  const [record] = list.body.records;
  const ledger = await chatLedgerThisMonth();
  expect(Number(ledger.tokens)).toBeGreaterThan(0);
  expect(record.params).toMatchObject({ scope: 'section chat', effectiveMode: 'enforce', usage: 'current', usedTokens: ledger.tokens, reservedTokens: '0', refusals: 0 });
  expect(Number(record.params.usedUsd)).toBe(Number(ledger.usd));
  expect(BigInt(record.params.remainingTokens)).toBe(1_000_000n - BigInt(ledger.tokens));
  const monthStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
  expect(record.params.periodStart).toBe(monthStart.toISOString());
  expect(record.params.resetsAt).toBe(new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() + 1, 1)).toISOString());
});

it('refuses bad limits, an unknown scope and a missing limit with a message on the field, writing nothing', async () => {
  const cases: [Record<string, string>, string, RegExp][] = [
    [{ limitUsd: '-1' }, 'limitUsd', /amount of 0 or more/],
    [{ limitUsd: 'ten' }, 'limitUsd', /amount of 0 or more like 25 or 0.50/],
    [{ limitTokens: '1.5' }, 'limitTokens', /whole number of 0 or more, not "1.5"/],
    [{ limitUsd: '', limitTokens: '' }, 'limitUsd', /set a limit in USD, a token limit, or both/],
    [{ section: 'no_such_section' }, 'section', /unknown section "no_such_section": known are chat, /],
    [{ modelName: 'gemini-9-ultra' }, 'modelName', /unknown model "gemini-9-ultra"/],
    [{ userId: '999999' }, 'userId', /unknown user "999999"/],
    [{ userId: 'abc' }, 'userId', /unknown user "abc"/],
    [{ period: 'subscription' }, 'userId', /needs a user/],
    [{ period: 'week' }, 'period', /period must be one of day, month, subscription/],
    [{ mode: 'block' }, 'mode', /mode must be enforce or warn/],
    [{ name: ' ' }, 'name', /give the budget a name/],
  ];
  for (const [change, field, message] of cases) {
    const response = await post('/actions/new', { ...chatBudget, name: 'Bad budget', ...change });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body.record.errors)).toEqual([field]);
    expect(response.body.record.errors[field].message).toMatch(message);
    expect(response.body.notice).toMatchObject({ type: 'error' });
  }
  expect(await one(panel.db.sequelize, "SELECT count(*)::int AS n FROM ai_budgets WHERE name IN ('Bad budget', ' ')")).toEqual({ n: 0 });
  // A model is normalized like the log's; a user id of a real customer is a user scope.
  const scoped = await post('/actions/new', { ...chatBudget, name: 'Bob on flash', userId: String(panel.fixture.bob), modelName: 'models/gemini-2.5-flash', period: 'day' });
  expect(scoped.body.record.errors).toEqual({});
  expect((await budgetsNamed('Bob on flash'))[0]).toMatchObject({ user_id: panel.fixture.bob, model_name: 'gemini-2.5-flash', period: 'day' });
});

it('edits name, limits and mode, but not the scope; a subscription’s quota is edited on its subscription', async () => {
  const [row] = await budgetsNamed('Chat this month');
  const id = row!.id as number;
  const edited = await post(`/records/${id}/edit`, { ...chatBudget, name: 'Chat this month (raised)', limitUsd: '7.25', mode: 'warn' });
  expect(edited.body.record.errors).toEqual({});
  expect(await one(panel.db.sequelize, 'SELECT name, limit_usd::text, mode FROM ai_budgets WHERE id = $1', [id])).toEqual({ name: 'Chat this month (raised)', limit_usd: '7.25', mode: 'warn' });

  const moved = await post(`/records/${id}/edit`, { ...chatBudget, section: 'knowledge_qa' });
  expect(moved.body.record.errors.section.message).toMatch(/fixed once created: create a new budget/);
  expect(await one(panel.db.sequelize, 'SELECT section, name FROM ai_budgets WHERE id = $1', [id])).toEqual({ section: 'chat', name: 'Chat this month (raised)' });

  const cleared = await post(`/records/${id}/edit`, { name: 'x', limitUsd: '', limitTokens: '' });
  expect(cleared.body.record.errors.limitUsd.message).toMatch(/set a limit in USD, a token limit, or both/);

  const quota = await one<{ id: number }>(panel.db.sequelize, 'SELECT id FROM ai_budgets WHERE subscription_id IS NOT NULL LIMIT 1');
  const before = await one(panel.db.sequelize, 'SELECT * FROM ai_budgets WHERE id = $1', [quota.id]);
  for (const [action, payload] of [['edit', { name: 'mine now', limitTokens: '1', mode: 'enforce' }], ['delete', {}]] as const) {
    const refused = await post(`/records/${quota.id}/${action}`, payload);
    expect(refused.body.notice).toMatchObject({ type: 'error' });
  }
  expect(await one(panel.db.sequelize, 'SELECT * FROM ai_budgets WHERE id = $1', [quota.id])).toEqual(before);
});

it('lets viewers read budgets but change nothing, and never filters or sorts by the computed columns', async () => {
  const list = await panel.api('/resources/ai_budgets/actions/list', panel.viewerCookie);
  expect(list.status).toBe(200);
  const quota = list.body.records.find((r: any) => r.params.subscriptionId);
  expect(quota.params).toMatchObject({ effectiveMode: 'enforce', usage: 'current', currentLimitTokens: '20000' });
  const [row] = await budgetsNamed('Chat this month (raised)');
  expect((await post('/actions/new', { ...chatBudget, name: 'Viewer budget' }, panel.viewerCookie)).status).toBe(403);
  expect((await post(`/records/${row!.id}/edit`, { ...chatBudget, limitUsd: '1' }, panel.viewerCookie)).status).toBe(403);
  expect((await post(`/records/${row!.id}/delete`, {}, panel.viewerCookie)).status).toBe(403);
  expect(await budgetsNamed('Viewer budget')).toEqual([]);

  for (const query of ['filters.usage=current', 'filters.refusals=1', 'filters.usedUsd=0', 'sortBy=refusals', 'sortBy=remainingUsd']) {
    const response = await panel.api(`/resources/ai_budgets/actions/list?${query}`);
    expect([query, response.status]).toEqual([query, 400]);
  }
});

it('finds a budget’s refusals from its row: the log list’s refusal filter returns exactly them, with their statistics', async () => {
  const tiny = await post('/actions/new', { ...chatBudget, name: 'Bob: 1 token a day', userId: String(panel.fixture.bob), section: '', period: 'day', limitUsd: '', limitTokens: '1' });
  expect(tiny.body.record.errors).toEqual({});
  const [row] = await budgetsNamed('Bob: 1 token a day');
  const budgetId = row!.id as number;
  // Refused through the real path: the instrumented client reserves, finds no room, records the refusal, sends nothing.
  for (let i = 0; i < 3; i += 1) {
    const model = panel.app.gemini.model({ model: 'gemini-2.5-flash', userId: panel.fixture.bob, section: 'chat', generationConfig: { maxOutputTokens: 64 } });
    await expect(model.generateContent(`hello ${i}`)).rejects.toBeInstanceOf(BudgetExceededError);
  }
  // A failure of another kind is no refusal.
  await panel.app.tracker.track({ userId: panel.fixture.bob, section: 'chat', modelName: 'gemini-2.5-flash', responseTimeMs: 9, success: false, errorMessage: 'budget_exceeded lookalike', metadata: { error_kind: 'upstream' } });

  const shown = await panel.api(`/resources/ai_budgets/records/${budgetId}/show`);
  expect(shown.body.record.params.refusals).toBe(3);

  const refusals = await panel.api(`/resources/ai_usage_logs/actions/list?filters.refused=true&filters.budgetId=${budgetId}&perPage=50`);
  expect(refusals.status).toBe(200);
  expect(refusals.body.meta.total).toBe(3);
  expect(refusals.body.records.every((r: any) => r.params.success === false && r.params.userId === panel.fixture.bob && r.params.totalTokens === 0)).toBe(true);
  const all = await panel.api('/resources/ai_usage_logs/actions/list?filters.refused=true&perPage=50');
  expect(all.body.meta.total).toBe(await one<{ n: number }>(panel.db.sequelize, "SELECT count(*)::int AS n FROM ai_usage_logs WHERE metadata->>'error_kind' = $1", [BUDGET_REFUSAL_KIND]).then((r) => r.n));
  expect(all.body.meta.total).toBe(3);
  const stats = await panel.api(`/resources/ai_usage_logs/actions/stats?filters.refused=true&filters.budgetId=${budgetId}`);
  expect(stats.body.stats.totals.requests).toBe(3);
  expect((await panel.api(`/resources/ai_usage_logs/actions/list?filters.refused=true&filters.budgetId=${budgetId + 1}`)).body.meta.total).toBe(0);
  expect((await panel.api('/resources/ai_usage_logs/actions/list?filters.budgetId=abc')).body.meta.total).toBe(0);
  expect((await panel.api('/resources/ai_usage_logs/actions/list?filters.refused=maybe')).body.meta.total).toBe(0);
});

it('deletes a budget for an admin', async () => {
  const [row] = await budgetsNamed('Bob on flash');
  const deleted = await post(`/records/${row!.id}/delete`, {});
  expect(deleted.body.notice.type).toBe('success');
  expect(await budgetsNamed('Bob on flash')).toEqual([]);
});
