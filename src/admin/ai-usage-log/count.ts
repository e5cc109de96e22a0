import { QueryTypes, type Sequelize } from 'sequelize';
import type { LogQuery } from './query.js';

export interface LogCountOptions {
  /** A filtered list counts at most this many rows (the pager then offers that many). Default 10,000. */
  cap?: number;
  /** An unfiltered list uses the planner's row estimate from this table size on. Default 100,000. */
  estimateFrom?: number;
}

export interface LogCount {
  total: number;
  /** `exact`: counted; `capped`: at least `total`; `estimated`: pg_class.reltuples. */
  kind: 'exact' | 'capped' | 'estimated';
}

/**
 * The planner's row estimate of the log, summed over its partitions: autovacuum analyzes each
 * partition, never the partitioned parent, whose own reltuples stays stale. -1: nothing analyzed yet.
 */
export const LOG_ROW_ESTIMATE_SQL = `(SELECT COALESCE(sum(c.reltuples) FILTER (WHERE c.reltuples >= 0), -1)::bigint
  FROM pg_partition_tree('ai_usage_logs') AS t JOIN pg_class AS c ON c.oid = t.relid WHERE t.isleaf)`;

/**
 * The list's total without counting a million rows per page view: unfiltered, the planner's
 * estimate once the table is large (exact below that); filtered, an exact count that stops at `cap`.
 * The statistics panel always shows the exact figure.
 */
export async function countLogs(sequelize: Sequelize, query: Pick<LogQuery, 'whereSql' | 'bind'>, options: LogCountOptions = {}): Promise<LogCount> {
  const cap = options.cap ?? 10_000;
  if (!query.whereSql) {
    const [estimate] = await sequelize.query<{ n: number }>(
      `SELECT ${LOG_ROW_ESTIMATE_SQL} AS n`,
      { type: QueryTypes.SELECT },
    );
    const n = Number(estimate?.n ?? -1);
    if (n >= (options.estimateFrom ?? 100_000)) return { total: n, kind: 'estimated' };
    const [row] = await sequelize.query<{ n: string }>('SELECT count(*) AS n FROM ai_usage_logs', { type: QueryTypes.SELECT });
    return { total: Number(row!.n), kind: 'exact' };
  }
  const [row] = await sequelize.query<{ n: string }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM ai_usage_logs ${query.whereSql} LIMIT ${cap + 1}) capped`,
    { bind: query.bind, type: QueryTypes.SELECT },
  );
  const n = Number(row!.n);
  return n > cap ? { total: cap, kind: 'capped' } : { total: n, kind: 'exact' };
}
