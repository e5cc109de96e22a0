import { QueryTypes } from 'sequelize';
import { startPanel, type Panel } from './support/panel.js';

let panel: Panel;
beforeAll(async () => {
  panel = await startPanel();
});
afterAll(() => panel.close());

async function post(path: string, fields: Record<string, string>, cookie = panel.adminCookie) {
  const response = await fetch(`${panel.baseUrl}/admin/api${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  const json = response.headers.get('content-type')?.includes('application/json');
  return { status: response.status, body: json ? await response.json() : await response.text() };
}

const valid = { model: 'panel-model', tier: 'standard', effectiveFrom: '2026-01-01', inputPerMillion: '1', outputPerMillion: '2', cachedInputPerMillion: '0.1' };
const prices = (model: string) => panel.db.sequelize.query<{ id: number; input_per_million: string }>('SELECT id, input_per_million FROM ai_model_prices WHERE model = $1', { bind: [model], type: QueryTypes.SELECT });

it('lists the seeded catalogue to a viewer, who cannot add a price', async () => {
  const list = await panel.api('/resources/ai_model_prices/actions/list?perPage=100&filters.model=gemini-2.5-flash', panel.viewerCookie);
  expect(list.status).toBe(200);
  expect(list.body.records.map((r: any) => r.params.tier)).toEqual(expect.arrayContaining(['standard', 'batch', 'flex']));
  const refused = await post('/resources/ai_model_prices/actions/new', valid, panel.viewerCookie);
  expect(refused.status).toBe(403);
  expect(await prices('panel-model')).toEqual([]);
});

it('lets an admin add a price, and refuses bad rates, unknown tiers and overlaps field by field', async () => {
  expect((await post('/resources/ai_model_prices/actions/new', valid)).body.record.errors).toEqual({});
  expect(await prices('panel-model')).toEqual([{ id: expect.any(Number), input_per_million: '1.000000' }]);

  const negative = await post('/resources/ai_model_prices/actions/new', { ...valid, effectiveFrom: '2026-06-01', inputPerMillion: '-1', tier: 'turbo' });
  expect(negative.body.record.errors).toEqual({
    inputPerMillion: expect.objectContaining({ message: 'must not be negative, got -1' }),
    tier: expect.objectContaining({ message: '"turbo" is not a known tier (standard, flex, batch, priority)' }),
  });
  const overlap = await post('/resources/ai_model_prices/actions/new', { ...valid, effectiveTo: '2026-03-01', effectiveFrom: '2025-06-01' });
  expect(overlap.body.record.errors).toEqual({ effectiveFrom: expect.objectContaining({ message: 'panel-model (standard): the price from 2025-06-01 to 2026-03-01 overlaps the price from 2026-01-01' }) });
  expect(await prices('panel-model')).toHaveLength(1);
});

it('prices the unpriced requests from the panel: a dry run first, then the reprice', async () => {
  const tracked = await panel.app.tracker.track({ section: 'chat', modelName: 'panel-late-model', promptTokens: 1_000, responseTimeMs: 5 });
  expect(tracked.costStatus).toBe('unpriced');
  const stats = (await panel.api('/resources/ai_usage_logs/actions/stats?filters.modelName=panel-late-model')).body.stats;
  expect(stats.totals).toMatchObject({ requests: 1, unpricedRequests: 1, costUsd: '0' });
  expect((await panel.api('/dashboard?days=7')).body.unpriced.models).toContainEqual({ modelName: 'panel-late-model', unpricedRequests: 1 });
  expect((await post('/resources/ai_model_prices/actions/new', { ...valid, model: 'panel-late-model' })).body.record.errors).toEqual({});

  const dry = await post('/resources/ai_model_prices/actions/repriceDryRun', {});
  expect(dry.body.notice.message).toContain('Dry run, nothing written. panel-late-model: 1 of 1 priced (0.001000000000 USD)');
  const applied = await post('/resources/ai_model_prices/actions/repriceUnpriced', {});
  expect(applied.body.notice.message).toMatch(/^Repriced \d+ requests\./);
  const [row] = await panel.db.sequelize.query<{ cost_status: string; cost_usd: string }>('SELECT cost_status, cost_usd FROM ai_usage_logs WHERE id = $1', { bind: [tracked.id], type: QueryTypes.SELECT });
  expect(row).toEqual({ cost_status: 'priced', cost_usd: '0.001000000000' });
  const [audit] = await panel.db.sequelize.query<{ actor: string }>('SELECT actor FROM ai_cost_audit WHERE log_id = $1', { bind: [tracked.id], type: QueryTypes.SELECT });
  expect(audit).toEqual({ actor: 'admin:root@example.com' });
  expect((await panel.api('/resources/ai_usage_logs/actions/stats?filters.modelName=panel-late-model')).body.stats.totals).toMatchObject({ unpricedRequests: 0, costUsd: '0.001000000000' });
  expect((await panel.api('/dashboard?days=7')).body.unpriced.models).not.toContainEqual(expect.objectContaining({ modelName: 'panel-late-model' }));
  expect((await post('/resources/ai_model_prices/actions/repriceUnpriced', {}, panel.viewerCookie)).status).toBe(403);
});

it('refuses to delete a price that costed requests', async () => {
  const [used] = await prices('panel-late-model');
  const refused = await post(`/resources/ai_model_prices/records/${used!.id}/delete`, {});
  expect(JSON.stringify(refused.body)).toContain('costed 1 requests');
  expect(await prices('panel-late-model')).toHaveLength(1);
});
