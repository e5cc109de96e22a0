import { activeSubscriptionSql } from '../active-subscription-sql.js';
import { budgetTargetsSql } from '../budgets/targets-sql.js';

/**
 * One batch of reprices as one statement: the log rows still as they were read are locked and
 * updated, their aggregates, the subscriptions they debited and the budgets they count move by the same deltas, and an audit
 * row records each change. `$1` is a JSON array of {id, created_at, new_status, new_cost,
 * new_price_id}; a row that changed since it was read (or was already repriced) is skipped, which
 * makes a second run a no-op.
 */
export const APPLY_REPRICE_SQL = `
WITH wanted AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS c (id uuid, created_at timestamptz, old_status text, old_cost numeric,
    old_price_id integer, new_status text, new_cost numeric, new_price_id integer)
), old AS (
  SELECT l.id, l.created_at, l.user_id, l.section, l.model_name, l.success, l.cost_status, l.cost_usd, l.price_id,
         w.new_status, w.new_cost, w.new_price_id,
         COALESCE(w.new_cost, 0) - COALESCE(l.cost_usd, 0) AS delta
  FROM ai_usage_logs AS l JOIN wanted AS w ON w.id = l.id AND w.created_at = l.created_at
  WHERE l.cost_status = w.old_status AND l.cost_usd IS NOT DISTINCT FROM w.old_cost AND l.price_id IS NOT DISTINCT FROM w.old_price_id
  FOR UPDATE OF l
), logs AS (
  UPDATE ai_usage_logs AS l SET cost_status = o.new_status, cost_usd = o.new_cost, price_id = o.new_price_id
  FROM old AS o WHERE l.id = o.id AND l.created_at = o.created_at
  RETURNING l.id
), aggregates AS (
  UPDATE ai_usage_tracking AS t
  SET cost_usd = t.cost_usd + d.delta, unpriced_request_count = t.unpriced_request_count + d.unpriced,
      failure_cost_usd = t.failure_cost_usd + d.failure_delta, failure_unpriced_request_count = t.failure_unpriced_request_count + d.failure_unpriced,
      updated_at = now()
  FROM (
    SELECT user_id, (created_at AT TIME ZONE 'UTC')::date AS date, section, model_name, sum(delta) AS delta,
           sum((new_status = 'unpriced')::int - (cost_status = 'unpriced')::int) AS unpriced,
           COALESCE(sum(delta) FILTER (WHERE NOT success), 0) AS failure_delta,
           COALESCE(sum((new_status = 'unpriced')::int - (cost_status = 'unpriced')::int) FILTER (WHERE NOT success), 0) AS failure_unpriced
    FROM old GROUP BY 1, 2, 3, 4
  ) AS d
  WHERE t.user_id IS NOT DISTINCT FROM d.user_id AND t.date = d.date AND t.section = d.section AND t.model_name = d.model_name
  RETURNING t.id
), debits AS (
  UPDATE subscriptions AS s SET cost_used_usd = s.cost_used_usd + d.delta, updated_at = now()
  FROM (SELECT ${activeSubscriptionSql('old')} AS subscription_id, sum(delta) AS delta FROM old WHERE user_id IS NOT NULL GROUP BY 1) AS d
  WHERE s.id = d.subscription_id
  RETURNING s.id
), budget_costs AS (
  UPDATE ai_budget_usage AS u SET used_usd = u.used_usd + d.delta, updated_at = now()
  FROM (SELECT t.budget_id, t.period_start, sum(o.delta) AS delta FROM old AS o CROSS JOIN LATERAL (${budgetTargetsSql('o')}) AS t GROUP BY 1, 2) AS d
  WHERE u.budget_id = d.budget_id AND u.period_start = d.period_start
  RETURNING u.budget_id
), audit AS (
  INSERT INTO ai_cost_audit (log_id, log_created_at, actor, reason, old_status, new_status, old_cost_usd, new_cost_usd, old_price_id, new_price_id)
  SELECT id, created_at, $2, $3, cost_status, new_status, cost_usd, new_cost, price_id, new_price_id FROM old
  RETURNING id
)
SELECT (SELECT count(*) FROM logs)::int AS changed, (SELECT count(*) FROM audit)::int AS audited`;
