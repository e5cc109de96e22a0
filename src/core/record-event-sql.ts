import { activeSubscriptionSql } from './active-subscription-sql.js';
import { SETTLE_BUDGETS_CTES } from './budgets/settle-sql.js';
import { LATENCY_BUCKETS } from './latency-histogram.js';

export { activeSubscriptionSql };

/**
 * The one statement that records an event: the log row, the daily aggregate, the billing debit and
 * the budgets' settle as data-modifying CTEs of a single statement, so they succeed or fail together
 * and take one round trip. Everything after `log` reads from it, and `log` is empty when the id was
 * already recorded: a replay changes nothing (and settles nothing twice).
 */

/**
 * Conflict target of the idempotent insert: ai_usage_logs is partitioned by month on created_at, and
 * a partitioned table's unique keys must contain the partition column. A replay carries the same
 * created_at as the first attempt, so the pair identifies the event as the id alone did.
 */
const LOG_CONFLICT_TARGET = '(id, created_at)';
const AGGREGATE_CONFLICT_TARGET = '(user_id, date, section, model_name)';

/** What a failed log row adds to a column, 0 for a success. */
const ifFailed = (expression: string) => `CASE WHEN success THEN 0 ELSE ${expression} END`;

/**
 * Each aggregate column and what one log row adds to it: aggregate == sum(logs) for every one.
 * The failure_* columns repeat the figures for failed rows only, so statistics of failures (and of
 * successes: all minus failures) come from the aggregate too; the response_ms_* columns are the
 * latency histogram (src/core/latency-histogram.ts).
 */
export const SUMMED: readonly (readonly [column: string, fromLog: string])[] = [
  ['request_count', '1'],
  ['success_count', 'success::int'],
  ['failure_count', '(NOT success)::int'],
  ['unpriced_request_count', "(cost_status = 'unpriced')::int"],
  ['prompt_tokens', 'prompt_tokens'],
  ['completion_tokens', 'completion_tokens'],
  ['thoughts_tokens', 'thoughts_tokens'],
  ['cached_tokens', 'cached_tokens'],
  ['tool_use_prompt_tokens', 'tool_use_prompt_tokens'],
  ['total_tokens', 'total_tokens'],
  ['grounding_queries', 'grounding_queries'],
  ['total_response_time_ms', 'response_time_ms'],
  // An unpriced row adds no money: it is counted in unpriced_request_count until repriced.
  ['cost_usd', 'COALESCE(cost_usd, 0)'],
  ['failure_unpriced_request_count', "(NOT success AND cost_status = 'unpriced')::int"],
  ['failure_prompt_tokens', ifFailed('prompt_tokens')],
  ['failure_completion_tokens', ifFailed('completion_tokens')],
  ['failure_thoughts_tokens', ifFailed('thoughts_tokens')],
  ['failure_cached_tokens', ifFailed('cached_tokens')],
  ['failure_total_tokens', ifFailed('total_tokens')],
  ['failure_response_time_ms', ifFailed('response_time_ms')],
  ['failure_cost_usd', ifFailed('COALESCE(cost_usd, 0)')],
  ...LATENCY_BUCKETS.map((b) => [b.column, `(${b.condition})::int`] as const),
  ...LATENCY_BUCKETS.map((b) => [b.failureColumn, `(NOT success AND ${b.condition})::int`] as const),
];

export const RECORD_EVENT_SQL = `
WITH log AS (
  INSERT INTO ai_usage_logs (id, user_id, section, model_name, prompt_tokens, completion_tokens, thoughts_tokens,
    cached_tokens, total_tokens, response_time_ms, success, error_message, metadata, cost_usd, created_at,
    cost_status, tool_use_prompt_tokens, grounding_queries, service_tier, usage_details, price_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14::numeric, $15, $16, $17, $18, $19, $20::jsonb, $21)
  ON CONFLICT ${LOG_CONFLICT_TARGET} DO NOTHING
  RETURNING *
), aggregate AS (
  INSERT INTO ai_usage_tracking AS t (user_id, date, section, model_name, ${SUMMED.map(([column]) => column).join(', ')})
  SELECT user_id, (created_at AT TIME ZONE 'UTC')::date, section, model_name, ${SUMMED.map(([, fromLog]) => fromLog).join(', ')}
  FROM log
  ON CONFLICT ${AGGREGATE_CONFLICT_TARGET} DO UPDATE SET
    ${SUMMED.map(([column]) => `${column} = t.${column} + excluded.${column}`).join(',\n    ')},
    updated_at = now()
  RETURNING t.id
), billing AS (
  UPDATE subscriptions AS s
  SET tokens_used = s.tokens_used + log.total_tokens,
      cost_used_usd = s.cost_used_usd + COALESCE(log.cost_usd, 0),
      updated_at = now()
  FROM log
  WHERE s.id = ${activeSubscriptionSql('log')}
  RETURNING s.id, s.tokens_used, s.token_quota
), ${SETTLE_BUDGETS_CTES}
SELECT (SELECT count(*) FROM log)::int AS inserted,
       (SELECT count(*) FROM aggregate)::int AS aggregated,
       billing.id AS subscription_id, billing.tokens_used, billing.token_quota
FROM (SELECT 1) AS one LEFT JOIN billing ON true`;
