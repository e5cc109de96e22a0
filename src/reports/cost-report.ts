import { QueryTypes, type Sequelize } from 'sequelize';
import { previousRange, type ReportGroup, type ReportRange } from './report-range.js';
import { userJoinSql, userReferenceOf } from '../core/users/user-sql.js';

/** Money stays an exact decimal string; counts are numbers. */
export interface ReportLine {
  key: string;
  label: string;
  requests: number;
  tokens: number;
  costUsd: string;
  /** Requests without a price (their cost is unknown, not zero). */
  unpricedRequests: number;
  /** costUsd / requests, null without requests. */
  costPerRequestUsd: string | null;
  previousCostUsd: string;
  /** (cost - previous) / previous, null when there was no previous cost. */
  change: number | null;
}

export interface CostReport {
  range: ReportRange;
  previous: ReportRange;
  group: ReportGroup;
  pivot: ReportGroup | null;
  totals: Omit<ReportLine, 'key' | 'label'>;
  lines: ReportLine[];
  /** Cost of each (row, column) pair when a pivot dimension is chosen. */
  cells: { row: string; column: string; costUsd: string; requests: number }[];
  columns: { key: string; label: string }[];
  topSpenders: ReportLine[];
  /** Cost per day of the largest groups (the rest summed as "other"), for the chart. */
  daily: { date: string; key: string; costUsd: string }[];
}

const DIMENSIONS: Record<ReportGroup, { key: string; label: string }> = {
  user: { key: "COALESCE(t.user_id::text, 'system')", label: "COALESCE(u.email, '(system work)')" },
  section: { key: 't.section', label: 't.section' },
  model: { key: 't.model_name', label: 't.model_name' },
};

const CURRENT = 't.date BETWEEN $1::date AND $2::date';
const PREVIOUS = 't.date BETWEEN $3::date AND $4::date';

interface Row {
  key: string;
  label: string;
  requests: string;
  tokens: string;
  cost_usd: string;
  unpriced: string;
  cost_per_request: string | null;
  previous_cost: string;
}

const MEASURES = `
  COALESCE(sum(t.request_count) FILTER (WHERE ${CURRENT}), 0) AS requests,
  COALESCE(sum(t.total_tokens) FILTER (WHERE ${CURRENT}), 0) AS tokens,
  COALESCE(sum(t.cost_usd) FILTER (WHERE ${CURRENT}), 0) AS cost_usd,
  COALESCE(sum(t.unpriced_request_count) FILTER (WHERE ${CURRENT}), 0) AS unpriced,
  round(sum(t.cost_usd) FILTER (WHERE ${CURRENT}) / NULLIF(sum(t.request_count) FILTER (WHERE ${CURRENT}), 0), 12) AS cost_per_request,
  COALESCE(sum(t.cost_usd) FILTER (WHERE ${PREVIOUS}), 0) AS previous_cost`;

function line(row: Row): ReportLine {
  const previous = Number(row.previous_cost);
  return {
    key: row.key,
    label: row.label,
    requests: Number(row.requests),
    tokens: Number(row.tokens),
    costUsd: row.cost_usd,
    unpricedRequests: Number(row.unpriced),
    costPerRequestUsd: row.cost_per_request,
    previousCostUsd: row.previous_cost,
    change: previous > 0 ? (Number(row.cost_usd) - previous) / previous : null,
  };
}

const OTHER = 'other';
const CHART_SERIES = 5;

/**
 * The cost report over [from, to] from the daily aggregate only (so it costs the same at any log
 * size): lines by one dimension with month-over-month change, totals, an optional pivot by a
 * second dimension, the top spending users and the daily series of the largest groups.
 */
export async function costReport(sequelize: Sequelize, range: ReportRange, group: ReportGroup, pivot: ReportGroup | null = null, topSpenders = 10): Promise<CostReport> {
  const previous = previousRange(range);
  const bind = [range.from, range.to, previous.from, previous.to];
  const FROM = `FROM ai_usage_tracking t ${userJoinSql(userReferenceOf(sequelize), 't.user_id')}`;
  const select = <T extends object>(sql: string) => sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT });
  const both = `WHERE ${CURRENT} OR ${PREVIOUS}`;
  const dim = DIMENSIONS[group];

  const lines = (await select<Row>(`SELECT ${dim.key} AS key, ${dim.label} AS label, ${MEASURES} ${FROM} ${both} GROUP BY 1, 2 ORDER BY cost_usd DESC, requests DESC, key`)).map(line);
  const [totalRow] = await select<Row>(`SELECT '' AS key, '' AS label, ${MEASURES} ${FROM} ${both}`);
  const { key: _k, label: _l, ...totals } = line(totalRow!);
  const spenders = (
    await select<Row>(`SELECT ${DIMENSIONS.user.key} AS key, ${DIMENSIONS.user.label} AS label, ${MEASURES} ${FROM} ${both} GROUP BY 1, 2 ORDER BY cost_usd DESC, requests DESC, key LIMIT ${Math.max(1, Math.floor(topSpenders))}`)
  ).map(line).filter((l) => l.requests > 0);

  let cells: CostReport['cells'] = [];
  let columns: CostReport['columns'] = [];
  if (pivot && pivot !== group) {
    const col = DIMENSIONS[pivot];
    const rows = await sequelize.query<{ row: string; column: string; column_label: string; cost_usd: string; requests: string }>(
      `SELECT ${dim.key} AS row, ${col.key} AS column, ${col.label} AS column_label, sum(t.cost_usd) AS cost_usd, sum(t.request_count) AS requests
       ${FROM} WHERE ${CURRENT} GROUP BY 1, 2, 3`,
      { bind: [range.from, range.to], type: QueryTypes.SELECT },
    );
    cells = rows.map((r) => ({ row: r.row, column: r.column, costUsd: r.cost_usd, requests: Number(r.requests) }));
    const costOf = new Map<string, number>();
    for (const r of rows) costOf.set(r.column, (costOf.get(r.column) ?? 0) + Number(r.cost_usd));
    columns = [...new Map(rows.map((r) => [r.column, r.column_label])).entries()]
      .sort((a, b) => (costOf.get(b[0]) ?? 0) - (costOf.get(a[0]) ?? 0) || a[0].localeCompare(b[0]))
      .map(([key, label]) => ({ key, label }));
  }

  const charted = lines.filter((l) => l.requests > 0).slice(0, CHART_SERIES).map((l) => l.key);
  const daily = await sequelize.query<{ date: string; key: string; cost_usd: string }>(
    `SELECT t.date::text AS date, CASE WHEN ${dim.key} = ANY($3::text[]) THEN ${dim.key} ELSE '${OTHER}' END AS key, sum(t.cost_usd) AS cost_usd
     ${FROM} WHERE ${CURRENT} GROUP BY 1, 2 ORDER BY 1, 2`,
    { bind: [range.from, range.to, charted], type: QueryTypes.SELECT },
  );
  return {
    range,
    previous,
    group,
    pivot: pivot && pivot !== group ? pivot : null,
    totals,
    lines,
    cells,
    columns,
    topSpenders: spenders,
    daily: daily.map((d) => ({ date: d.date, key: d.key, costUsd: d.cost_usd })),
  };
}
