import { activeSubscriptionSql } from './active-subscription-sql.js';
import { SETTLE_BUDGETS_CTES } from './budgets/settle-sql.js';
import { LATENCY_BUCKETS } from './latency-histogram.js';

export { activeSubscriptionSql };

/**
 * The one statement that records events: the log rows, the daily aggregate, the billing debit and
 * the budgets' settle as data-modifying CTEs of a single statement, so they succeed or fail together
 * and take one round trip. Everything after `log` reads from it, and `log` leaves out an event whose
 * id was already recorded: a replay changes nothing (and settles nothing twice).
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

/** The log columns an event binds, in order, with their types: the statement takes one array per column. */
export function recordedColumns(userIdType: string): readonly (readonly [column: string, type: string])[] {
  return [
    ['id', 'uuid'],
    ['user_id', userIdType],
    ['section', 'text'],
    ['model_name', 'text'],
    ['prompt_tokens', 'integer'],
    ['completion_tokens', 'integer'],
    ['thoughts_tokens', 'integer'],
    ['cached_tokens', 'integer'],
    ['total_tokens', 'integer'],
    ['response_time_ms', 'integer'],
    ['success', 'boolean'],
    ['error_message', 'text'],
    ['metadata', 'jsonb'],
    ['cost_usd', 'numeric'],
    ['created_at', 'timestamptz'],
    ['cost_status', 'text'],
    ['tool_use_prompt_tokens', 'integer'],
    ['grounding_queries', 'integer'],
    ['service_tier', 'text'],
    ['usage_details', 'jsonb'],
    ['price_id', 'integer'],
  ];
}

/**
 * The record statement for a batch of events (one or many: the tracker groups events that arrive
 * while earlier ones are being written, src/core/record-batcher.ts). Each parameter is one column's
 * array. Every upsert takes its rows in key order, the order every other batch takes them in, so
 * concurrent batches wait for each other instead of deadlocking. Returns one row per event
 * inserted (an event missing from the result was already recorded) and the subscription it debited.
 */
export function recordEventsSql(userIdType: string): string {
  const columns = recordedColumns(userIdType);
  const names = columns.map(([column]) => column).join(', ');
  return `
WITH input AS (
  SELECT * FROM unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) AS e(${names})
), log AS (
  INSERT INTO ai_usage_logs (${names})
  SELECT ${names} FROM input
  ON CONFLICT ${LOG_CONFLICT_TARGET} DO NOTHING
  RETURNING *
), aggregate AS (
  INSERT INTO ai_usage_tracking AS t (user_id, date, section, model_name, ${SUMMED.map(([column]) => column).join(', ')})
  SELECT user_id, (created_at AT TIME ZONE 'UTC')::date AS day, section, model_name, ${SUMMED.map(([, fromLog]) => `sum(${fromLog})`).join(', ')}
  FROM log
  GROUP BY user_id, day, section, model_name
  ORDER BY user_id, day, section, model_name
  ON CONFLICT ${AGGREGATE_CONFLICT_TARGET} DO UPDATE SET
    ${SUMMED.map(([column]) => `${column} = t.${column} + excluded.${column}`).join(',\n    ')},
    updated_at = now()
  RETURNING t.id
), debit AS (
  SELECT log.id, ${activeSubscriptionSql('log')} AS subscription_id, log.total_tokens, log.cost_usd FROM log
), billing AS (
  UPDATE subscriptions AS s
  SET tokens_used = s.tokens_used + d.tokens,
      cost_used_usd = s.cost_used_usd + d.cost_usd,
      updated_at = now()
  FROM (
    SELECT subscription_id, sum(total_tokens) AS tokens, sum(COALESCE(cost_usd, 0)) AS cost_usd
    FROM debit WHERE subscription_id IS NOT NULL
    GROUP BY subscription_id ORDER BY subscription_id
  ) AS d
  WHERE s.id = d.subscription_id
  RETURNING s.id, s.tokens_used, s.token_quota
), ${SETTLE_BUDGETS_CTES}
SELECT debit.id, debit.subscription_id, billing.token_quota,
       -- The subscription's tokens just after this event: events of one statement count in id order.
       billing.tokens_used - sum(debit.total_tokens) OVER same_subscription
         + sum(debit.total_tokens) OVER (same_subscription ORDER BY debit.id) AS tokens_used
FROM debit LEFT JOIN billing ON billing.id = debit.subscription_id
WINDOW same_subscription AS (PARTITION BY debit.subscription_id)`;
}
