import { BudgetExceededError, type BudgetUnavailableError } from '../errors.js';

/** metadata.error_kind of the ledger row a refused call leaves (success false, no tokens, not billed). */
export const BUDGET_REFUSAL_KIND = 'budget_exceeded';
/** metadata.error_kind when the call was refused because its budgets could not be checked (fail-closed). */
export const BUDGET_UNAVAILABLE_KIND = 'budget_unavailable';

/** What the refusal's ledger row keeps of why: the budget and its state when the call did not fit. */
export function refusalMetadata(error: BudgetExceededError | BudgetUnavailableError): Record<string, unknown> {
  if (!(error instanceof BudgetExceededError)) return { error_kind: BUDGET_UNAVAILABLE_KIND };
  const r = error.refusal;
  return {
    error_kind: BUDGET_REFUSAL_KIND,
    budget_id: r.budgetId,
    budget_name: r.budgetName,
    refusal_reason: r.reason,
    limit_usd: r.limitUsd,
    limit_tokens: r.limitTokens,
    used_usd: r.usedUsd,
    used_tokens: r.usedTokens,
    reserved_usd: r.reservedUsd,
    reserved_tokens: r.reservedTokens,
    hold_usd: r.holdUsd,
    hold_tokens: r.holdTokens,
    period_start: r.periodStart.toISOString(),
    resets_at: r.resetsAt.toISOString(),
  };
}
