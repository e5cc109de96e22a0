import type { UserReference } from '../users/user-reference.cjs';
import type { BudgetCall } from './budget-gate.js';
import { budgetTargetsSql } from './targets-sql.js';

/**
 * The calls of a batch with the budgets that apply to each. $1 is the calls as a JSON array of
 * objects with the columns below (callsParameter), `ord` their order from 1; $2 the default mode of
 * quota budgets. JSON rather than one array per column: the planner guesses the same number of rows
 * for any batch, so one generic plan serves every execution instead of planning each batch's size anew.
 */
function callsSql(users: UserReference): string {
  return `
call AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
    AS c(ord bigint, event_id uuid, user_id ${users.idType}, section text, model_name text, created_at timestamptz, hold_usd numeric, hold_tokens bigint)
), target AS (
  SELECT call.ord, t.* FROM call CROSS JOIN LATERAL (${budgetTargetsSql('call', '$2::text')}) AS t WHERE t.mode <> 'off'
)`;
}

/** One element of $1: a call, its place in the batch and its hold (hold_usd null when the call is unpriced). */
interface ReservedCall {
  ord: number;
  event_id: string;
  user_id: string | number | null;
  section: string;
  model_name: string;
  created_at: Date;
  hold_usd: string | null;
  hold_tokens: number;
}

/**
 * `text` with each lone UTF-16 surrogate replaced by U+FFFD, as UTF-8 encoding a bind parameter would:
 * JSON.stringify writes one as a \u escape, which jsonb refuses, failing the whole batch.
 */
const wellFormed = (text: string): string => text.replace(/\p{Surrogate}/gu, '\uFFFD');

/** $1 of the statements below: the calls, in order. */
export function callsParameter(calls: readonly BudgetCall[]): string {
  return JSON.stringify(
    calls.map((c, i): ReservedCall => ({
      ord: i + 1,
      event_id: c.eventId,
      user_id: typeof c.userId === 'string' ? wellFormed(c.userId) : c.userId,
      section: wellFormed(c.section),
      model_name: wellFormed(c.modelName),
      created_at: c.at,
      hold_usd: c.hold.usd,
      hold_tokens: c.hold.tokens,
    })),
  );
}

/** Whether a hold fits a budget's counter row once `before` (USD and tokens held ahead of it) is added: SQL over columns of `row`. */
const fitsSql = (row: string, beforeUsd: string, beforeTokens: string) => `((${row}.limit_usd IS NULL OR (${row}.hold_usd IS NOT NULL AND ${row}.used_usd + ${row}.reserved_usd + ${beforeUsd} + ${row}.hold_usd <= ${row}.limit_usd))
      AND (${row}.limit_tokens IS NULL OR ${row}.used_tokens + ${row}.reserved_tokens + ${beforeTokens} + ${row}.hold_tokens <= ${row}.limit_tokens))`;

/**
 * The reserve of a batch of calls, one statement. `locked` locks the counter rows of every budget
 * that applies to any call, in (budget_id, period_start) order, the one order every writer of these
 * rows uses, and reads them as they are once locked (READ COMMITTED gives a locking read the latest
 * committed version). Then the calls are judged in order, as if they came one after another: each
 * call's hold is added after the holds of the calls before it on the same counter row.
 *
 * - `held`: the calls before the first one that does not fit an enforced budget. Each counter row
 *   gets `reserved += their holds`, and each call a hold row per budget expiring in $3 seconds.
 * - `refused`: a call that does not fit even on top of the held ones alone. Holds of other calls
 *   only add, so it would not fit in any order; its rows say why, with the held ones counted as reserved.
 * - `retry`: a later call that would fit on top of the held ones. The caller runs the retries again,
 *   in order (the first of a batch is always held or refused), so no call is refused that had room.
 *
 * A call no budget applies to comes back with one row, budget_id null, outcome null (nothing to hold).
 * `found < targets`: some counter rows do not exist yet; nothing changed (ensureSql, then again).
 * Prepared: the locks are held for one execution only, and it is planned once per connection.
 */
