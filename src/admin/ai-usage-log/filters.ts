import { dayEnd, dayStart, DEFAULT_PANEL_TIME_ZONE, isDay } from '../time/time-zone.js';

/** Quick date ranges of the list, in the panel's time zone, resolved by the database: `today`, the last 7 or 30 days, the calendar month. */
export const QUICK_RANGES = ['today', '7d', '30d', 'month'] as const;
export type QuickRange = (typeof QUICK_RANGES)[number];

/** The list's filters as values; a value that cannot match (a malformed id, a non-number user) is `INVALID`. */
export interface LogFilters {
  /** true: only successes; false: only failures. */
  success?: boolean | typeof INVALID;
  /** Exact section id. */
  section?: string;
  /** Exact model name. */
  modelName?: string;
  /** A user's id; null selects system work (rows without a user). */
  userId?: number | null | typeof INVALID;
  /** created_at >= createdFrom. */
  createdFrom?: Date | typeof INVALID;
  /** created_at <= createdTo (a moment given with its time). */
  createdTo?: Date | typeof INVALID;
  /** created_at < createdBefore: a "to" date given without a time takes in that whole day of the panel's zone. */
  createdBefore?: Date | typeof INVALID;
  /** created_at within a quick range ending now. */
  period?: QuickRange | typeof INVALID;
  /** A whole uuid, or its first characters (hex digits, dashes optional). */
  id?: string | typeof INVALID;
  /** true: only calls a budget refused (never sent; see BUDGET_REFUSAL_KIND). */
  refused?: true | typeof INVALID;
  /** Only the refusals of this budget (ai_budgets.id). */
  budgetId?: number | typeof INVALID;
}

/** Marks a filter value that matches no row: exact filters never widen to "everything". */
export const INVALID = Symbol('invalid filter value');

/** The query-string key of the search box: `filters.q`. */
export const SEARCH_FILTER = 'q';

/** What a list request asks for: filters, the search box, and the sort. */
export interface LogListParams {
  filters: LogFilters;
  /** The search box; blank means none. */
  search?: string;
  sort?: { sortBy?: string; direction?: 'asc' | 'desc' };
  /** IANA zone in which bare days and quick ranges are read (the panel's). */
  timeZone: string;
}

type FilterValues = Record<string, unknown>;

/** AdminJS's Filter keeps `{ path, value }` per filtered path; a plain object maps path to value. */
function valuesOf(filter: unknown): FilterValues {
  if (!filter || typeof filter !== 'object') return {};
  const inner = (filter as { filters?: Record<string, { value?: unknown }> }).filters;
  if (inner && typeof inner === 'object') {
    return Object.fromEntries(Object.entries(inner).map(([path, entry]) => [path, entry?.value]));
  }
  return filter as FilterValues;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value).trim() || undefined : undefined);

function parseBoolean(value: unknown): boolean | typeof INVALID | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return INVALID;
}

function parseRefused(value: unknown): true | typeof INVALID | undefined {
  const raw = text(value);
  if (raw === undefined || raw === 'false') return undefined;
  return raw === 'true' ? true : INVALID;
}

function parseBudgetId(value: unknown): number | typeof INVALID | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : INVALID;
}

function parseUser(value: unknown): number | null | typeof INVALID | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  if (raw === 'system' || raw === 'null') return null;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : INVALID;
}

/** A "from" day starts at that day's midnight in the zone; a moment given with its time is kept. */
function parseFrom(value: unknown, timeZone: string): Date | typeof INVALID | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  const date = isDay(raw) ? dayStart(raw, timeZone) : new Date(raw);
  return date && !Number.isNaN(date.getTime()) ? date : INVALID;
}

/** "to 2026-11-20" takes in that whole day of the zone (before the next midnight); a moment given with its time is inclusive. */
function parseTo(value: unknown, timeZone: string): Pick<LogFilters, 'createdTo' | 'createdBefore'> {
  const raw = text(value);
  if (raw === undefined) return {};
  if (isDay(raw)) return { createdBefore: dayEnd(raw, timeZone) ?? INVALID };
  const date = new Date(raw);
  return { createdTo: Number.isNaN(date.getTime()) ? INVALID : date };
}

function parseRange(value: unknown): { from?: unknown; to?: unknown } {
  return value && typeof value === 'object' ? (value as { from?: unknown; to?: unknown }) : {};
}

/**
 * Reads the log list's filters from an AdminJS Filter (what list actions and `ListQuery.filter`
 * carry) or from a plain `{ path: value }` object with `createdAt: { from, to }`. Bare days are whole
 * days of `timeZone`, both ends inclusive.
 */
export function readLogListParams(filter: unknown, sort?: LogListParams['sort'], timeZone = DEFAULT_PANEL_TIME_ZONE): LogListParams {
  const values = valuesOf(filter);
  const range = parseRange(values.createdAt);
  const period = text(values.period);
  const filters: LogFilters = {
    success: parseBoolean(values.success),
    section: text(values.section),
    modelName: text(values.modelName),
    userId: parseUser(values.userId),
    createdFrom: parseFrom(range.from ?? values['createdAt~~from'], timeZone),
    ...parseTo(range.to ?? values['createdAt~~to'], timeZone),
    period: period === undefined ? undefined : (QUICK_RANGES as readonly string[]).includes(period) ? (period as QuickRange) : INVALID,
    id: text(values.id),
    refused: parseRefused(values.refused),
    budgetId: parseBudgetId(values.budgetId),
  };
  return { filters, search: text(values[SEARCH_FILTER]), sort, timeZone };
}
