import type { BudgetStatus } from '../core/budgets/index.js';
import type { UsageBudget, UsageBudgetLimit } from './types.js';

/** One limit (USD or tokens) of a status; amounts only when `withAmounts`, the ratio always. */
function limitOf(limit: string | null, used: string, reserved: string, remaining: string | null, withAmounts: boolean): UsageBudgetLimit | null {
  if (limit === null) return null;
  const held = Number(used) + Number(reserved);
  const ratio = Number(limit) > 0 ? held / Number(limit) : held > 0 ? Number.MAX_VALUE : 0;
  return withAmounts ? { limit, used, reserved, remaining: remaining ?? '0', used_ratio: ratio } : { used_ratio: ratio };
}

/**
 * The user's budgets as `GET /api/usage` gives them: those counting their calls now (a budget over a
 * subscription period without an active subscription counts nothing, so it is left out), their own
 * first. Money only with `showCost`; shared budgets (every user's calls) as ratios only.
 */
export function usageBudgets(statuses: readonly (BudgetStatus & { shared?: boolean })[], showCost: boolean): UsageBudget[] {
  const current = statuses.filter((s): s is typeof s & { periodStart: Date; resetsAt: Date } => s.periodStart !== null && s.resetsAt !== null);
  return current
    .map((s) => {
      const shared = s.shared === true;
      return {
        id: s.budgetId,
        name: s.name,
        period: s.period,
        mode: s.mode,
        shared,
        subscription_quota: s.subscriptionId !== null,
        section: s.section,
        model: s.modelName,
        tokens: limitOf(s.limitTokens, s.usedTokens, s.reservedTokens, s.remainingTokens, !shared),
        usd: limitOf(s.limitUsd, s.usedUsd, s.reservedUsd, s.remainingUsd, !shared && showCost),
        period_start: s.periodStart.toISOString(),
        resets_at: s.resetsAt.toISOString(),
      };
    })
    .sort((a, b) => Number(a.shared) - Number(b.shared) || a.resets_at.localeCompare(b.resets_at) || a.id - b.id);
}
