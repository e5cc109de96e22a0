import { QueryTypes, type Sequelize } from 'sequelize';
import type { AlertMetric, AlertScope } from './rule.js';
import { userIdByEmailSql, userReferenceOf } from '../users/user-sql.js';

interface Totals {
  requests: string;
  failures: string;
  tokens: string;
  cost_usd: string;
  p95: number | null;
}

const WEEK_MS = 7 * 24 * 3_600_000;

/** Additive metrics scale with the window's length; rates and percentiles do not. */
const ADDITIVE: ReadonlySet<AlertMetric> = new Set(['cost_usd', 'tokens', 'requests', 'failures']);

async function totals(sequelize: Sequelize, scope: AlertScope, from: Date, to: Date, withP95: boolean): Promise<Totals> {
  const bind: unknown[] = [from, to];
  const where = ['created_at >= $1', 'created_at < $2'];
  if (scope.user !== undefined) {
    bind.push(scope.user);
    where.push(`user_id = (${userIdByEmailSql(userReferenceOf(sequelize), `$${bind.length}`)})`);
  }
  if (scope.section !== undefined) {
    bind.push(scope.section);
    where.push(`section = $${bind.length}`);
  }
  if (scope.model !== undefined) {
    bind.push(scope.model);
    where.push(`model_name = $${bind.length}`);
  }
  const p95 = withP95 ? 'percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms)' : 'NULL::float8';
  const [row] = await sequelize.query<Totals>(
    `SELECT count(*) AS requests, count(*) FILTER (WHERE NOT success) AS failures,
            COALESCE(sum(total_tokens), 0) AS tokens, COALESCE(sum(cost_usd), 0) AS cost_usd, ${p95} AS p95
     FROM ai_usage_logs WHERE ${where.join(' AND ')}`,
    { bind, type: QueryTypes.SELECT },
  );
  return row!;
}

function pick(metric: AlertMetric, row: Totals): number {
  switch (metric) {
    case 'requests':
      return Number(row.requests);
    case 'failures':
      return Number(row.failures);
    case 'tokens':
      return Number(row.tokens);
    case 'cost_usd':
      return Number(row.cost_usd);
    case 'error_rate':
      return Number(row.requests) === 0 ? 0 : Number(row.failures) / Number(row.requests);
    case 'p95_latency_ms':
      return row.p95 ?? 0;
  }
}

/** A metric over the scope's requests in [from, to), from the log (windows need sub-day precision). */
export async function measureMetric(sequelize: Sequelize, metric: AlertMetric, scope: AlertScope, from: Date, to: Date): Promise<number> {
  return pick(metric, await totals(sequelize, scope, from, to, metric === 'p95_latency_ms'));
}

/**
 * What the metric usually is for a window as long as [from, to): measured over the 7 days before
 * `from` (so a spike is never part of its own baseline), scaled to the window's length when it adds up.
 */
export async function sevenDayBaseline(sequelize: Sequelize, metric: AlertMetric, scope: AlertScope, from: Date, to: Date): Promise<number> {
  const week = await measureMetric(sequelize, metric, scope, new Date(from.getTime() - WEEK_MS), from);
  return ADDITIVE.has(metric) ? (week * (to.getTime() - from.getTime())) / WEEK_MS : week;
}
