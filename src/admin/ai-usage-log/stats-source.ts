import { INVALID, type LogListParams, type QuickRange } from './filters.js';
import { buildLogQuery, quickRangeStartSql, type LogQuery } from './query.js';
import { SqlBinds } from './sql-binds.js';

/** Per-(section, model) sums of the selected rows, as one grouped SELECT, and where they were read from. */
export interface FiguresSource {
  /** `ai_usage_tracking - failed logs`: successes as the aggregate minus the (few) failed logs. */
  table: 'ai_usage_logs' | 'ai_usage_tracking' | 'ai_usage_tracking - failed logs';
  /** SELECT section, model_name, requests, successes, prompt_tokens, ..., response_time_ms ... GROUP BY section, model_name. */
  grouped: string;
  bind: unknown[];
}

const LOG_SUMS = `count(*) AS requests, count(*) FILTER (WHERE success) AS successes, sum(prompt_tokens) AS prompt_tokens,
  sum(completion_tokens) AS completion_tokens, sum(thoughts_tokens) AS thoughts_tokens, sum(cached_tokens) AS cached_tokens,
  sum(total_tokens) AS total_tokens, COALESCE(sum(cost_usd), 0) AS cost_usd, sum(response_time_ms) AS response_time_ms,
  count(*) FILTER (WHERE cost_status = 'unpriced') AS unpriced`;
const AGGREGATE_SUMS = `sum(request_count) AS requests, sum(success_count) AS successes, sum(prompt_tokens) AS prompt_tokens,
  sum(completion_tokens) AS completion_tokens, sum(thoughts_tokens) AS thoughts_tokens, sum(cached_tokens) AS cached_tokens,
  sum(total_tokens) AS total_tokens, sum(cost_usd) AS cost_usd, sum(total_response_time_ms) AS response_time_ms,
  sum(unpriced_request_count) AS unpriced`;
const SUMMED = ['prompt_tokens', 'completion_tokens', 'thoughts_tokens', 'cached_tokens', 'total_tokens', 'cost_usd', 'response_time_ms', 'unpriced'];

const isUtcMidnight = (date: Date) => date.getTime() % 86_400_000 === 0;
const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** Conditions on ai_usage_tracking's key (user, section, model) for the same filters of the log. */
export function aggregateKeyConditions(f: LogListParams['filters'], binds: SqlBinds): string[] {
  const where: string[] = [];
  if (f.section !== undefined) where.push(`section = ${binds.add(f.section)}`);
  if (f.modelName !== undefined) where.push(`model_name = ${binds.add(f.modelName)}`);
  if (f.userId === null) where.push('user_id IS NULL');
  else if (f.userId !== undefined) where.push(`user_id = ${binds.add(f.userId)}`);
  return where;
}

/** The sums read from the logs themselves: always possible, a scan of the matching rows. */
export function logsSource(query: Pick<LogQuery, 'whereSql' | 'bind'>): FiguresSource {
  return { table: 'ai_usage_logs', grouped: `SELECT section, model_name, ${LOG_SUMS} FROM ai_usage_logs ${query.whereSql} GROUP BY section, model_name`, bind: query.bind };
}

/**
 * The same rows' sums read from ai_usage_tracking, when the filters are ones the daily aggregate can
 * answer exactly: user, section, model, and dates on UTC day boundaries (quick ranges when the
 * panel's zone is UTC).
 * The aggregate equals the sum of the logs for every key, so the figures are the same, from a table
 * that is a fraction of the log's size. Undefined when only the logs can answer (search, success,
 * id, or a bound with a time of day).
 */
export function aggregateSource(params: LogListParams): FiguresSource | undefined {
  const f = params.filters;
  if (params.search?.trim() || f.success !== undefined || f.id !== undefined || f.createdTo !== undefined) return undefined;
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
    // The aggregate's days are UTC days: another zone's quick range does not fall on their bounds.
    if (params.timeZone !== 'UTC') return undefined;
    where.push(`date >= (${quickRangeStartSql(f.period as QuickRange, "'UTC'")} AT TIME ZONE 'UTC')::date`);
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  return { table: 'ai_usage_tracking', grouped: `SELECT section, model_name, ${AGGREGATE_SUMS} FROM ai_usage_tracking ${whereSql} GROUP BY section, model_name`, bind: binds.values };
}

/**
 * Successes only: every request of the aggregate minus the failed logs (a few percent, read through
 * the partial index on failures), exact by the same invariant, instead of summing nearly every log.
 */
export function successesSource(params: LogListParams): FiguresSource | undefined {
  if (params.filters.success !== true) return undefined;
  const all = aggregateSource({ ...params, filters: { ...params.filters, success: undefined } });
  if (!all) return undefined;
  const failed = buildLogQuery({ ...params, filters: { ...params.filters, success: false } }, { firstBind: all.bind.length + 1 });
  const minus = SUMMED.map((c) => `a.${c} - COALESCE(f.${c}, 0) AS ${c}`).join(', ');
  const requests = 'a.requests - COALESCE(f.requests, 0)';
  return {
    table: 'ai_usage_tracking - failed logs',
    grouped: `SELECT section, model_name, ${requests} AS requests, ${requests} AS successes, ${minus}
      FROM (${all.grouped}) a LEFT JOIN (${logsSource(failed).grouped}) f USING (section, model_name)
      WHERE ${requests} > 0`,
    bind: [...all.bind, ...failed.bind],
  };
}

/** Rolls the per-(section, model) sums up into totals, sections and models, in one statement. */
export function figuresSql(source: FiguresSource): string {
  return `WITH g AS (${source.grouped})
    SELECT GROUPING(section) = 0 AS by_section, GROUPING(model_name) = 0 AS by_model, section, model_name,
           COALESCE(sum(requests), 0) AS requests, COALESCE(sum(successes), 0) AS successes,
           COALESCE(sum(prompt_tokens), 0) AS prompt_tokens, COALESCE(sum(completion_tokens), 0) AS completion_tokens,
           COALESCE(sum(thoughts_tokens), 0) AS thoughts_tokens, COALESCE(sum(cached_tokens), 0) AS cached_tokens,
           COALESCE(sum(total_tokens), 0) AS total_tokens, COALESCE(sum(cost_usd), 0) AS cost_usd,
           COALESCE(sum(response_time_ms), 0) AS response_time_ms, COALESCE(sum(unpriced), 0) AS unpriced
    FROM g GROUP BY GROUPING SETS ((), (section), (model_name))`;
}
