import type { UserReference } from '../users/user-reference.cjs';
import { budgetTargetsSql } from './targets-sql.js';

/**
 * Parameters of the statements below: $1 event id (the hold key), $2 user id, $3 section,
 * $4 model name, $5 the call's created_at (its period), $6 the default mode of quota budgets.
 */
const callSql = (users: UserReference) => `
call AS (SELECT $1::uuid AS event_id, $2::${users.idType} AS user_id, $3::text AS section, $4::text AS model_name, $5::timestamptz AS created_at
), target AS (
  SELECT t.* FROM call CROSS JOIN LATERAL (${budgetTargetsSql('call', '$6::text')}) AS t WHERE t.mode <> 'off'
)`;

/**
 * The reserve, one statement: `locked` locks the counter rows of every budget that applies, in
 * (budget_id, period_start) order, the one order every writer of these rows uses, and reads them as
 * they are once locked (READ COMMITTED gives a locking read the latest committed version). Only if
 * every enforced budget has room for the hold ($7 USD, null when unpriced; $8 tokens), each gets
 * `reserved += hold` and a hold row expiring in $9 seconds; otherwise nothing changes and the rows
 * say why. `found < targets`: some counter rows do not exist yet (ENSURE_SQL, then again).
 * One statement, prepared: the locks are held for its execution only, and it is planned once per connection.
 */
export function reserveSql(users: UserReference): string {
  const fits = (row: string, limits: string) => `(${limits}.limit_usd IS NULL OR ($7::numeric IS NOT NULL AND ${row}.used_usd + ${row}.reserved_usd + $7::numeric <= ${limits}.limit_usd))
      AND (${limits}.limit_tokens IS NULL OR ${row}.used_tokens + ${row}.reserved_tokens + $8::bigint <= ${limits}.limit_tokens)`;
  return `
WITH ${callSql(users)}, locked AS (
  SELECT u.budget_id, u.period_start, u.used_usd, u.used_tokens, u.reserved_usd, u.reserved_tokens
  FROM ai_budget_usage AS u JOIN target AS t USING (budget_id, period_start)
  ORDER BY u.budget_id, u.period_start
  FOR UPDATE OF u
), checked AS (
  SELECT l.*, t.name, t.mode, t.limit_usd, t.limit_tokens, t.period_end, ${fits('l', 't')} AS fits
  FROM locked AS l JOIN target AS t USING (budget_id, period_start)
), verdict AS (
  SELECT (SELECT count(*) FROM target)::int AS targets, count(*)::int AS found, COALESCE(bool_and(c.fits OR c.mode = 'warn'), true) AS ok
  FROM checked AS c
), reserved AS (
  UPDATE ai_budget_usage AS u
  SET reserved_usd = u.reserved_usd + COALESCE($7::numeric, 0), reserved_tokens = u.reserved_tokens + $8::bigint, updated_at = now()
  FROM checked AS c, verdict AS v
  WHERE v.ok AND v.found = v.targets AND u.budget_id = c.budget_id AND u.period_start = c.period_start
  RETURNING u.budget_id, u.period_start
), held AS (
  INSERT INTO ai_budget_holds (event_id, budget_id, period_start, amount_usd, amount_tokens, expires_at)
  SELECT call.event_id, r.budget_id, r.period_start, COALESCE($7::numeric, 0), $8::bigint, now() + make_interval(secs => $9::double precision)
  FROM reserved AS r, call
  RETURNING budget_id
)
SELECT v.targets, v.found, v.ok, (SELECT count(*) FROM held)::int AS held,
       c.budget_id, c.name, c.mode, c.fits, c.limit_usd::text, c.limit_tokens::text, c.used_usd::text, c.used_tokens::text,
       c.reserved_usd::text, c.reserved_tokens::text, c.period_start, c.period_end
FROM verdict AS v LEFT JOIN checked AS c ON true
ORDER BY c.budget_id`;
}

/** Creates the counter rows the reserve found missing (a budget's first call in a period). */
export function ensureSql(users: UserReference): string {
  return `
WITH ${callSql(users)}
INSERT INTO ai_budget_usage (budget_id, period_start, period_end)
SELECT budget_id, period_start, period_end FROM target ORDER BY budget_id, period_start
ON CONFLICT (budget_id, period_start) DO NOTHING`;
}

/** Releases the holds of one event that will never reach the ledger ($1 event id): in lock order. */
export const RELEASE_SQL = `
WITH gone AS (
  DELETE FROM ai_budget_holds WHERE event_id = $1::uuid RETURNING budget_id, period_start, amount_usd, amount_tokens
), ${releaseCounters('gone')}`;

/**
 * Releases expired holds: the ones a settle is deleting right now are skipped (it releases them),
 * and the counters move in lock order. Returns the counter rows changed and the amounts released.
 */
export const SWEEP_SQL = `
WITH expired AS (
  SELECT event_id, budget_id FROM ai_budget_holds WHERE expires_at <= now()
  ORDER BY event_id, budget_id FOR UPDATE SKIP LOCKED
), gone AS (
  DELETE FROM ai_budget_holds AS h USING expired AS e WHERE h.event_id = e.event_id AND h.budget_id = e.budget_id
  RETURNING h.budget_id, h.period_start, h.amount_usd, h.amount_tokens
), ${releaseCounters('gone')}`;

/** reserved -= the deleted holds in `gone`, one upsert per counter row in lock order (reserved_* of the proposed row = the release). */
function releaseCounters(gone: string): string {
  return `counters AS (
INSERT INTO ai_budget_usage AS u (budget_id, period_start, period_end, reserved_usd, reserved_tokens)
SELECT g.budget_id, g.period_start, held.period_end, sum(g.amount_usd), sum(g.amount_tokens)
FROM ${gone} AS g JOIN ai_budget_usage AS held ON held.budget_id = g.budget_id AND held.period_start = g.period_start
GROUP BY g.budget_id, g.period_start, held.period_end
ORDER BY g.budget_id, g.period_start
ON CONFLICT (budget_id, period_start) DO UPDATE SET
  reserved_usd = u.reserved_usd - excluded.reserved_usd,
  reserved_tokens = u.reserved_tokens - excluded.reserved_tokens,
  updated_at = now()
RETURNING u.budget_id
)
SELECT (SELECT count(*) FROM counters)::int AS counters, COALESCE(sum(amount_usd), 0)::text AS released_usd, COALESCE(sum(amount_tokens), 0)::text AS released_tokens
FROM ${gone}`;
}