export function reserveSql(users: UserReference): string {
  return `
WITH ${callsSql(users)}, locked AS MATERIALIZED (
  SELECT u.budget_id, u.period_start, u.used_usd, u.used_tokens, u.reserved_usd, u.reserved_tokens
  FROM ai_budget_usage AS u
  WHERE (u.budget_id, u.period_start) IN (SELECT budget_id, period_start FROM target)
  ORDER BY u.budget_id, u.period_start
  FOR UPDATE OF u
), pair AS (
  SELECT t.ord, t.budget_id, t.period_start, t.period_end, t.name, t.mode, t.limit_usd, t.limit_tokens,
         c.hold_usd, c.hold_tokens, l.used_usd, l.used_tokens, l.reserved_usd, l.reserved_tokens,
         sum(COALESCE(c.hold_usd, 0)) OVER ahead - COALESCE(c.hold_usd, 0) AS ahead_usd,
         sum(c.hold_tokens) OVER ahead - c.hold_tokens AS ahead_tokens
  FROM target AS t JOIN call AS c USING (ord) JOIN locked AS l USING (budget_id, period_start)
  WINDOW ahead AS (PARTITION BY t.budget_id, t.period_start ORDER BY t.ord)
), bound AS (
  SELECT (SELECT count(*) FROM target)::int AS targets, (SELECT count(*) FROM pair)::int AS found,
         COALESCE(min(p.ord) FILTER (WHERE p.mode = 'enforce' AND NOT ${fitsSql('p', 'p.ahead_usd', 'p.ahead_tokens')}), 9223372036854775807) AS first_unfit
  FROM pair AS p
), held_sum AS (
  SELECT p.budget_id, p.period_start, sum(COALESCE(p.hold_usd, 0)) AS usd, sum(p.hold_tokens) AS tokens
  FROM pair AS p, bound AS b WHERE p.ord < b.first_unfit GROUP BY p.budget_id, p.period_start
), judged AS (
  SELECT p.*, p.ord < b.first_unfit AS in_held,
         CASE WHEN p.ord < b.first_unfit THEN p.ahead_usd ELSE COALESCE(s.usd, 0) END AS before_usd,
         CASE WHEN p.ord < b.first_unfit THEN p.ahead_tokens ELSE COALESCE(s.tokens, 0) END AS before_tokens
  FROM pair AS p CROSS JOIN bound AS b LEFT JOIN held_sum AS s USING (budget_id, period_start)
), checked AS (
  SELECT j.*, ${fitsSql('j', 'j.before_usd', 'j.before_tokens')} AS fits FROM judged AS j
), outcome AS (
  SELECT ord, CASE WHEN bool_and(in_held) THEN 'held' WHEN bool_and(fits OR mode = 'warn') THEN 'retry' ELSE 'refused' END AS outcome
  FROM checked GROUP BY ord
), reserved AS (
  UPDATE ai_budget_usage AS u
  SET reserved_usd = u.reserved_usd + s.usd, reserved_tokens = u.reserved_tokens + s.tokens, updated_at = now()
  FROM held_sum AS s, bound AS b
  WHERE b.found = b.targets AND u.budget_id = s.budget_id AND u.period_start = s.period_start
  RETURNING u.budget_id, u.period_start
), held AS (
  INSERT INTO ai_budget_holds (event_id, budget_id, period_start, amount_usd, amount_tokens, expires_at)
  SELECT c.event_id, j.budget_id, j.period_start, COALESCE(j.hold_usd, 0), j.hold_tokens, now() + make_interval(secs => $3::double precision)
  FROM judged AS j JOIN call AS c USING (ord) JOIN reserved AS r USING (budget_id, period_start)
  WHERE j.in_held
  RETURNING event_id
), held_count AS (
  SELECT event_id, count(*)::int AS held FROM held GROUP BY event_id
)
SELECT c.ord::int, b.targets, b.found, o.outcome, COALESCE(h.held, 0) AS held,
       k.budget_id, k.name, k.mode, k.fits, k.limit_usd::text, k.limit_tokens::text, k.used_usd::text, k.used_tokens::text,
       (k.reserved_usd + k.before_usd)::text AS reserved_usd, (k.reserved_tokens + k.before_tokens)::text AS reserved_tokens,
       k.period_start, k.period_end
FROM call AS c CROSS JOIN bound AS b
LEFT JOIN outcome AS o USING (ord) LEFT JOIN checked AS k USING (ord) LEFT JOIN held_count AS h USING (event_id)
ORDER BY c.ord, k.budget_id`;
}

/** Creates the counter rows the reserve found missing (a budget's first call in a period), for a batch of calls. */
export function ensureSql(users: UserReference): string {
  return `
WITH ${callsSql(users)}
INSERT INTO ai_budget_usage (budget_id, period_start, period_end)
SELECT DISTINCT budget_id, period_start, period_end FROM target ORDER BY budget_id, period_start
ON CONFLICT (budget_id, period_start) DO NOTHING`;
}

/** Releases the holds of events that will never reach the ledger ($1 event ids): in lock order. */
export const RELEASE_SQL = `
WITH gone AS (
  DELETE FROM ai_budget_holds WHERE event_id = ANY($1::uuid[]) RETURNING budget_id, period_start, amount_usd, amount_tokens
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
