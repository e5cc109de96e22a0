import { LATENCY_BUCKETS } from '../../core/latency-histogram.js';
import { INVALID, type LogListParams, type QuickRange } from './filters.js';
import { quickRangeStartSql, type LogQuery } from './query.js';
import { SqlBinds } from './sql-binds.js';

/** Per-(section, model) sums of the selected rows, as one grouped SELECT, and where they were read from. */
export interface FiguresSource {
  /** `ai_usage_logs sample`: a block sample of the logs, the sums scaled up (approximate). */
  table: 'ai_usage_logs' | 'ai_usage_tracking' | 'ai_usage_logs sample';
  /** CTEs (`name AS (...)`, comma-separated) the grouped SELECT reads, if any. */
  with?: string;
  /** SELECT section, model_name, requests, successes, prompt_tokens, ..., response_time_ms, unpriced[, h0..hN] ... GROUP BY section, model_name. */
  grouped: string;
  bind: unknown[];
  /** Whether `grouped` also gives the latency histogram, columns h0..hN (LATENCY_BUCKETS). */
  histogram: boolean;
  /** A scalar SQL expression for the 95th percentile (nearest rank) of response_time_ms, when read from log rows. */
  p95Sql?: string;
}

const FIGURES = ['requests', 'successes', 'prompt_tokens', 'completion_tokens', 'thoughts_tokens', 'cached_tokens', 'total_tokens', 'cost_usd', 'response_time_ms', 'unpriced'] as const;
type Figure = (typeof FIGURES)[number];
const HISTOGRAM = LATENCY_BUCKETS.map((_, i) => `h${i}`);

/** Each figure of the log rows' sums. */
const LOG_SUMS = `count(*) AS requests, count(*) FILTER (WHERE success) AS successes, sum(prompt_tokens) AS prompt_tokens,
  sum(completion_tokens) AS completion_tokens, sum(thoughts_tokens) AS thoughts_tokens, sum(cached_tokens) AS cached_tokens,
  sum(total_tokens) AS total_tokens, COALESCE(sum(cost_usd), 0) AS cost_usd, sum(response_time_ms) AS response_time_ms,
  count(*) FILTER (WHERE cost_status = 'unpriced') AS unpriced`;

/** Each figure and histogram bucket as ai_usage_tracking columns, for all requests and for the failed ones. */
const AGGREGATE: Record<Figure, { all: string; failed: string }> = {
  requests: { all: 'request_count', failed: 'failure_count' },
  successes: { all: 'success_count', failed: '0' },
  prompt_tokens: { all: 'prompt_tokens', failed: 'failure_prompt_tokens' },
  completion_tokens: { all: 'completion_tokens', failed: 'failure_completion_tokens' },
  thoughts_tokens: { all: 'thoughts_tokens', failed: 'failure_thoughts_tokens' },
  cached_tokens: { all: 'cached_tokens', failed: 'failure_cached_tokens' },
  total_tokens: { all: 'total_tokens', failed: 'failure_total_tokens' },
  cost_usd: { all: 'cost_usd', failed: 'failure_cost_usd' },
  response_time_ms: { all: 'total_response_time_ms', failed: 'failure_response_time_ms' },
  unpriced: { all: 'unpriced_request_count', failed: 'failure_unpriced_request_count' },
};
const AGGREGATE_HISTOGRAM = LATENCY_BUCKETS.map((b, i) => ({ name: HISTOGRAM[i]!, all: b.column, failed: b.failureColumn }));

/** The aggregate's sums for every request, only the failed ones (success false), or only the successful ones (all minus failed). */
function aggregateGrouped(success: boolean | undefined, whereSql: string): string {
  const pick = (c: { all: string; failed: string }) => (success === undefined ? c.all : success ? `${c.all} - ${c.failed}` : c.failed);
  const sums = [...FIGURES.map((figure) => `sum(${pick(AGGREGATE[figure])}) AS ${figure}`), ...AGGREGATE_HISTOGRAM.map((h) => `sum(${pick(h)}) AS ${h.name}`)];
  // A key without a matching request (only successes, when failures are asked for) is no row of the breakdowns.
  return `SELECT section, model_name, ${sums.join(', ')} FROM ai_usage_tracking ${whereSql}
    GROUP BY section, model_name HAVING sum(${pick(AGGREGATE.requests)}) > 0`;
}

/** Conditions on ai_usage_tracking's key (user, section, model) for the same filters of the log. */
export function aggregateKeyConditions(f: LogListParams['filters'], binds: SqlBinds): string[] {
  const where: string[] = [];
  if (f.section !== undefined) where.push(`section = ${binds.add(f.section)}`);
  if (f.modelName !== undefined) where.push(`model_name = ${binds.add(f.modelName)}`);
  if (f.userId === null) where.push('user_id IS NULL');
  else if (f.userId !== undefined) where.push(`user_id = ${binds.add(f.userId)}`);
  return where;
}

