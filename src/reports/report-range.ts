/** A report's date range: whole UTC days, both ends included, as YYYY-MM-DD. */
export interface ReportRange {
  from: string;
  to: string;
}

export const REPORT_GROUPS = ['user', 'section', 'model'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

/** A report parameter that cannot be used; the message names it. */
export class ReportParameterError extends Error {
  override name = 'ReportParameterError';
  readonly status = 400;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const day = (date: Date) => date.toISOString().slice(0, 10);
const utc = (year: number, month: number, dayOfMonth: number) => new Date(Date.UTC(year, month, dayOfMonth));

/** The last full calendar month before `now` (UTC). */
export function lastFullMonth(now: Date = new Date()): ReportRange {
  return { from: day(utc(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)), to: day(utc(now.getUTCFullYear(), now.getUTCMonth(), 0)) };
}

/** From the first of this month to today (UTC). */
export function monthToDate(now: Date = new Date()): ReportRange {
  return { from: day(utc(now.getUTCFullYear(), now.getUTCMonth(), 1)), to: day(now) };
}

function isMonthStart(date: string): boolean {
  return date.endsWith('-01');
}

function isMonthEnd(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`);
  return utc(d.getUTCFullYear(), d.getUTCMonth() + 1, 0).getUTCDate() === d.getUTCDate();
}

/** The same day a month earlier, clamped to that month's last day (March 31 -> February 28). */
function monthBefore(date: string, months = 1): string {
  const d = new Date(`${date}T00:00:00Z`);
  const last = utc(d.getUTCFullYear(), d.getUTCMonth() - months + 1, 0).getUTCDate();
  return day(utc(d.getUTCFullYear(), d.getUTCMonth() - months, Math.min(d.getUTCDate(), last)));
}

/**
 * What "month over month" compares with: whole months with the whole months before them (November
 * with October), any other range with the same days one month earlier (Dec 1-3 with Nov 1-3).
 */
export function previousRange(range: ReportRange): ReportRange {
  if (isMonthStart(range.from) && isMonthEnd(range.to)) {
    const from = new Date(`${range.from}T00:00:00Z`);
    const to = new Date(`${range.to}T00:00:00Z`);
    const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth() + 1;
    return { from: day(utc(from.getUTCFullYear(), from.getUTCMonth() - months, 1)), to: day(utc(from.getUTCFullYear(), from.getUTCMonth(), 0)) };
  }
  return { from: monthBefore(range.from), to: monthBefore(range.to) };
}

/** Reads from/to (default: the last full month) and checks them: valid dates, in order, at most 366 days. */
export function parseReportRange(query: Record<string, unknown>, now: Date = new Date()): ReportRange {
  const fallback = lastFullMonth(now);
  const read = (name: 'from' | 'to') => {
    const raw = query[name];
    if (raw === undefined || raw === '') return fallback[name];
    if (typeof raw !== 'string' || !DATE.test(raw) || Number.isNaN(new Date(`${raw}T00:00:00Z`).getTime()) || day(new Date(`${raw}T00:00:00Z`)) !== raw) {
      throw new ReportParameterError(`${name} must be a date as YYYY-MM-DD, got ${JSON.stringify(raw)}`);
    }
    return raw;
  };
  const range = { from: read('from'), to: read('to') };
  if (range.from > range.to) throw new ReportParameterError(`from (${range.from}) must not be after to (${range.to})`);
  if ((Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 > 366) throw new ReportParameterError('a report covers at most 366 days');
  return range;
}

export function parseReportGroup(value: unknown, name: string, fallback: ReportGroup | null): ReportGroup | null {
  if (value === undefined || value === '') return fallback;
  if (value === 'none' && fallback === null) return null;
  if (typeof value !== 'string' || !(REPORT_GROUPS as readonly string[]).includes(value)) {
    throw new ReportParameterError(`${name} must be one of ${REPORT_GROUPS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as ReportGroup;
}
