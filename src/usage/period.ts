import { HttpError } from '../http/errors.js';

/** A range of whole UTC days, both ends included, as YYYY-MM-DD. */
export interface UsagePeriod {
  from: string;
  to: string;
}

/** Longest range one request may ask for, in days. */
export const MAX_PERIOD_DAYS = 400;
/** The window used when there is no subscription period to default to. */
export const DEFAULT_WINDOW_DAYS = 30;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 400 naming the query parameter at fault. */
export function badParameter(parameter: string, message: string): HttpError {
  return new HttpError(400, `${parameter}: ${message}`, { parameter });
}

export const utcDay = (date: Date): string => date.toISOString().slice(0, 10);
export const addDays = (day: string, days: number): string => utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** A real calendar day written YYYY-MM-DD (2026-02-30 is refused), else a 400 naming `parameter`. */
function parseDay(parameter: string, value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw badParameter(parameter, 'give it once, as YYYY-MM-DD');
  const match = ISO_DATE.exec(value);
  const parsed = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()) || utcDay(parsed) !== value) throw badParameter(parameter, `"${value.slice(0, 40)}" is not a date YYYY-MM-DD`);
  return value;
}

/** The UTC days of a subscription period [start, end): its first day to the day of its last instant. */
export function periodOfSubscription(start: Date, end: Date): UsagePeriod {
  return { from: utcDay(start), to: utcDay(new Date(end.getTime() - 1)) };
}

/**
 * The period asked for by `from` and `to` (inclusive UTC days). Neither: `fallback` (the current
 * subscription period) or else the last 30 days. Only `from`: up to today. Only `to`: the 30 days
 * ending there. A bad date, `from` after `to`, or more than MAX_PERIOD_DAYS days is a 400.
 */
export function resolvePeriod(query: { from?: unknown; to?: unknown }, fallback: UsagePeriod | null, now = new Date()): UsagePeriod {
  const from = parseDay('from', query.from);
  const to = parseDay('to', query.to);
  const today = utcDay(now);
  const period: UsagePeriod =
    from && to ? { from, to }
    : from ? { from, to: from > today ? from : today }
    : to ? { from: addDays(to, 1 - DEFAULT_WINDOW_DAYS), to }
    : fallback ?? { from: addDays(today, 1 - DEFAULT_WINDOW_DAYS), to: today };
  if (period.from > period.to) throw badParameter('from', `${period.from} is after to (${period.to})`);
  const days = daysBetween(period.from, period.to) + 1;
  if (days > MAX_PERIOD_DAYS) throw badParameter('to', `the range covers ${days} days; at most ${MAX_PERIOD_DAYS} are allowed`);
  return period;
}
