import type { UserId } from '../core/users/user-id.js';
import type { UsagePeriod } from './period.js';

/** Counts of one group of requests. `cost_usd` (an exact decimal string) only when the deployment shows money. */
export interface UsageFigures {
  requests: number;
  failures: number;
  /** All tokens billed, thinking included. */
  tokens: number;
  cost_usd?: string;
  /** Requests without a price, whose cost is not in cost_usd; with cost_usd only. */
  unpriced_requests?: number;
}

/** The active subscription's quota, or null on the report when there is none. */
export interface UsageQuota {
  plan: string;
  period_start: string;
  period_end: string;
  token_quota: number;
  tokens_used: number;
  /** tokens_used / token_quota (may exceed 1). */
  used_ratio: number;
  cost_used_usd?: string;
}

/**
 * One limit of a budget as its user sees it. Amounts (exact decimal strings) only where the user may
 * see them: their own budgets, and USD only when the deployment shows money; otherwise the ratio alone.
 */
export interface UsageBudgetLimit {
  limit?: string;
  used?: string;
  /** Held by calls in flight, released or settled when they end. */
  reserved?: string;
  /** limit - used - reserved; below 0 only in warn mode. */
  remaining?: string;
  /** (used + reserved) / limit; may exceed 1 in warn mode. */
  used_ratio: number;
}

/** A budget that counts the user's calls now (ai_budgets), in its current period. */
export interface UsageBudget {
  id: number;
  name: string;
  period: 'day' | 'month' | 'subscription';
  /** enforce: a call that does not fit is refused (429); warn: it goes on; off: counted only. */
  mode: 'enforce' | 'warn' | 'off';
  /** Set for every user at once: its amounts are everyone's, so only ratios are given. */
  shared: boolean;
  /** The active subscription's token quota (the same as `quota`, with what calls in flight hold). */
  subscription_quota: boolean;
  /** Scope besides the user: only calls of this section / model; null = any. */
  section: string | null;
  model: string | null;
  tokens: UsageBudgetLimit | null;
  usd: UsageBudgetLimit | null;
  period_start: string;
  resets_at: string;
}

/** What `GET /api/usage` returns: one user's usage over whole UTC days, read from the daily aggregate. */
export interface UsageReport {
  user: { id: UserId; email: string | null; name: string | null };
  period: UsagePeriod;
  totals: UsageFigures;
  /** Every day of the period, in order, days without usage as zeros. */
  by_day: (UsageFigures & { date: string })[];
  /** Sections with usage, most tokens first, with their label and colour from the registry. */
  by_section: (UsageFigures & { section: string; label: string; color: string })[];
  by_model: (UsageFigures & { model: string })[];
  quota: UsageQuota | null;
  budgets: UsageBudget[];
}

/** One request as its owner sees it: no prompt, no metadata. */
export interface UsageRequest {
  id: string;
  created_at: string;
  section: string;
  section_label: string;
  model: string;
  success: boolean;
  error: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  thoughts_tokens: number;
  cached_tokens: number;
  total_tokens: number;
  response_time_ms: number;
  /** Exact decimal string, null when the request had no price; only when the deployment shows money. */
  cost_usd?: string | null;
  /** `priced`, `unpriced` (no price for the model yet) or `not_billed`; with cost_usd only. */
  cost_status?: string;
}

export interface UsageRequestsPage {
  requests: UsageRequest[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next_cursor: string | null;
}
