import { DateTime, IANAZone } from 'luxon';

/** The panel's default time zone: days, dates and times are UTC unless AI_USAGE_PANEL_TIME_ZONE says otherwise. */
export const DEFAULT_PANEL_TIME_ZONE = 'UTC';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `name` is an IANA time zone (`Europe/Berlin`, `UTC`) both luxon and PostgreSQL know. */
export function isTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

/** Whether `text` is a bare calendar day, `YYYY-MM-DD`. */
export function isDay(text: string): boolean {
  return DAY.test(text);
}

/**
 * The first moment of a calendar day in a time zone (its midnight, or the first moment after a gap
 * when a DST change skips midnight); undefined when `day` is not a real `YYYY-MM-DD` day.
 */
export function dayStart(day: string, timeZone: string): Date | undefined {
  if (!isDay(day)) return undefined;
  const start = DateTime.fromISO(day, { zone: timeZone }).startOf('day');
  return start.isValid ? start.toJSDate() : undefined;
}

/** The first moment of the day after `day` in the zone: the exclusive end of a whole-day range. */
export function dayEnd(day: string, timeZone: string): Date | undefined {
  if (!isDay(day)) return undefined;
  const next = DateTime.fromISO(day, { zone: timeZone }).startOf('day').plus({ days: 1 });
  return next.isValid ? next.toJSDate() : undefined;
}

/** A moment as ISO 8601 with the zone's offset, e.g. `2026-11-20T14:03:12.000+01:00` (`Z` in UTC). */
export function isoInZone(date: Date, timeZone: string): string {
  return DateTime.fromJSDate(date, { zone: timeZone }).toISO({ suppressMilliseconds: false, includeOffset: true })!.replace(/\+00:00$/, 'Z');
}

/** The calendar day of a moment in the zone. */
export function dayInZone(date: Date, timeZone: string): string {
  return DateTime.fromJSDate(date, { zone: timeZone }).toISODate()!;
}

const WALL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/**
 * A wall-clock time without an offset (what a datetime-local field sends, `2026-11-20T14:03`) as
 * the moment it names in the zone; undefined for anything else (a moment with an offset stays as sent).
 */
export function wallTimeIn(text: string, timeZone: string): Date | undefined {
  if (!WALL_TIME.test(text)) return undefined;
  const moment = DateTime.fromISO(text, { zone: timeZone });
  return moment.isValid ? moment.toJSDate() : undefined;
}
