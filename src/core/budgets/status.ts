import { QueryTypes, type Sequelize } from 'sequelize';
import { activeSubscriptionSql } from '../active-subscription-sql.js';
import type { BudgetPeriod } from '../models/ai-budget.js';
import type { UserId } from '../users/user-id.js';
import { DEFAULT_BUDGET_CONFIG } from './config.js';

/** One budget in its current period. Money and tokens are exact decimal strings. */
export interface BudgetStatus {
  budgetId: number;
  name: string;
  userId: UserId | null;
  section: string | null;
  modelName: string | null;
  period: BudgetPeriod;
  /** Effective: a quota budget's comes from its subscription or AI_USAGE_QUOTA_MODE. */
  mode: 'enforce' | 'warn' | 'off';
  subscriptionId: number | null;
  limitUsd: string | null;
  limitTokens: string | null;
  usedUsd: string;
  usedTokens: string;
  reservedUsd: string;
  reservedTokens: string;
  /** limit - used - reserved (negative when a warn-mode budget is over); null without that limit. */
  remainingUsd: string | null;
  remainingTokens: string | null;
  /** null when the budget has no current period (a subscription-period budget whose user has no active subscription, or another subscription's quota). */
  periodStart: Date | null;
  resetsAt: Date | null;
  /** budgetsOfUser: true for a budget shared with other users (no user in its scope). */
  shared?: boolean;
}

interface Row {
  id: number;
  name: string;
  user_id: UserId | null;
  section: string | null;
  model_name: string | null;
  period: BudgetPeriod;
  mode: BudgetStatus['mode'];
  subscription_id: number | null;
  limit_usd: string | null;
  limit_tokens: string | null;
  used_usd: string;
  used_tokens: string;
  reserved_usd: string;
  reserved_tokens: string;
  remaining_usd: string | null;
  remaining_tokens: string | null;
  period_start: Date | null;
  period_end: Date | null;
}

const startOf = (unit: string) => `date_trunc('${unit}', $1::timestamptz, 'UTC')`;
const endOf = (unit: string) => `((date_trunc('${unit}', $1::timestamptz, 'UTC') AT TIME ZONE 'UTC' + interval '1 ${unit}') AT TIME ZONE 'UTC')`;

const STATUS_SQL = (where: string) => `
SELECT b.id, b.name, b.user_id, b.section, b.model_name, b.period, b.subscription_id,
  CASE WHEN b.subscription_id IS NULL THEN b.mode ELSE COALESCE(own.quota_mode, $2) END AS mode,
  b.limit_usd::text, b.limit_tokens::text,
  COALESCE(u.used_usd, 0)::text AS used_usd, COALESCE(u.used_tokens, 0)::text AS used_tokens,
  COALESCE(u.reserved_usd, 0)::text AS reserved_usd, COALESCE(u.reserved_tokens, 0)::text AS reserved_tokens,
  (b.limit_usd - COALESCE(u.used_usd, 0) - COALESCE(u.reserved_usd, 0))::text AS remaining_usd,
  (b.limit_tokens - COALESCE(u.used_tokens, 0) - COALESCE(u.reserved_tokens, 0))::text AS remaining_tokens,
  p.period_start, p.period_end
FROM ai_budgets AS b
LEFT JOIN subscriptions AS own ON own.id = b.subscription_id
CROSS JOIN LATERAL (SELECT b.user_id, $1::timestamptz AS created_at) AS at_now
LEFT JOIN subscriptions AS sub ON b.period = 'subscription' AND sub.id = ${activeSubscriptionSql('at_now')}
CROSS JOIN LATERAL (
  SELECT CASE b.period WHEN 'day' THEN ${startOf('day')} WHEN 'month' THEN ${startOf('month')}
           ELSE (CASE WHEN b.subscription_id IS NULL OR b.subscription_id = sub.id THEN sub.period_start END) END AS period_start,
         CASE b.period WHEN 'day' THEN ${endOf('day')} WHEN 'month' THEN ${endOf('month')}
           ELSE (CASE WHEN b.subscription_id IS NULL OR b.subscription_id = sub.id THEN sub.period_end END) END AS period_end
) AS p
LEFT JOIN ai_budget_usage AS u ON u.budget_id = b.id AND u.period_start = p.period_start
WHERE ${where}
ORDER BY b.user_id NULLS FIRST, b.id`;

function status(row: Row): BudgetStatus {
  return {
    budgetId: row.id,
    name: row.name,
    userId: row.user_id,
    section: row.section,
    modelName: row.model_name,
    period: row.period,
    mode: row.mode,
    subscriptionId: row.subscription_id,
    limitUsd: row.limit_usd,
    limitTokens: row.limit_tokens,
    usedUsd: row.used_usd,
    usedTokens: row.used_tokens,
    reservedUsd: row.reserved_usd,
    reservedTokens: row.reserved_tokens,
    remainingUsd: row.remaining_usd,
    remainingTokens: row.remaining_tokens,
    periodStart: row.period_start,
    resetsAt: row.period_end,
  };
}

export interface BudgetStatusOptions {
  /** Only these budgets. */
  budgetIds?: number[];
  /** The moment whose period is shown; default now. */
  at?: Date;
  /** The default mode of quota budgets (AI_USAGE_QUOTA_MODE); default enforce. */
  quotaMode?: 'enforce' | 'warn' | 'off';
}

/** The budgets (all, or `budgetIds`) with used, reserved and remaining in their current period. */
export async function budgetStatuses(sequelize: Sequelize, options: BudgetStatusOptions = {}): Promise<BudgetStatus[]> {
  const bind: unknown[] = [options.at ?? new Date(), options.quotaMode ?? DEFAULT_BUDGET_CONFIG.quotaMode];
  let where = 'true';
  if (options.budgetIds) {
    bind.push(options.budgetIds);
    where = 'b.id = ANY($3::int[])';
  }
  const rows = await sequelize.query<Row>(STATUS_SQL(where), { bind, type: QueryTypes.SELECT });
  return rows.map(status);
}

/**
 * The budgets that apply to a user's calls: their own (their subscription's quota included, while
 * it is the active one) and the shared ones without a user in their scope (`shared: true`).
 */
export async function budgetsOfUser(sequelize: Sequelize, userId: UserId, options: Omit<BudgetStatusOptions, 'budgetIds'> = {}): Promise<BudgetStatus[]> {
  const bind = [options.at ?? new Date(), options.quotaMode ?? DEFAULT_BUDGET_CONFIG.quotaMode, String(userId)];
  const rows = await sequelize.query<Row>(STATUS_SQL('(b.user_id IS NULL OR b.user_id::text = $3) AND p.period_start IS NOT NULL'), { bind, type: QueryTypes.SELECT });
  return rows.map((row) => ({ ...status(row), shared: row.user_id === null }));
}
