/** The panel's time zone in the browser (runs in the browser): every day and time shown or typed is in it. */

/** Set by createAdmin from AI_USAGE_PANEL_TIME_ZONE. */
export function panelTimeZone(): string {
  return (window as unknown as { AdminJS?: { env?: Record<string, string> } }).AdminJS?.env?.PANEL_TIME_ZONE || 'UTC';
}

type Parts = Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;

function partsOf(date: Date, timeZone: string): Parts {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value])) as Parts;
  return parts;
}

/** The zone's offset at a moment as `+01:00`, or `UTC` for the UTC zone itself. */
export function zoneLabel(date: Date, timeZone: string): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
  const p = partsOf(date, timeZone);
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  const minutes = Math.round((wall - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A moment as `2026-11-20 14:03` (or with seconds) on the zone's wall clock; undefined for what is not a date. */
export function wallClock(value: unknown, timeZone: string, seconds = false): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) return undefined;
  const p = partsOf(date, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
}

/** The value of an `<input type="datetime-local">` for a moment, on the zone's wall clock. */
export function localInputValue(value: unknown, timeZone: string): string {
  const text = wallClock(value, timeZone, true);
  return text ? text.replace(' ', 'T') : '';
}

/** Today's day in the zone, `YYYY-MM-DD`. */
export function todayIn(timeZone: string): string {
  return wallClock(new Date(), timeZone)!.slice(0, 10);
}
