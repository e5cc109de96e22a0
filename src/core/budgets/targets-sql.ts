import { activeSubscriptionSql } from '../active-subscription-sql.js';

/** SQL of the UTC start of the day or month containing `at`, and of the next one (exclusive end). */
const startOf = (unit: 'day' | 'month', at: string) => `date_trunc('${unit}', ${at}, 'UTC')`;
const endOf = (unit: 'day' | 'month', at: string) => `((date_trunc('${unit}', ${at}, 'UTC') AT TIME ZONE 'UTC' + interval '1 ${unit}') AT TIME ZONE 'UTC')`;

/**
 * The budgets that apply to one call, each with the period the call falls in: a subquery for a
 * LATERAL join over `row`, which has user_id, section, model_name and created_at (a log row, or the
 * call about to be made). A budget applies when each of its non-null scope columns equals the
 * call's; a subscription-period budget only while its user has an active subscription (for a
 * quota budget: while that subscription is the active one, as the billing debit decides).
 *
 * Columns: budget_id, name, period_start, period_end, mode (enforce | warn | off), limit_usd, limit_tokens.
 * `quotaModeSql` is the mode of quota budgets whose subscription has no quota_mode of its own.
 */
export function budgetTargetsSql(row: string, quotaModeSql = "'enforce'"): string {
  return `
    SELECT b.id AS budget_id, b.name,
      CASE b.period WHEN 'day' THEN ${startOf('day', `${row}.created_at`)} WHEN 'month' THEN ${startOf('month', `${row}.created_at`)} ELSE sub.period_start END AS period_start,
      CASE b.period WHEN 'day' THEN ${endOf('day', `${row}.created_at`)} WHEN 'month' THEN ${endOf('month', `${row}.created_at`)} ELSE sub.period_end END AS period_end,
      CASE WHEN b.subscription_id IS NULL THEN b.mode ELSE COALESCE(sub.quota_mode, ${quotaModeSql}) END AS mode,
      b.limit_usd, b.limit_tokens
    FROM ai_budgets b
    LEFT JOIN subscriptions sub ON b.period = 'subscription' AND sub.id = ${activeSubscriptionSql(row)}
    WHERE (b.user_id IS NULL OR b.user_id = ${row}.user_id)
      AND (b.section IS NULL OR b.section = ${row}.section)
      AND (b.model_name IS NULL OR b.model_name = ${row}.model_name)
      AND (b.period <> 'subscription' OR (sub.id IS NOT NULL AND (b.subscription_id IS NULL OR b.subscription_id = sub.id)))`;
}
