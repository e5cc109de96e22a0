import { LOG_ROW_ESTIMATE_SQL } from './count.js';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { LogQuery } from './query.js';

export interface P95Options {
  /** Computed exactly over this many matching rows or fewer. Default 100,000. */
  exactUpTo?: number;
  /** Above that, estimated from a block sample of about this many table rows. Default 100,000. */
  sampleRows?: number;
}

export interface ResponseTimeP95 {
  /** percentile_cont(0.95) of response_time_ms in ms; null without rows. */
  value: number | null;
  /** `exact` over every matching row, or `sampled` (TABLESAMPLE SYSTEM, repeatable) over a large set. */
  method: 'exact' | 'sampled';
}

type Where = Pick<LogQuery, 'whereSql' | 'bind'>;

async function percentile(sequelize: Sequelize, from: string, query: Where, extraBind: unknown[] = []): Promise<number | null> {
  const [row] = await sequelize.query<{ p95: number | null }>(
    `SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms) AS p95 FROM ${from} ${query.whereSql}`,
    { bind: [...query.bind, ...extraBind], type: QueryTypes.SELECT },
  );
  return row?.p95 ?? null;
}

/**
 * The 95th percentile of response time needs every matching row's latency (the daily aggregate
 * keeps sums only), so it is exact up to `exactUpTo` rows and sampled above, where sorting a
 * million latencies would take most of a second.
 */
export async function responseTimeP95(sequelize: Sequelize, query: Where, options: P95Options = {}): Promise<ResponseTimeP95> {
  const exactUpTo = options.exactUpTo ?? 100_000;
  // One pass for the common case: up to exactUpTo rows are read once, counted and ranked together.
  const [bounded] = await sequelize.query<{ n: string; p95: number | null; table_rows: number }>(
    `SELECT count(*) AS n, percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms) AS p95,
            ${LOG_ROW_ESTIMATE_SQL} AS table_rows
     FROM (SELECT response_time_ms FROM ai_usage_logs ${query.whereSql} LIMIT ${exactUpTo + 1}) bounded`,
    { bind: query.bind, type: QueryTypes.SELECT },
  );
  if (Number(bounded!.n) <= exactUpTo) return { value: bounded!.p95 ?? null, method: 'exact' };
  const percent = Math.min(100, (100 * (options.sampleRows ?? 100_000)) / Math.max(1, Number(bounded!.table_rows)));
  const sampled = await percentile(sequelize, `ai_usage_logs TABLESAMPLE SYSTEM ($${query.bind.length + 1}::real) REPEATABLE (0)`, query, [percent]);
  if (sampled === null) return { value: await percentile(sequelize, 'ai_usage_logs', query), method: 'exact' };
  return { value: sampled, method: 'sampled' };
}
