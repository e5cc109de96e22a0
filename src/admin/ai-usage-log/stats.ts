import { QueryTypes, type Sequelize } from 'sequelize';
import type { LogListParams } from './filters.js';
import { responseTimeP95, type P95Options, type ResponseTimeP95 } from './p95.js';
import { prepareLogQuery, type LogQueryContext } from './query.js';
import { aggregateSource, figuresSql, logsSource, successesSource, type FiguresSource } from './stats-source.js';

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
  /** Where the sums came from: the daily aggregate when the filters allow it (for successes, minus the failed logs), else the logs. */
  source: FiguresSource['table'];
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
}

function figures(row: FiguresRow): LogFigures {
  const requests = Number(row.requests);
  const successes = Number(row.successes);
  return {
    requests,
    successes,
    failures: requests - successes,
    successRate: requests ? successes / requests : 0,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    thoughtsTokens: row.thoughts_tokens,
    cachedTokens: row.cached_tokens,
    totalTokens: row.total_tokens,
    costUsd: row.cost_usd,
    unpricedRequests: Number(row.unpriced),
    avgResponseTimeMs: requests ? Number(row.response_time_ms) / requests : null,
  };
}

const byRequests = (a: LogFigures, b: LogFigures) => b.requests - a.requests;

export type LogStatsOptions = P95Options;

/**
 * Totals, rates, latency and breakdowns for one list request. Sums come from one grouped scan
 * (of the daily aggregate when it can answer exactly, else of the logs) and the p95 from the logs,
 * in parallel.
 */
export async function computeLogStats(sequelize: Sequelize, params: LogListParams, context: LogQueryContext, options: LogStatsOptions = {}): Promise<LogStats> {
  const query = await prepareLogQuery(sequelize, params, { sections: context.sections });
  const source: FiguresSource = aggregateSource(params) ?? successesSource(params) ?? logsSource(query);
  const [rows, p95] = await Promise.all([
    sequelize.query<FiguresRow>(figuresSql(source), { bind: source.bind, type: QueryTypes.SELECT }),
    responseTimeP95(sequelize, query, options),
  ]);
  const total = rows.find((r) => !r.by_section && !r.by_model);
  return {
    totals: figures(total!),
    p95ResponseTime: p95,
    bySection: rows.filter((r) => r.by_section).map((r) => ({ section: r.section!, ...figures(r) })).sort(byRequests),
    byModel: rows.filter((r) => r.by_model).map((r) => ({ modelName: r.model_name!, ...figures(r) })).sort(byRequests),
    source: source.table,
  };
}
