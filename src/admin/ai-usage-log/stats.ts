import { QueryTypes, type Sequelize } from 'sequelize';
import type { LogListParams } from './filters.js';
import { LOG_ROW_ESTIMATE_SQL } from './count.js';
import { p95FromHistogram, type ResponseTimeP95 } from './p95.js';
import { prepareLogQuery, type LogQuery, type LogQueryContext } from './query.js';
import { aggregateSource, figuresSql, HISTOGRAM_COLUMNS, logsSource, type FiguresSource } from './stats-source.js';

/** Figures over a set of log rows. Token sums and cost are exact decimal strings. */
export interface LogFigures {
  requests: number;
  successes: number;
  failures: number;
  /** successes / requests; 0 without requests. */
  successRate: number;
  promptTokens: string;
  completionTokens: string;
  thoughtsTokens: string;
  cachedTokens: string;
  totalTokens: string;
  /** Sum of known costs in USD: unpriced requests add nothing until repriced. */
  costUsd: string;
  /** Requests recorded without a price (cost_status unpriced): costUsd is short by their cost. */
  unpricedRequests: number;
  /** Mean response time in ms; null without requests. */
  avgResponseTimeMs: number | null;
}

/** Statistics of exactly the rows the list shows for the same filters and search. */
export interface LogStats {
  totals: LogFigures;
  /** 95th percentile of response time over the same rows. */
  p95ResponseTime: ResponseTimeP95;
  /** Largest first. */
  bySection: (LogFigures & { section: string })[];
  /** Largest first. */
  byModel: (LogFigures & { modelName: string })[];
  /** Where the figures came from: the daily aggregate when the filters allow it, else the logs (or a sample of them). */
  source: FiguresSource['table'];
  /**
   * Set when the figures are estimates: more rows matched than the logs are summed for, so they come
   * from a block sample of the table (`samplePercent` percent of it, where `sampledRequests` rows
   * matched), scaled up. Null when exact.
   */
  approximate: { sampledRequests: number; samplePercent: number } | null;
}

interface FiguresRow {
  by_section: boolean;
  by_model: boolean;
  section: string | null;
  model_name: string | null;
  requests: string;
  successes: string;
  prompt_tokens: string;
  completion_tokens: string;
  thoughts_tokens: string;
  cached_tokens: string;
  total_tokens: string;
  cost_usd: string;
  response_time_ms: string;
  unpriced: string;
  p95: number | null;
  [bucket: `h${number}`]: string;
}

/** A row's figures; `scale` > 1 turns a sample's sums into estimates of the whole. */
function figures(row: FiguresRow, scale = 1): LogFigures {
  const count = (text: string) => Math.round(Number(text) * scale);
  const sum = (text: string) => (scale === 1 ? text : String(count(text)));
  const requests = count(row.requests);
  const successes = count(row.successes);
  const sampled = Number(row.requests);
  return {
    requests,
    successes,
    failures: requests - successes,
    successRate: requests ? successes / requests : 0,
    promptTokens: sum(row.prompt_tokens),
    completionTokens: sum(row.completion_tokens),
    thoughtsTokens: sum(row.thoughts_tokens),
    cachedTokens: sum(row.cached_tokens),
    totalTokens: sum(row.total_tokens),
    costUsd: scale === 1 ? row.cost_usd : (Number(row.cost_usd) * scale).toFixed(6),
    unpricedRequests: count(row.unpriced),
    avgResponseTimeMs: sampled ? Number(row.response_time_ms) / sampled : null,
  };
}

/** Largest first; equal ones by name, so both sources list them alike. */
const byRequests = (a: LogFigures & { name: string }, b: LogFigures & { name: string }) => b.requests - a.requests || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export interface LogStatsOptions {
  /** The logs are summed exactly up to this many matching rows; above, estimated from a block sample. Default 10,000. */
  exactUpTo?: number;
  /** The sample takes about this many rows of the table. Default 50,000. */
  sampleRows?: number;
}

