/** Quick date ranges of the list, resolved in UTC by the database: `today`, the last 7 or 30 days, the calendar month. */
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
  /** created_at < createdBefore: a "to" date given without a time takes in that whole UTC day. */
  createdBefore?: Date | typeof INVALID;
  /** created_at within a quick range ending now. */
  period?: QuickRange | typeof INVALID;
  /** A whole uuid, or its first characters (hex digits, dashes optional). */
  id?: string | typeof INVALID;
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

function parseUser(value: unknown): number | null | typeof INVALID | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  if (raw === 'system' || raw === 'null') return null;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : INVALID;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(value: unknown): { date?: Date | typeof INVALID; dateOnly: boolean } {
  const raw = text(value);
  if (raw === undefined) return { dateOnly: false };
  const dateOnly = DATE_ONLY.test(raw);
  const date = new Date(dateOnly ? `${raw}T00:00:00.000Z` : raw);
  return { date: Number.isNaN(date.getTime()) ? INVALID : date, dateOnly };
}

/** "to 2026-11-20" means up to the end of that UTC day: before the next midnight. */
function parseTo(value: unknown): Pick<LogFilters, 'createdTo' | 'createdBefore'> {
  const { date, dateOnly } = parseDate(value);
  if (date === undefined) return {};
  if (date === INVALID || !dateOnly) return { createdTo: date };
  return { createdBefore: new Date(date.getTime() + 86_400_000) };
}

function parseRange(value: unknown): { from?: unknown; to?: unknown } {
  return value && typeof value === 'object' ? (value as { from?: unknown; to?: unknown }) : {};
}

/**
 * Reads the log list's filters from an AdminJS Filter (what list actions and `ListQuery.filter`
 * carry) or from a plain `{ path: value }` object with `createdAt: { from, to }`.
 */
export function readLogListParams(filter: unknown, sort?: LogListParams['sort']): LogListParams {
  const values = valuesOf(filter);
  const range = parseRange(values.createdAt);
  const period = text(values.period);
  const filters: LogFilters = {
    success: parseBoolean(values.success),
    section: text(values.section),
    modelName: text(values.modelName),
    userId: parseUser(values.userId),
    createdFrom: parseDate(range.from ?? values['createdAt~~from']).date,
    ...parseTo(range.to ?? values['createdAt~~to']),
    period: period === undefined ? undefined : (QUICK_RANGES as readonly string[]).includes(period) ? (period as QuickRange) : INVALID,
    id: text(values.id),
  };
  return { filters, search: text(values[SEARCH_FILTER]), sort };
}
