import { QueryTypes } from 'sequelize';
import type { GenerateContentResponse } from '@google/genai';
import { BudgetExceededError, createBudgetGate } from '../../src/core/index.js';
import type { GeminiFactory } from '../../src/gemini/index.js';
import { startHarness, type GeminiHarness } from '../gemini/support.js';
import { insertUser } from '../support/fixtures.js';
import { brokenInvariants, insertBudget, usageOf } from './support.js';

let h: GeminiHarness;
let userId: number;
let gemini: GeminiFactory;
beforeAll(async () => {
  h = await startHarness();
  userId = await insertUser(h.db.sequelize);
  gemini = h.factory({ budgets: createBudgetGate({ sequelize: h.db.sequelize, logger: { warn: () => {} } }) });
});
afterAll(() => h.close());
afterEach(async () => {
  await gemini.flush();
  expect(await brokenInvariants(h.db.sequelize)).toEqual([]);
});

const holds = async () => (await h.db.sequelize.query<{ n: number }>('SELECT count(*)::int AS n FROM ai_budget_holds', { type: QueryTypes.SELECT }))[0]!.n;

describe('through the instrumented clients', () => {
  it('reserves the worst case before a call, settles the real cost with its row, and records the hold in metadata', async () => {
    const budget = await insertBudget(h.db.sequelize, { userId, section: 'chat', limitUsd: '1' });
    const model = gemini.model({ model: 'gemini-2.5-flash', userId, section: 'chat', metadata: { test: 'ib-settle' }, generationConfig: { maxOutputTokens: 200, thinkingConfig: { thinkingBudget: 0 } } as never });
    await model.generateContent('How do budgets work?');
    const [row] = await h.rows('ib-settle');
    expect(row!.metadata).toMatchObject({ budgets_held: 1, budget_hold_tokens: expect.any(Number), budget_reserve_ms: expect.any(Number) });
    // The hold is an upper bound of what was really spent.
    expect(Number(row!.metadata.budget_hold_usd)).toBeGreaterThanOrEqual(Number(row!.cost_usd));
    expect(row!.metadata.budget_hold_tokens).toBeGreaterThanOrEqual(row!.total_tokens);
    expect((await usageOf(h.db.sequelize, budget))[0]).toMatchObject({ used_usd: row!.cost_usd, reserved_usd: '0.000000000000' });
    expect(await holds()).toBe(0);
  });

  it('never sends a call that does not fit: BudgetExceededError, a refusal row, nothing at the simulator', async () => {
    await insertBudget(h.db.sequelize, { userId, name: 'tiny', section: 'knowledge_qa', limitUsd: '0.000001' });
    const before = h.simulator.requests.length;
    const ai = gemini.genai({ userId, section: 'knowledge_qa', metadata: { test: 'ib-refuse' } });
    const error = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Too dear' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(h.simulator.requests.length).toBe(before);
    expect(await h.rows('ib-refuse')).toEqual([
      expect.objectContaining({
        success: false, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost_usd: '0.000000000000',
        error_message: expect.stringMatching(/^budget_exceeded: budget "tiny"/),
        metadata: expect.objectContaining({ error_kind: 'budget_exceeded', budget_name: 'tiny', limit_usd: '0.000001', used_usd: '0', hold_usd: expect.any(String), resets_at: expect.any(String), budget_reserve_ms: expect.any(Number) }),
      }),
    ]);
  });

  it('releases the hold of a stream its reader abandons, and of one the caller aborts', async () => {
    const budget = await insertBudget(h.db.sequelize, { userId, section: 'prompt_generation', limitUsd: '1' });
    const ai = gemini.genai({ userId, section: 'prompt_generation', metadata: { test: 'ib-stream' } });
    const abandoned = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'A long tale [[sim:chunk-delay=60000]]', config: { maxOutputTokens: 500 } });
    for await (const chunk of abandoned) {
      expect((chunk as GenerateContentResponse).text).toEqual(expect.any(String));
      break;
    }
    const controller = new AbortController();
    const aborted = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Abort me [[sim:chunk-delay=60000]]', config: { maxOutputTokens: 500, abortSignal: controller.signal } });
    const reading = (async () => {
      for await (const chunk of aborted) {
        void chunk;
        controller.abort();
      }
    })();
    await reading.catch(() => undefined);
    await gemini.flush();
    for (let i = 0; i < 200 && (await holds()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    const rows = await h.rows('ib-stream');
    expect(rows.map((r) => r.metadata.stream_status ?? r.metadata.error_kind)).toEqual(expect.arrayContaining(['abandoned']));
    expect(rows).toHaveLength(2);
    expect(await holds()).toBe(0);
    const [usage] = await usageOf(h.db.sequelize, budget);
    expect(usage).toMatchObject({ reserved_usd: '0.000000000000', reserved_tokens: '0' });
  });

  it('holds an unknown model at the largest output limits and refuses it on a USD budget (no price)', async () => {
    await insertBudget(h.db.sequelize, { userId, section: 'rag_pipeline', limitUsd: '100' });
    const ai = gemini.genai({ userId, section: 'rag_pipeline', metadata: { test: 'ib-unpriced' } });
    const error = (await ai.models.generateContent({ model: 'gemini-9-experimental', contents: 'hi' }).catch((e: unknown) => e)) as BudgetExceededError;
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error.refusal).toMatchObject({ reason: 'unpriced', holdUsd: null, holdTokens: String(65_536 + 32_768 + Buffer.byteLength(JSON.stringify([['hi'], null, null, null]))) });
  });
});
