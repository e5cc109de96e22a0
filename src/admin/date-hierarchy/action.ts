import { Filter, type ActionHandler, type ActionRequest, type BaseResource } from 'adminjs';
import { DateTime } from 'luxon';
import { filtersOf } from '../ai-usage-log/actions.js';
import { dayInZone, isDay } from '../time/time-zone.js';
import type { DateCounter } from './counter.js';
import { planHierarchy, type DayRange, type HierarchyLink, type HierarchyPlan } from './levels.js';

/** Name of the hidden resource action that serves a list's date hierarchy; the list shows the drill-down when the resource has it. */
export const DATE_HIERARCHY_ACTION = 'dateHierarchy';

export interface DateHierarchyOptions {
  /** The date or datetime property the links filter (`<field>~~from`, `<field>~~to`, whole days). */
  field: string;
  /** The panel's zone: days of a datetime field, and of quick ranges, are its days. */
  timeZone: string;
  /** Counts over the rows the request's other filters select (its date filter and quick range removed). */
  counter: (filter: Filter, resource: BaseResource) => DateCounter;
}

/** One link as the panel shows it: its range, label and how many rows clicking it lists. */
export interface CountedLink extends HierarchyLink {
  count: number;
  /** The range the list is filtered by now. */
  active: boolean;
}

export interface DateHierarchy extends Omit<HierarchyPlan, 'links'> {
  field: string;
  links: CountedLink[];
}

/** Days of a quick range of the log list (`today`, `7d`, `30d`, `month`), ending today in the zone. */
function quickRangeDays(period: unknown, zone: string): Partial<DayRange> {
  const today = DateTime.now().setZone(zone).startOf('day');
  const back = { today: today, '7d': today.minus({ days: 6 }), '30d': today.minus({ days: 29 }), month: today.startOf('month') }[String(period)];
  return back ? { from: back.toISODate()!, to: today.toISODate()! } : {};
}

/** The day a filter bound names: a bare day as given, a moment as its day in the zone. */
function boundDay(value: unknown, zone: string): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  if (isDay(value.trim())) return value.trim();
  const moment = new Date(value);
  return Number.isNaN(moment.getTime()) ? undefined : dayInZone(moment, zone);
}

/** The hierarchy of a list request: its selected range of days, the links of the level, and their counts. */
export async function dateHierarchyOf(request: ActionRequest, resource: BaseResource, options: DateHierarchyOptions): Promise<DateHierarchy> {
  const filter = new Filter(filtersOf(request), resource);
  const range = (filter.filters[options.field]?.value ?? {}) as { from?: unknown; to?: unknown };
  const period = filter.filters.period?.value;
  delete filter.filters[options.field];
  delete filter.filters.period;
  const selected: Partial<DayRange> = period ? quickRangeDays(period, options.timeZone) : { from: boundDay(range.from, options.timeZone), to: boundDay(range.to, options.timeZone) };
  const counter = options.counter(filter, resource);
  const bounds = selected.from && selected.to ? null : await counter.bounds();
  const plan = planHierarchy(selected, bounds);
  const counts = await counter.counts(plan.links);
  const links = plan.links.map((link, i) => ({ ...link, count: counts[i]!, active: link.from === selected.from && link.to === selected.to }));
  // Like Django's, the drill-down offers only dates holding rows (the selected one always).
  return { ...plan, field: options.field, links: links.filter((link) => link.count > 0 || link.active) };
}

/** The hidden, read-only resource action a list fetches its date hierarchy from, with the list's own query string. */
export function dateHierarchyAction(options: DateHierarchyOptions) {
  const handler: ActionHandler<{ hierarchy: DateHierarchy }> = async (request, _response, context) => ({ hierarchy: await dateHierarchyOf(request, context.resource, options) });
  return { actionType: 'resource' as const, isVisible: false, handler, custom: { readOnly: true, dateField: options.field } };
}
