import { DateTime } from 'luxon';
import { isDay } from '../time/time-zone.js';

/** Whole calendar days, both ends inclusive: `YYYY-MM-DD`. What a link of the hierarchy filters by. */
export interface DayRange {
  from: string;
  to: string;
}

/** One link of the hierarchy: a year, a month or a day. */
export interface HierarchyLink extends DayRange {
  label: string;
}

/** What the drill-down shows for the current date filter (before counting). */
export interface HierarchyPlan {
  /** What the links are: years, months or days. */
  level: 'year' | 'month' | 'day';
  /** Links back up: "All dates", then the year, then the month of the current selection. */
  crumbs: HierarchyLink[];
  /** The links of this level, oldest first. */
  links: HierarchyLink[];
}

/** Ranges no longer than this many days are shown as days; else as months up to MAX_MONTHS, else as years. */
const MAX_DAYS = 62;
const MAX_MONTHS = 24;

const day = (d: DateTime) => d.toISODate()!;
const parse = (text: string) => DateTime.fromISO(text, { zone: 'UTC' });
const yearLink = (d: DateTime): HierarchyLink => ({ label: String(d.year), from: day(d.startOf('year')), to: day(d.endOf('year')) });
const monthLink = (d: DateTime): HierarchyLink => ({ label: d.toFormat('LLLL yyyy'), from: day(d.startOf('month')), to: day(d.endOf('month')) });
const dayLink = (d: DateTime): HierarchyLink => ({ label: d.toFormat('LLL d'), from: day(d), to: day(d) });
const ALL_DATES: HierarchyLink = { label: 'All dates', from: '', to: '' };

function each(from: DateTime, to: DateTime, unit: 'year' | 'month' | 'day'): DateTime[] {
  const out: DateTime[] = [];
  for (let d = from.startOf(unit); d <= to; d = d.plus({ [unit]: 1 })) out.push(d);
  return out;
}

/**
 * The drill-down of Django's date_hierarchy for a selected range of days (either end may be open)
 * and the first and last day holding data (null: no data). No selection: the years of the data.
 * A whole year: its months; a whole month: its days; a single day: itself. Any other range is
 * shown as the days, months or years it spans, whichever keeps the links few.
 */
export function planHierarchy(selected: Partial<DayRange>, bounds: DayRange | null): HierarchyPlan {
  const from = selected.from && isDay(selected.from) ? parse(selected.from) : undefined;
  const to = selected.to && isDay(selected.to) ? parse(selected.to) : undefined;
  if (from?.isValid && to?.isValid && from <= to) {
    if (day(from) === day(from.startOf('year')) && day(to) === day(from.endOf('year'))) {
      return { level: 'month', crumbs: [ALL_DATES], links: each(from, to, 'month').map(monthLink) };
    }
    if (day(from) === day(from.startOf('month')) && day(to) === day(from.endOf('month'))) {
      return { level: 'day', crumbs: [ALL_DATES, yearLink(from)], links: each(from, to, 'day').map(dayLink) };
    }
    if (day(from) === day(to)) {
      return { level: 'day', crumbs: [ALL_DATES, yearLink(from), monthLink(from)], links: [dayLink(from)] };
    }
  }
  const first = from?.isValid ? from : bounds ? parse(bounds.from) : undefined;
  const last = to?.isValid ? to : bounds ? parse(bounds.to) : undefined;
  const selecting = Boolean(from || to);
  const crumbs = selecting ? [ALL_DATES] : [];
  if (!first || !last || first > last) return { level: 'year', crumbs, links: [] };
  const sameYear = first.year === last.year;
  // Like Django: without a selection, data of one month opens on its days, of one year on its months.
  const fewDays = selecting ? last.diff(first, 'days').days < MAX_DAYS : sameYear && first.month === last.month;
  if (fewDays) return { level: 'day', crumbs, links: each(first, last, 'day').map(dayLink) };
  const months = each(first, last, 'month');
  if (selecting ? months.length <= MAX_MONTHS : sameYear) return { level: 'month', crumbs, links: months.map(monthLink) };
  return { level: 'year', crumbs, links: each(first, last, 'year').map(yearLink) };
}