/** Rows of ai_usage_logs by the planner's statistics (-1 before any analyze). */
async function logRowsEstimate(sequelize: Sequelize): Promise<number> {
  const [row] = await sequelize.query<{ n: string }>(`SELECT ${LOG_ROW_ESTIMATE_SQL} AS n`, { type: QueryTypes.SELECT });
  return Number(row?.n ?? -1);
}

function statsOf(rows: FiguresRow[], source: FiguresSource, approximate: LogStats['approximate'] = null): LogStats {
  const scale = approximate ? 100 / approximate.samplePercent : 1;
  const total = rows.find((r) => !r.by_section && !r.by_model)!;
  const p95: ResponseTimeP95 = source.histogram
    ? p95FromHistogram(HISTOGRAM_COLUMNS.map((c) => total[c as `h${number}`] ?? 0))
    : { value: total.p95 ?? null, method: approximate ? 'sampled' : 'exact' };
  return {
    totals: figures(total, scale),
    p95ResponseTime: p95,
    bySection: rows.filter((r) => r.by_section).map((r) => ({ name: r.section!, section: r.section!, ...figures(r, scale) })).sort(byRequests).map(({ name: _, ...row }) => row),
    byModel: rows.filter((r) => r.by_model).map((r) => ({ name: r.model_name!, modelName: r.model_name!, ...figures(r, scale) })).sort(byRequests).map(({ name: _, ...row }) => row),
    source: source.table,
    approximate,
  };
}

/**
 * What the aggregate cannot answer (a search, an id, a time of day) is read from the logs: exactly up
 * to `exactUpTo` matching rows, otherwise from a repeatable block sample of the table, scaled up and
 * marked approximate, so the cost stays bounded at any table size.
 */
export async function logStats(sequelize: Sequelize, query: LogQuery, options: LogStatsOptions = {}): Promise<LogStats> {
  const select = (source: FiguresSource) => sequelize.query<FiguresRow>(figuresSql(source), { bind: source.bind, type: QueryTypes.SELECT });
  const exactUpTo = options.exactUpTo ?? 10_000;
  const capped = logsSource(query, { limit: exactUpTo + 1 });
  const samplePercent = Math.min(100, (100 * (options.sampleRows ?? 50_000)) / Math.max(1, await logRowsEstimate(sequelize)));
  const sampled = logsSource(query, samplePercent < 100 ? { samplePercent } : {});
  // Side by side, so a broad search waits for the slower of the two instead of both in turn; a
  // narrow one then reads a sample it does not need, a bounded cost (sampleRows).
  const [cappedRows, sampleRows] = await Promise.all([select(capped), samplePercent < 100 ? select(sampled) : null]);
  if (Number(cappedRows.find((r) => !r.by_section && !r.by_model)!.requests) <= exactUpTo) return statsOf(cappedRows, capped);
  // A table smaller than a sample: the sum of all its matching rows.
  if (!sampleRows) return statsOf(await select(sampled), sampled);
  const sampledRequests = Number(sampleRows.find((r) => !r.by_section && !r.by_model)!.requests);
  if (sampledRequests > 0) return statsOf(sampleRows, sampled, { sampledRequests, samplePercent });
  // The sample missed every matching row: only the full sum can answer.
  const all = logsSource(query);
  return statsOf(await select(all), all);
}

/**
 * Totals, rates, latency and breakdowns for one list request, in one grouped statement: over the
 * daily aggregate (with its latency histogram) when the filters allow it, else over the logs.
 */
export async function computeLogStats(sequelize: Sequelize, params: LogListParams, context: LogQueryContext, options: LogStatsOptions = {}): Promise<LogStats> {
  const aggregate = aggregateSource(params);
  if (aggregate) {
    const rows = await sequelize.query<FiguresRow>(figuresSql(aggregate), { bind: aggregate.bind, type: QueryTypes.SELECT });
    return statsOf(rows, aggregate);
  }
  return logStats(sequelize, await prepareLogQuery(sequelize, params, { sections: context.sections }), options);
}