const isUtcMidnight = (date: Date) => date.getTime() % 86_400_000 === 0;
const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** The columns the log path reads from each matching row. */
export const LOG_ROW_COLUMNS = 'section, model_name, success, prompt_tokens, completion_tokens, thoughts_tokens, cached_tokens, total_tokens, cost_usd, cost_status, response_time_ms';

/**
 * The sums and the exact p95 of the matching log rows, read once into a CTE. `limit` caps the rows
 * read (the caller sees requests == limit when more matched); `sample` reads a repeatable block
 * sample of that percent of the table instead of all of it.
 */
export function logsSource(query: Pick<LogQuery, 'whereSql' | 'bind'>, options: { limit?: number; samplePercent?: number } = {}): FiguresSource {
  const bind = [...query.bind];
  const sample = options.samplePercent === undefined ? '' : ` TABLESAMPLE SYSTEM ($${bind.push(options.samplePercent)}::real) REPEATABLE (0)`;
  const limit = options.limit === undefined ? '' : ` LIMIT ${Math.trunc(options.limit)}`;
  return {
    table: sample ? 'ai_usage_logs sample' : 'ai_usage_logs',
    with: `matching AS MATERIALIZED (SELECT ${LOG_ROW_COLUMNS} FROM ai_usage_logs${sample} ${query.whereSql}${limit})`,
    grouped: `SELECT section, model_name, ${LOG_SUMS} FROM matching GROUP BY section, model_name`,
    bind,
    histogram: false,
    p95Sql: '(SELECT percentile_disc(0.95) WITHIN GROUP (ORDER BY response_time_ms) FROM matching)',
  };
}

/**
 * The same rows' sums read from ai_usage_tracking, when the filters are ones the daily aggregate can
 * answer exactly: user, section, model, success (from its failure columns), and dates on UTC day
 * boundaries (quick ranges only when the panel's zone is UTC: another zone's midnight is not a day
 * boundary of the aggregate). The aggregate equals the sum of the logs for every key and column, so
 * the figures are the same, from a table that is a fraction of the log's size, with the latency
 * histogram for the p95. Undefined when only the logs can answer (search, id, refusals, a bound with a time of day).
 */
export function aggregateSource(params: LogListParams): FiguresSource | undefined {
  const f = params.filters;
  if (params.search?.trim() || f.id !== undefined || f.createdTo !== undefined) return undefined;
  // Refusals are told apart by their metadata, which the aggregate does not keep.
  if (f.refused !== undefined || f.budgetId !== undefined) return undefined;
  if (Object.values(f).some((value) => value === INVALID)) return undefined;
  const binds = new SqlBinds();
  const where = aggregateKeyConditions(f, binds);
  if (f.createdFrom instanceof Date) {
    if (!isUtcMidnight(f.createdFrom)) return undefined;
    where.push(`date >= ${binds.add(utcDay(f.createdFrom))}::date`);
  }
  if (f.createdBefore instanceof Date) {
    if (!isUtcMidnight(f.createdBefore)) return undefined;
    where.push(`date < ${binds.add(utcDay(f.createdBefore))}::date`);
  }
  if (f.period) {
    if (params.timeZone !== 'UTC') return undefined;
    where.push(`date >= (${quickRangeStartSql(f.period as QuickRange, "'UTC'")} AT TIME ZONE 'UTC')::date`);
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  return {
    table: 'ai_usage_tracking',
    grouped: aggregateGrouped(f.success as boolean | undefined, whereSql),
    bind: binds.values,
    histogram: true,
  };
}

/** Rolls the per-(section, model) sums up into totals, sections and models, in one statement. */
export function figuresSql(source: FiguresSource): string {
  const sums = [...FIGURES, ...(source.histogram ? HISTOGRAM : [])].map((c) => `COALESCE(sum(${c}), 0) AS ${c}`).join(', ');
  return `WITH ${source.with ? `${source.with}, ` : ''}g AS (${source.grouped})
    SELECT GROUPING(section) = 0 AS by_section, GROUPING(model_name) = 0 AS by_model, section, model_name, ${sums},
           ${source.p95Sql ?? 'NULL::float8'} AS p95
    FROM g GROUP BY GROUPING SETS ((), (section), (model_name))`;
}

/** Names of the histogram columns figuresSql gives when the source has one, in bucket order. */
export const HISTOGRAM_COLUMNS: readonly string[] = HISTOGRAM;
