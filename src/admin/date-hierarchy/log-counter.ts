import { QueryTypes, type Sequelize } from 'sequelize';
import type { SectionDefinition } from '../../core/sections.js';
import { INVALID, type LogListParams } from '../ai-usage-log/filters.js';
import { prepareLogQuery } from '../ai-usage-log/query.js';
import { SqlBinds } from '../ai-usage-log/sql-binds.js';
import { aggregateKeyConditions } from '../ai-usage-log/stats-source.js';
import { dayEnd, dayInZone, dayStart } from '../time/time-zone.js';
import type { DateCounter } from './counter.js';
import type { DayRange } from './levels.js';

/** A span of time, start inclusive, end exclusive. */
interface Span {
  start: Date;
  end: Date;
}

const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * A span as the whole UTC days inside it (the daily aggregate's days) and the slivers before and
 * after them. In UTC a day, month or year has no slivers; in another zone each end has one.
 */
export function splitByUtcDays(span: Span): { days?: DayRange; slivers: Span[] } {
  const firstMidnight = Math.ceil(span.start.getTime() / DAY_MS) * DAY_MS;
  const lastMidnight = Math.floor(span.end.getTime() / DAY_MS) * DAY_MS;
  if (firstMidnight >= lastMidnight) return { slivers: [span] };
  const slivers: Span[] = [];
  if (span.start.getTime() < firstMidnight) slivers.push({ start: span.start, end: new Date(firstMidnight) });
  if (lastMidnight < span.end.getTime()) slivers.push({ start: new Date(lastMidnight), end: span.end });
  return { days: { from: utcDay(firstMidnight), to: utcDay(lastMidnight - DAY_MS) }, slivers };
}

/** The aggregate's column counting the requests the log's filters select, or undefined when only the log can tell (search, id, refusals). */
function aggregateColumn(params: LogListParams): string | undefined {
  const f = params.filters;
  if (params.search?.trim() || f.id !== undefined || f.refused !== undefined || f.budgetId !== undefined) return undefined;
  return f.success === true ? 'success_count' : f.success === false ? 'failure_count' : 'request_count';
}

/** Rows of the log matching `where` in each span: one probe of a created_at index per span. */
async function countLogSpans(sequelize: Sequelize, query: { whereSql: string; bind: unknown[] }, spans: Span[]): Promise<number[]> {
  if (!spans.length) return [];
  const n = query.bind.length;
  const where = query.whereSql ? `${query.whereSql} AND` : 'WHERE';
  const rows = await sequelize.query<{ n: string }>(
    `SELECT (SELECT count(*) FROM ai_usage_logs ${where} ai_usage_logs.created_at >= s.start AND ai_usage_logs.created_at < s.finish) AS n
       FROM unnest($${n + 1}::timestamptz[], $${n + 2}::timestamptz[]) WITH ORDINALITY AS s(start, finish, i) ORDER BY s.i`,
    { bind: [...query.bind, spans.map((s) => s.start.toISOString()), spans.map((s) => s.end.toISOString())], type: QueryTypes.SELECT },
  );
  return rows.map((row) => Number(row.n));
}

/** Requests per UTC day from the daily aggregate, for the log's key filters (user, section, model, success). */
async function aggregateDays(sequelize: Sequelize, params: LogListParams, column: string, range: DayRange): Promise<Map<string, number>> {
  const binds = new SqlBinds();
  const where = [`date >= ${binds.add(range.from)}::date`, `date <= ${binds.add(range.to)}::date`, ...aggregateKeyConditions(params.filters, binds)];
  const rows = await sequelize.query<{ day: string; n: string }>(
    `SELECT date::text AS day, sum(${column}) AS n FROM ai_usage_tracking WHERE ${where.join(' AND ')} GROUP BY date`,
    { bind: binds.values, type: QueryTypes.SELECT },
  );
  return new Map(rows.map((row) => [row.day, Number(row.n)]));
}

/**
 * Counts of the AI usage log per range of days of the panel's zone, for the list's other filters
 * and search. Whole UTC days come from the daily aggregate (exact: it equals the sum of the logs
 * for every key), the rest of each range from the log through its created_at indexes; with a
 * search or an id filter, all of it from the log.
 */
export function logDateCounter(sequelize: Sequelize, params: LogListParams, sections: readonly SectionDefinition[]): DateCounter {
  const zone = params.timeZone;
  const query = () => prepareLogQuery(sequelize, params, { sections });
  const impossible = Object.values(params.filters).some((value) => value === INVALID);
  return {
    async bounds() {
      if (impossible) return null;
      const { whereSql, bind } = await query();
      const [row] = await sequelize.query<{ first: Date | null; last: Date | null }>(
        `SELECT min(created_at) AS first, max(created_at) AS last FROM ai_usage_logs ${whereSql}`,
        { bind, type: QueryTypes.SELECT },
      );
      return row?.first && row.last ? { from: dayInZone(new Date(row.first), zone), to: dayInZone(new Date(row.last), zone) } : null;
    },
    async counts(ranges) {
      if (impossible || !ranges.length) return ranges.map(() => 0);
      const spans = ranges.map((r) => ({ start: dayStart(r.from, zone)!, end: dayEnd(r.to, zone)! }));
      const column = aggregateColumn(params);
      const split = column ? spans.map(splitByUtcDays) : spans.map((span) => ({ days: undefined, slivers: [span] }));
      const slivers = split.flatMap((s, i) => s.slivers.map((span) => ({ span, i })));
      const covered = split.flatMap((s, i) => (s.days ? [{ ...s.days, i }] : []));
      const [sliverCounts, perDay] = await Promise.all([
        countLogSpans(sequelize, await query(), slivers.map((s) => s.span)),
        covered.length && column ? aggregateDays(sequelize, params, column, { from: covered.map((c) => c.from).sort()[0]!, to: covered.map((c) => c.to).sort().pop()! }) : new Map<string, number>(),
      ]);
      const counts = ranges.map(() => 0);
      slivers.forEach((s, k) => (counts[s.i]! += sliverCounts[k]!));
      for (const c of covered) {
        for (const [d, n] of perDay) if (c.from <= d && d <= c.to) counts[c.i]! += n;
      }
      return counts;
    },
  };
}
