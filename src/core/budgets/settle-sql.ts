import { budgetTargetsSql } from './targets-sql.js';

/**
 * The budgets' part of the record statement, as CTEs that follow `log` (the row just inserted, empty
 * on a replay): the call's holds are deleted and released, and its real cost and tokens are added to
 * every budget in scope, in the period of the row's created_at (the moment the call was reserved),
 * whatever the budget's mode. So used == the settled ledger for every budget and period, and
 * reserved == the live holds.
 *
 * One upsert per counter row (a statement may not change a row twice), in (budget_id, period_start)
 * order, the order the reserve locks them in, so the two never deadlock. In the proposed row,
 * reserved_* carry what the settled holds release: the insert path never has any, because a hold
 * always points at an existing counter row.
 */
export const SETTLE_BUDGETS_CTES = `
released AS (
  DELETE FROM ai_budget_holds AS h USING log
  WHERE h.event_id = log.id
  RETURNING h.budget_id, h.period_start, h.amount_usd, h.amount_tokens
), settled AS (
  INSERT INTO ai_budget_usage AS u (budget_id, period_start, period_end, used_usd, used_tokens, reserved_usd, reserved_tokens)
  SELECT budget_id, period_start, max(period_end), sum(used_usd), sum(used_tokens), sum(released_usd), sum(released_tokens)
  FROM (
    SELECT t.budget_id, t.period_start, t.period_end, COALESCE(log.cost_usd, 0) AS used_usd, log.total_tokens::bigint AS used_tokens,
           0::numeric AS released_usd, 0::bigint AS released_tokens
    FROM log CROSS JOIN LATERAL (${budgetTargetsSql('log')}) AS t
    UNION ALL
    SELECT r.budget_id, r.period_start, held.period_end, 0, 0, r.amount_usd, r.amount_tokens
    FROM released AS r JOIN ai_budget_usage AS held ON held.budget_id = r.budget_id AND held.period_start = r.period_start
  ) AS change
  GROUP BY budget_id, period_start
  ORDER BY budget_id, period_start
  ON CONFLICT (budget_id, period_start) DO UPDATE SET
    used_usd = u.used_usd + excluded.used_usd,
    used_tokens = u.used_tokens + excluded.used_tokens,
    reserved_usd = u.reserved_usd - excluded.reserved_usd,
    reserved_tokens = u.reserved_tokens - excluded.reserved_tokens,
    updated_at = now()
  RETURNING u.budget_id
)`;
