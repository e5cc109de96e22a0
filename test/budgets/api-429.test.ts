import { QueryTypes } from 'sequelize';
import { BudgetExceededError, type BudgetRefusal } from '../../src/core/errors.js';
import { retryAfterSeconds } from '../../src/http/errors.js';
import { chatPlugin } from '../../plugins/chat/index.js';
import { promptGenerationPlugin } from '../../plugins/prompt-generation/index.js';
import { startPluginApp, type PluginApp } from '../support/plugin-app.js';
import { insertBudget } from './support.js';

let t: PluginApp;
beforeAll(async () => {
  t = await startPluginApp([chatPlugin(), promptGenerationPlugin()]);
});
afterAll(() => t.close());

it('answers 429 budget_exceeded when a budget refuses the call, sends nothing to Gemini, and records who was refused', async () => {
  const created = await t.api('POST', '/chat/conversations', { title: 'Budget' });
  expect(created.status).toBe(201);
  const ok = await t.api('POST', `/chat/conversations/${created.body.id}/messages`, { content: 'First, within the budget' });
  expect(ok.status).toBe(201);

  const budget = await insertBudget(t.db.sequelize, { userId: t.userId, name: 'Daily cap', limitUsd: '0.000001' });
  const before = t.simulator.requests.length;
  const refused = await t.api('POST', `/chat/conversations/${created.body.id}/messages`, { content: 'Second, over it' });
  expect(refused.status).toBe(429);
  expect(refused.body).toEqual({
    error: {
      code: 'budget_exceeded',
      message: expect.stringContaining('budget "Daily cap"'),
      budget: { id: budget, name: 'Daily cap' },
      reason: 'limit',
      limit: { usd: '0.000001', tokens: null },
      used: { usd: expect.any(String), tokens: expect.any(String) },
      reserved: { usd: expect.any(String), tokens: expect.any(String) },
      resets_at: expect.stringMatching(/T00:00:00\.000Z$/),
    },
  });
  // The budget's used amount alone leaves no room: come back when the day resets.
  const untilReset = (new Date(refused.body.error.resets_at).getTime() - Date.now()) / 1000;
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(Math.floor(untilReset));
  expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(Math.ceil(untilReset) + 1);
  expect(t.simulator.requests.length).toBe(before);

  const prompt = await t.api('POST', '/prompts/generate', { business_type: 'bakery' });
  expect(prompt.status).toBe(429);
  expect(prompt.body.error.code).toBe('budget_exceeded');

  const refusals = await t.db.sequelize.query<{ user_id: number; section: string; error_message: string }>(
    `SELECT user_id, section, error_message FROM ai_usage_logs WHERE success = false AND metadata->>'error_kind' = 'budget_exceeded' ORDER BY created_at`,
    { type: QueryTypes.SELECT },
  );
  expect(refusals).toEqual([
    expect.objectContaining({ user_id: t.userId, section: 'chat', error_message: expect.stringMatching(/^budget_exceeded: /) }),
    expect.objectContaining({ user_id: t.userId, section: 'prompt_generation' }),
  ]);
});

describe('Retry-After of a refusal', () => {
  const refusal = (over: Partial<BudgetRefusal>): BudgetExceededError =>
    new BudgetExceededError({
      budgetId: 1,
      budgetName: 'b',
      reason: 'limit',
      limitUsd: '1',
      limitTokens: null,
      usedUsd: '0.5',
      usedTokens: '0',
      reservedUsd: '0.4',
      reservedTokens: '0',
      holdUsd: '0.2',
      holdTokens: '100',
      periodStart: new Date('2026-12-04T00:00:00Z'),
      resetsAt: new Date('2026-12-05T00:00:00Z'),
      ...over,
    });
  const now = Date.parse('2026-12-04T23:00:00Z');

  it('is a second when only holds of calls in flight are in the way', () => {
    expect(retryAfterSeconds(refusal({}), now)).toBe(1);
  });
  it('is the time to the reset when what is used leaves no room, in USD or in tokens', () => {
    expect(retryAfterSeconds(refusal({ usedUsd: '0.9' }), now)).toBe(3600);
    expect(retryAfterSeconds(refusal({ limitTokens: '1000', usedTokens: '950' }), now)).toBe(3600);
  });
  it('is absent when waiting cannot help: an unpriced model on a USD budget', () => {
    expect(retryAfterSeconds(refusal({ reason: 'unpriced', holdUsd: null }), now)).toBeUndefined();
  });
});
