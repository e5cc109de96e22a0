'use strict';
// Statistics from the daily aggregate (issue 15, item 4): each ai_usage_tracking row gets a
// response-time histogram (fixed log-scale buckets: upper bounds 25 ms doubling to 102,400 ms, then
// one open bucket), so a p95 survives aggregation, and the figures of its failed requests, so a
// success/failure filter can be answered from the aggregate too. Existing rows are filled from the
// logs while writes to the aggregate wait, so aggregate == sum(logs) holds for the new columns.
// The bounds are written out here (not imported) so this migration never changes; they are the ones
// of src/core/latency-histogram.ts, and the tracker's statement sums into exactly these columns.

const BOUNDS = [25, 50, 100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 102400];
const LAST = BOUNDS[BOUNDS.length - 1];

/** [column, what one log row adds]: the histogram, then the histogram of failures. */
function bucketColumns() {
  const buckets = BOUNDS.map((high, i) => [
    `le_${high}`,
    i === 0 ? `response_time_ms <= ${high}` : `response_time_ms > ${BOUNDS[i - 1]} AND response_time_ms <= ${high}`,
  ]);
  buckets.push([`over_${LAST}`, `response_time_ms > ${LAST}`]);
  return [
    ...buckets.map(([name, condition]) => [`response_ms_${name}`, `(${condition})::int`]),
    ...buckets.map(([name, condition]) => [`failure_response_ms_${name}`, `(NOT success AND ${condition})::int`]),
  ];
}

const ifFailed = (expression) => `CASE WHEN success THEN 0 ELSE ${expression} END`;

/** Every new column: [name, type, what one log row adds]. */
const COLUMNS = [
  ['failure_unpriced_request_count', 'bigint', "(NOT success AND cost_status = 'unpriced')::int"],
  ['failure_prompt_tokens', 'bigint', ifFailed('prompt_tokens')],
  ['failure_completion_tokens', 'bigint', ifFailed('completion_tokens')],
  ['failure_thoughts_tokens', 'bigint', ifFailed('thoughts_tokens')],
  ['failure_cached_tokens', 'bigint', ifFailed('cached_tokens')],
  ['failure_total_tokens', 'bigint', ifFailed('total_tokens')],
  ['failure_response_time_ms', 'bigint', ifFailed('response_time_ms')],
  ['failure_cost_usd', 'numeric', ifFailed('COALESCE(cost_usd, 0)')],
  ...bucketColumns().map(([name, fromLog]) => [name, 'bigint', fromLog]),
];

/** @param {import('sequelize').QueryInterface} queryInterface */
async function up(queryInterface) {
  await queryInterface.sequelize.transaction(async (transaction) => {
    const q = (sql) => queryInterface.sequelize.query(sql, { transaction });
    // Writers (the tracker, reprices) wait until the new columns are filled; readers go on.
    await q('LOCK TABLE ai_usage_tracking IN SHARE ROW EXCLUSIVE MODE');
    await q(`ALTER TABLE ai_usage_tracking ${COLUMNS.map(([name, type]) => `ADD COLUMN ${name} ${type} NOT NULL DEFAULT 0`).join(', ')}`);
    await q(`
      UPDATE ai_usage_tracking AS t SET ${COLUMNS.map(([name]) => `${name} = s.${name}`).join(', ')}
      FROM (
        SELECT user_id, (created_at AT TIME ZONE 'UTC')::date AS date, section, model_name,
               ${COLUMNS.map(([name, , fromLog]) => `sum(${fromLog}) AS ${name}`).join(', ')}
        FROM ai_usage_logs GROUP BY 1, 2, 3, 4
      ) AS s
      WHERE t.date = s.date AND t.section = s.section AND t.model_name = s.model_name AND t.user_id IS NOT DISTINCT FROM s.user_id`);
  });
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function down(queryInterface) {
  await queryInterface.sequelize.query(`ALTER TABLE ai_usage_tracking ${COLUMNS.map(([name]) => `DROP COLUMN IF EXISTS ${name}`).join(', ')}`);
}

module.exports = { up, down };
