import { budgetTargetsSql } from '../budgets/targets-sql.js';
import { activeSubscriptionSql, SUMMED } from '../record-event-sql.js';

/** The aggregate's columns, straight from the record statement's list: what reconcile recomputes. */
export const AGGREGATE_COLUMNS = SUMMED.map(([column]) => column);

/** $1 and $2: the first and last UTC day (inclusive). */
const LOG_RANGE = `created_at >= $1::date::timestamp AT TIME ZONE 'UTC' AND created_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'`;

/** user_id may be null (system work): FULL JOIN needs an equality, so the key carries null-ness separately. */
const userKey = (alias: string) => `(${alias}.user_id IS NULL) AS no_user, COALESCE(${alias}.user_id::text, '') AS user_text`;

/** Every key of the range whose aggregate differs from the sums of its logs, with both sides of each column (expected null: no logs). */
export const AGGREGATE_DRIFT_SQL = `
WITH expected AS (
  SELECT l.user_id, (l.created_at AT TIME ZONE 'UTC')::date AS date, l.section, l.model_name, ${userKey('l')},
         ${SUMMED.map(([column, fromLog]) => `sum(${fromLog})::numeric AS ${column}`).join(', ')}
  FROM ai_usage_logs AS l WHERE ${LOG_RANGE.replaceAll('created_at', 'l.created_at')}
  GROUP BY 1, 2, 3, 4
), actual AS (
  SELECT t.id, t.user_id, t.date, t.section, t.model_name, ${userKey('t')}, ${AGGREGATE_COLUMNS.map((column) => `t.${column}::numeric AS ${column}`).join(', ')}
  FROM ai_usage_tracking AS t WHERE t.date BETWEEN $1::date AND $2::date
)
SELECT a.id AS aggregate_id, COALESCE(e.user_id, a.user_id) AS user_id, to_char(COALESCE(e.date, a.date), 'YYYY-MM-DD') AS date,
       COALESCE(e.section, a.section) AS section, COALESCE(e.model_name, a.model_name) AS model_name,
       ${AGGREGATE_COLUMNS.map((column) => `e.${column}::text AS expected_${column}, a.${column}::text AS actual_${column}, COALESCE(e.${column}, 0) <> COALESCE(a.${column}, 0) AS differs_${column}`).join(',\n       ')}
FROM expected AS e FULL JOIN actual AS a
  ON e.no_user = a.no_user AND e.user_text = a.user_text AND e.date = a.date AND e.section = a.section AND e.model_name = a.model_name
WHERE (${AGGREGATE_COLUMNS.map((column) => `COALESCE(e.${column}, 0)`).join(', ')}) IS DISTINCT FROM (${AGGREGATE_COLUMNS.map((column) => `COALESCE(a.${column}, 0)`).join(', ')})
ORDER BY 3, 4, 5, 2`;

/** Sets every aggregate of the range to the sums of its logs, in the caller's transaction. */
export const FIX_AGGREGATES_SQL = `
WITH expected AS (
  SELECT user_id, (created_at AT TIME ZONE 'UTC')::date AS date, section, model_name,
         ${SUMMED.map(([column, fromLog]) => `sum(${fromLog}) AS ${column}`).join(', ')}
  FROM ai_usage_logs WHERE ${LOG_RANGE}
  GROUP BY 1, 2, 3, 4
), upserted AS (
  INSERT INTO ai_usage_tracking AS t (user_id, date, section, model_name, ${AGGREGATE_COLUMNS.join(', ')})
  SELECT user_id, date, section, model_name, ${AGGREGATE_COLUMNS.join(', ')} FROM expected
  ON CONFLICT (user_id, date, section, model_name) DO UPDATE SET
    ${AGGREGATE_COLUMNS.map((column) => `${column} = excluded.${column}`).join(', ')}, updated_at = now()
  WHERE (${AGGREGATE_COLUMNS.map((column) => `t.${column}`).join(', ')}) IS DISTINCT FROM (${AGGREGATE_COLUMNS.map((column) => `excluded.${column}`).join(', ')})
  RETURNING t.id
), orphaned AS (
  DELETE FROM ai_usage_tracking AS t
  WHERE t.date BETWEEN $1::date AND $2::date
    AND NOT EXISTS (SELECT 1 FROM expected AS e WHERE e.user_id IS NOT DISTINCT FROM t.user_id AND e.date = t.date AND e.section = t.section AND e.model_name = t.model_name)
  RETURNING t.id
)
SELECT (SELECT count(*) FROM upserted)::int AS updated, (SELECT count(*) FROM orphaned)::int AS deleted`;

/**
 * Subscriptions whose period overlaps the range ($1..$2) and whose debits differ from the logs they
 * cover (the whole period: a debit is a running total). The logs a subscription is debited for are
 * found the way the record statement finds them (activeSubscriptionSql).
 */
