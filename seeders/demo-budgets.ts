import { QueryTypes } from 'sequelize';
import type { App } from '../src/app.js';
import type { UserId } from '../src/core/users/user-id.js';
import { budgetsOfUser } from '../src/core/budgets/index.js';
import { BudgetExceededError } from '../src/core/errors.js';

interface DemoBudget {
  name: string;
  userId: UserId | null;
  section: string | null;
  model: string | null;
  period: 'day' | 'month' | 'subscription';
  usd: string | null;
  tokens: string | null;
  mode: 'enforce' | 'warn';
}

/** Heavy knowledge Q&A calls of today that take the over-quota customer past their quota and their day budget. */
const HEAVY_CALL = { section: 'knowledge_qa', modelName: 'gemini-2.5-pro', promptTokens: 180_000, completionTokens: 6_000, thoughtsTokens: 14_000 } as const;
const REFUSED_CALLS = ['Summarise the returns policy for a customer', 'Which shipping options do we offer to Norway?', 'Draft a reply about a late parcel'];

export interface DemoBudgetsResult {
  budgets: number;
  /** Calls of the over-quota customer refused by the instrumented client (never sent to Gemini). */
  refusals: number;
}

async function insertBudget(app: App, budget: DemoBudget): Promise<void> {
  await app.sequelize.query('INSERT INTO ai_budgets (name, user_id, section, model_name, period, limit_usd, limit_tokens, mode) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', {
    bind: [budget.name, budget.userId, budget.section, budget.model, budget.period, budget.usd, budget.tokens, budget.mode],
  });
}

/** Whether an enforced budget of the user has no room left now: only then is a call certain to be refused before it is sent. */
async function exhausted(app: App, userId: UserId): Promise<boolean> {
  const budgets = await budgetsOfUser(app.sequelize, userId, { quotaMode: app.config.budgets.quotaMode });
  const full = (limit: string | null, remaining: string | null) => limit !== null && remaining !== null && Number(remaining) <= 0;
  return budgets.some((b) => b.mode === 'enforce' && (full(b.limitUsd, b.remainingUsd) || full(b.limitTokens, b.remainingTokens)));
}

/**
 * The demo's budgets: shared ones (the whole app per day, knowledge Q&A on gemini-2.5-pro in warn
 * mode), one for the demo API user far above what the demo spends (so the README's examples get
 * 201), and one customer (`overQuota`) taken past their subscription's token quota and their own
 * day budget by today's heavy calls, whose next chat calls are refused through the real path: the
 * instrumented client reserves, finds no room, records the refusal, and never calls Gemini.
 */
export async function seedDemoBudgets(app: App, users: { demo: UserId; overQuota: UserId }): Promise<DemoBudgetsResult> {
  const budgets: DemoBudget[] = [
    { name: 'Whole app: $25 a day', userId: null, section: null, model: null, period: 'day', usd: '25', tokens: null, mode: 'enforce' },
    { name: 'Knowledge Q&A on gemini-2.5-pro: 5M tokens a month', userId: null, section: 'knowledge_qa', model: 'gemini-2.5-pro', period: 'month', usd: null, tokens: '5000000', mode: 'warn' },
    { name: 'Demo API user: $10 a month', userId: users.demo, section: null, model: null, period: 'month', usd: '10', tokens: null, mode: 'enforce' },
    { name: 'Dennis: 150,000 tokens a day', userId: users.overQuota, section: null, model: null, period: 'day', usd: null, tokens: '150000', mode: 'enforce' },
  ];
  for (const budget of budgets) await insertBudget(app, budget);

  const [quota] = await app.sequelize.query<{ token_quota: string; tokens_used: string }>(
    `SELECT token_quota::text, tokens_used::text FROM subscriptions WHERE user_id = $1 AND period_start <= now() AND period_end > now() ORDER BY period_start DESC LIMIT 1`,
    { bind: [users.overQuota], type: QueryTypes.SELECT },
  );
  const perCall = HEAVY_CALL.promptTokens + HEAVY_CALL.completionTokens + HEAVY_CALL.thoughtsTokens;
  const missing = quota ? Math.max(0, Number(quota.token_quota) - Number(quota.tokens_used)) : 0;
  const calls = Math.max(1, Math.ceil(missing / perCall) + 1);
  for (let i = 0; i < calls; i += 1) {
    await app.tracker.track({ ...HEAVY_CALL, userId: users.overQuota, responseTimeMs: 21_000 + i * 500, metadata: { page_title: 'Shipping policy', content_length: 38_000 }, createdAt: new Date(Date.now() - (calls - i) * 1_000) });
  }

  let refusals = 0;
  if (!(await exhausted(app, users.overQuota))) return { budgets: budgets.length, refusals };
  for (const prompt of REFUSED_CALLS) {
    const model = app.gemini.model({ model: 'gemini-2.5-flash', userId: users.overQuota, section: 'chat', generationConfig: { maxOutputTokens: 1024 }, metadata: { conversation_id: 'demo-over-quota' } });
    try {
      await model.generateContent(prompt);
      throw new Error(`demo seed: a call of a customer over quota was not refused (${prompt})`);
    } catch (error) {
      if (!(error instanceof BudgetExceededError)) throw error;
      refusals += 1;
    }
  }
  return { budgets: budgets.length, refusals };
}
