import { QueryTypes, type Sequelize } from 'sequelize';
import type { UserId } from '../../core/users/user-id.js';
import { userColumnSql, userReferenceOf } from '../../core/users/user-sql.js';
import type { SectionRegistry } from '../../core/sections.js';
import { dayInZone } from '../time/time-zone.js';

/** Ranges the dashboard offers, in days ending today (in the panel's time zone). */
export const DASHBOARD_RANGES = [7, 30, 90] as const;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;
const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Inclusive days of `timeZone`. */
export interface DashboardRange {
  from: string;
  to: string;
  days: number;
  /** The panel's time zone: the days are its calendar days. */
  timeZone: string;
}

export interface DayFigures {
  date: string;
  requests: number;
  failures: number;
  tokens: number;
  cost: number;
  /** Mean response time of the day's requests in ms; null on a day without any. */
  avgResponseTimeMs: number | null;
  /** Requests, tokens and cost of each section that had requests that day. */
  bySection: Record<string, { requests: number; tokens: number; cost: number }>;
}

export interface DashboardData {
  range: DashboardRange;
  /** Every registered section, for labels and colours. */
  sections: { id: string; label: string; color: string }[];
  days: DayFigures[];
  totals: { requests: number; failures: number; errorRate: number; tokens: number; cost: number; avgResponseTimeMs: number | null };
  topUsers: { userId: UserId | null; username: string | null; requests: number; tokens: number; cost: number }[];
  /** The AdminJS resource top users link to; null when the panel has none (a host's users without resourceId). */
  usersResourceId: string | null;
  topModels: { modelName: string; requests: number; tokens: number; cost: number }[];
  /** Requests in the range with no price yet (their cost is not in `cost`), by model. */
  unpriced: { total: number; models: { modelName: string; unpricedRequests: number }[] };
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * `?days=7|30|90` ending today in the zone, or `?from=YYYY-MM-DD&to=YYYY-MM-DD` (at most a year);
 * anything else gives the last 30 days.
 */
export function parseDashboardRange(query: Record<string, unknown> = {}, timeZone = 'UTC', now = new Date()): DashboardRange {
  const from = String(query.from ?? '');
  const to = String(query.to ?? '');
  if (DATE.test(from) && DATE.test(to)) {
    const span = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
    if (span >= 1 && span <= MAX_DAYS) return { from, to, days: span, timeZone };
  }
  const days = (DASHBOARD_RANGES as readonly number[]).includes(Number(query.days)) ? Number(query.days) : DEFAULT_DAYS;
  const end = dayInZone(now, timeZone);
  return { from: day(new Date(Date.parse(end) - (days - 1) * DAY_MS)), to: end, days, timeZone };
}

/**
 * The rows the dashboard sums, shaped like ai_usage_tracking. Its days are UTC days, so in UTC it is
 * the aggregate itself; in another zone the logs of the range, each counted on its day in that zone
 * (a scan of the range's rows through the created_at index instead of the aggregate's few rows).
 */
function dailyRows(timeZone: string): string {
  if (timeZone === 'UTC') return 'ai_usage_tracking';
  return `(SELECT (created_at AT TIME ZONE $3::text)::date AS date, user_id, section, model_name, 1 AS request_count,
            (NOT success)::int AS failure_count, total_tokens, cost_usd, response_time_ms AS total_response_time_ms,
            (cost_status = 'unpriced')::int AS unpriced_request_count
     FROM ai_usage_logs
     WHERE created_at >= ($1::date::timestamp AT TIME ZONE $3::text) AND created_at < (($2::date + 1)::timestamp AT TIME ZONE $3::text)) AS daily`;
}

interface SectionDayRow { date: string; section: string; requests: string; failures: string; tokens: string; cost: string; response_ms: string }

/** The dashboard's figures: from ai_usage_tracking (plus users for names) in UTC, from the range's logs in another zone. */
export async function loadDashboard(sequelize: Sequelize, sections: SectionRegistry, range: DashboardRange): Promise<DashboardData> {
  const bind = range.timeZone === 'UTC' ? [range.from, range.to] : [range.from, range.to, range.timeZone];
  const rows = dailyRows(range.timeZone);
  const select = <T extends object>(sql: string) => sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT });
  const sums = 'sum(request_count) AS requests, sum(total_tokens) AS tokens, sum(cost_usd) AS cost';
  const [perDay, users, models, unpriced] = await Promise.all([
    select<SectionDayRow>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, section, ${sums}, sum(failure_count) AS failures, sum(total_response_time_ms) AS response_ms
       FROM ${rows} WHERE date BETWEEN $1::date AND $2::date GROUP BY date, section ORDER BY date, section`,
    ),
    select<{ user_id: UserId | null; username: string | null; requests: string; tokens: string; cost: string }>(
      `WITH top AS (SELECT user_id, ${sums} FROM ${rows} WHERE date BETWEEN $1::date AND $2::date
                    GROUP BY user_id ORDER BY sum(total_tokens) DESC, user_id LIMIT 10)
       SELECT top.*, ${userColumnSql(userReferenceOf(sequelize), 'name', 'top.user_id')} AS username FROM top ORDER BY top.tokens DESC, top.user_id`,
    ),
    select<{ model_name: string; requests: string; tokens: string; cost: string }>(
      `SELECT model_name, ${sums} FROM ${rows} WHERE date BETWEEN $1::date AND $2::date
       GROUP BY model_name ORDER BY sum(request_count) DESC, model_name LIMIT 10`,
    ),
    select<{ model_name: string; unpriced: string }>(
      `SELECT model_name, sum(unpriced_request_count) AS unpriced FROM ${rows} WHERE date BETWEEN $1::date AND $2::date
       GROUP BY model_name HAVING sum(unpriced_request_count) > 0 ORDER BY sum(unpriced_request_count) DESC, model_name`,
    ),
  ]);
  const days = new Map<string, DayFigures & { responseMs: number }>();
  for (let t = Date.parse(range.from); t <= Date.parse(range.to); t += DAY_MS) {
    const date = day(new Date(t));
    days.set(date, { date, requests: 0, failures: 0, tokens: 0, cost: 0, avgResponseTimeMs: null, bySection: {}, responseMs: 0 });
  }
  for (const row of perDay) {
    const d = days.get(row.date);
    if (!d) continue;
    const figures = { requests: Number(row.requests), tokens: Number(row.tokens), cost: Number(row.cost) };
    d.bySection[row.section] = figures;
    d.requests += figures.requests;
    d.tokens += figures.tokens;
    d.cost += figures.cost;
    d.failures += Number(row.failures);
    d.responseMs += Number(row.response_ms);
  }
  const list = [...days.values()].map(({ responseMs, ...d }) => ({ ...d, avgResponseTimeMs: d.requests ? responseMs / d.requests : null }));
  const requests = list.reduce((n, d) => n + d.requests, 0);
  const failures = list.reduce((n, d) => n + d.failures, 0);
  const responseMs = [...days.values()].reduce((n, d) => n + d.responseMs, 0);
  return {
    range,
    sections: sections.list().map(({ id, label, color }) => ({ id, label, color })),
    days: list,
    totals: {
      requests,
      failures,
      errorRate: requests ? failures / requests : 0,
      tokens: list.reduce((n, d) => n + d.tokens, 0),
      cost: list.reduce((n, d) => n + d.cost, 0),
      avgResponseTimeMs: requests ? responseMs / requests : null,
    },
    topUsers: users.map((u) => ({ userId: u.user_id, username: u.username, requests: Number(u.requests), tokens: Number(u.tokens), cost: Number(u.cost) })),
    usersResourceId: userReferenceOf(sequelize).resourceId,
    topModels: models.map((m) => ({ modelName: m.model_name, requests: Number(m.requests), tokens: Number(m.tokens), cost: Number(m.cost) })),
    unpriced: {
      total: unpriced.reduce((n, m) => n + Number(m.unpriced), 0),
      models: unpriced.map((m) => ({ modelName: m.model_name, unpricedRequests: Number(m.unpriced) })),
    },
  };
}