export const SUBSCRIPTION_DRIFT_SQL = `
WITH subs AS (
  SELECT s.id, s.user_id, s.period_start, s.period_end, s.tokens_used, s.cost_used_usd
  FROM subscriptions AS s
  WHERE s.period_start < ($2::date + 1)::timestamp AT TIME ZONE 'UTC' AND s.period_end > $1::date::timestamp AT TIME ZONE 'UTC'
), debits AS (
  SELECT ${activeSubscriptionSql('l')} AS subscription_id, sum(l.total_tokens) AS tokens, sum(COALESCE(l.cost_usd, 0)) AS cost
  FROM ai_usage_logs AS l
  WHERE l.user_id IN (SELECT user_id FROM subs)
    AND l.created_at >= (SELECT min(period_start) FROM subs) AND l.created_at < (SELECT max(period_end) FROM subs)
  GROUP BY 1
)
SELECT s.id AS subscription_id, s.user_id, s.period_start, s.period_end,
       s.tokens_used::text AS actual_tokens_used, COALESCE(d.tokens, 0)::text AS expected_tokens_used,
       s.cost_used_usd::text AS actual_cost_used_usd, COALESCE(d.cost, 0)::text AS expected_cost_used_usd
FROM subs AS s LEFT JOIN debits AS d ON d.subscription_id = s.id
WHERE s.tokens_used <> COALESCE(d.tokens, 0) OR s.cost_used_usd <> COALESCE(d.cost, 0)
ORDER BY s.id`;

/** A budget counter row's columns that reconcile recomputes. */
export const BUDGET_COUNTERS = ['used_usd', 'used_tokens', 'reserved_usd', 'reserved_tokens'] as const;

/**
 * Budget counter rows whose period overlaps the range ($1..$2), or that the range's logs settle into,
 * and differ from what they count: used_* from every ledger row the record statement settles into
 * them (budgetTargetsSql, the whole period: a counter is a running total), reserved_* from the live
 * holds. A row the logs call for but that does not exist has actual null.
 */
export const BUDGET_DRIFT_SQL = `
WITH range AS (
  SELECT $1::date::timestamp AT TIME ZONE 'UTC' AS low, ($2::date + 1)::timestamp AT TIME ZONE 'UTC' AS high
), counted AS (
  SELECT u.budget_id, u.period_start, u.period_end FROM ai_budget_usage AS u, range WHERE u.period_start < range.high AND u.period_end > range.low
  UNION
  SELECT t.budget_id, t.period_start, t.period_end
  FROM ai_usage_logs AS l CROSS JOIN LATERAL (${budgetTargetsSql('l')}) AS t, range
  WHERE l.created_at >= range.low AND l.created_at < range.high
), ledger AS (
  SELECT t.budget_id, t.period_start, sum(COALESCE(l.cost_usd, 0)) AS used_usd, sum(l.total_tokens) AS used_tokens
  FROM ai_usage_logs AS l CROSS JOIN LATERAL (${budgetTargetsSql('l')}) AS t
  WHERE l.created_at >= (SELECT min(period_start) FROM counted) AND l.created_at < (SELECT max(period_end) FROM counted)
  GROUP BY t.budget_id, t.period_start
), held AS (
  SELECT budget_id, period_start, sum(amount_usd) AS reserved_usd, sum(amount_tokens) AS reserved_tokens FROM ai_budget_holds GROUP BY budget_id, period_start
), compared AS (
  SELECT c.budget_id, b.name, c.period_start, c.period_end,
         ${BUDGET_COUNTERS.map((column) => `u.${column} AS actual_${column}, COALESCE(${column.startsWith('used') ? 'g' : 'h'}.${column}, 0) AS expected_${column}`).join(',\n         ')}
  FROM counted AS c JOIN ai_budgets AS b ON b.id = c.budget_id
  LEFT JOIN ai_budget_usage AS u USING (budget_id, period_start)
  LEFT JOIN ledger AS g USING (budget_id, period_start)
  LEFT JOIN held AS h USING (budget_id, period_start)
)
SELECT budget_id, name, period_start, period_end,
       ${BUDGET_COUNTERS.map((column) => `actual_${column}::text AS actual_${column}, expected_${column}::text AS expected_${column}, COALESCE(actual_${column}, 0) <> expected_${column} AS differs_${column}`).join(',\n       ')}
FROM compared
WHERE (${BUDGET_COUNTERS.map((column) => `COALESCE(actual_${column}, 0)`).join(', ')}) IS DISTINCT FROM (${BUDGET_COUNTERS.map((column) => `expected_${column}`).join(', ')})
ORDER BY budget_id, period_start`;

/** Sets budget counter rows ($1: JSON array of budget_id, period_start, period_end and the counters) to what they count, in lock order. */
export const FIX_BUDGETS_SQL = `
INSERT INTO ai_budget_usage AS u (budget_id, period_start, period_end, ${BUDGET_COUNTERS.join(', ')})
SELECT budget_id, period_start, period_end, ${BUDGET_COUNTERS.join(', ')}
FROM jsonb_to_recordset($1::jsonb) AS f (budget_id integer, period_start timestamptz, period_end timestamptz, used_usd numeric, used_tokens bigint, reserved_usd numeric, reserved_tokens bigint)
ORDER BY budget_id, period_start
ON CONFLICT (budget_id, period_start) DO UPDATE SET ${BUDGET_COUNTERS.map((column) => `${column} = excluded.${column}`).join(', ')}, updated_at = now()`;
