import type { Sequelize } from 'sequelize';
import type { SectionDefinition } from '../../core/sections.js';
import { BUDGET_REFUSAL_KIND } from '../../core/budgets/index.js';
import { INVALID, type LogFilters, type LogListParams, type QuickRange } from './filters.js';
import { resolveSearch, searchCondition, type SearchMatches } from './search.js';
import { SqlBinds, uuidPrefixRange } from './sql-binds.js';
import { OWN_USERS, quoted, type UserReference } from '../../core/users/user-reference.cjs';
import { userColumnSql, userReferenceOf } from '../../core/users/user-sql.js';

/** A WHERE clause, its bind values and an ORDER BY, over the table `ai_usage_logs` (not aliased). */
export interface LogQuery {
  /** `WHERE ...`, or '' when nothing is filtered. */
  whereSql: string;
  /** Values of the `$n` placeholders in whereSql, in order. */
  bind: unknown[];
  /** `ORDER BY ...`: the requested column, then id, in the same direction, so pages never overlap. */
  orderSql: string;
  /** The sort actually applied (unknown properties fall back to the default). */
  sort: { sortBy: string; direction: 'asc' | 'desc' };
}

export interface LogQueryContext {
  /** Sections of the application (the tracker's registry), matched by label in the search box. */
  sections: readonly SectionDefinition[];
  /** Number of the first placeholder; default 1. Set it to append to a statement with binds of its own. */
  firstBind?: number;
}

/** What buildLogQuery needs besides the parameters: the search term's resolved matches, when there is a term. */
export interface ResolvedLogQueryContext {
  /** Required when params.search is not blank (see resolveSearch). */
  searchMatches?: SearchMatches;
  /** Where user ids point, for a sort by user (by name). Default our own users table. */
  users?: UserReference;
  firstBind?: number;
}

/** Columns of ai_usage_logs by AdminJS property path. */
export const LOG_COLUMNS: Readonly<Record<string, string>> = {
  id: 'id',
  userId: 'user_id',
  section: 'section',
  modelName: 'model_name',
  promptTokens: 'prompt_tokens',
  completionTokens: 'completion_tokens',
  thoughtsTokens: 'thoughts_tokens',
  cachedTokens: 'cached_tokens',
  totalTokens: 'total_tokens',
  responseTimeMs: 'response_time_ms',
  success: 'success',
  errorMessage: 'error_message',
  metadata: 'metadata',
  costUsd: 'cost_usd',
  createdAt: 'created_at',
};

const UNSORTABLE = new Set(['metadata']);
/** Newest first. */
export const DEFAULT_LOG_SORT = { sortBy: 'createdAt', direction: 'desc' } as const;

const QUICK_RANGE_LOCAL: Record<QuickRange, (localNow: string) => string> = {
  today: (now) => `date_trunc('day', ${now})`,
  '7d': (now) => `date_trunc('day', ${now}) - interval '6 days'`,
  '30d': (now) => `date_trunc('day', ${now}) - interval '29 days'`,
  month: (now) => `date_trunc('month', ${now})`,
};

/**
 * Where a quick range starts, as SQL (timestamptz): a midnight of the zone named by the `zone`
 * placeholder. Days are counted on the zone's wall clock, so a DST change inside the range moves nothing.
 */
export function quickRangeStartSql(period: QuickRange, zone: string): string {
  return `((${QUICK_RANGE_LOCAL[period](`(now() AT TIME ZONE ${zone})`)}) AT TIME ZONE ${zone})`;
}

const col = (path: string) => `ai_usage_logs.${LOG_COLUMNS[path]}`;

function filterConditions(filters: LogFilters, timeZone: string, binds: SqlBinds): string[] {
  const where: string[] = [];
  const invalid = Object.values(filters).some((value) => value === INVALID);
  if (invalid) return ['FALSE'];
  if (filters.success !== undefined) where.push(`${col('success')} = ${binds.add(filters.success)}`);
  if (filters.section !== undefined) where.push(`${col('section')} = ${binds.add(filters.section)}`);
  if (filters.modelName !== undefined) where.push(`${col('modelName')} = ${binds.add(filters.modelName)}`);
  if (filters.userId === null) where.push(`${col('userId')} IS NULL`);
  else if (filters.userId !== undefined) where.push(`${col('userId')} = ${binds.add(filters.userId)}`);
  if (filters.createdFrom) where.push(`${col('createdAt')} >= ${binds.add(filters.createdFrom)}`);
  if (filters.createdTo) where.push(`${col('createdAt')} <= ${binds.add(filters.createdTo)}`);
  if (filters.createdBefore) where.push(`${col('createdAt')} < ${binds.add(filters.createdBefore)}`);
  if (filters.period) where.push(`${col('createdAt')} >= ${quickRangeStartSql(filters.period as QuickRange, `${binds.add(timeZone)}::text`)}`);
  // A refusal is a failed row (the partial index on failures serves it) whose metadata names its kind and budget.
  if (filters.refused || filters.budgetId !== undefined) where.push(`${col('success')} = false AND ${col('metadata')}->>'error_kind' = ${binds.add(BUDGET_REFUSAL_KIND)}`);
  if (filters.budgetId !== undefined) where.push(`${col('metadata')}->>'budget_id' = ${binds.add(String(filters.budgetId))}`);
  if (typeof filters.id === 'string') {
    const range = uuidPrefixRange(filters.id);
    where.push(range ? `${col('id')} BETWEEN ${binds.add(range.low)}::uuid AND ${binds.add(range.high)}::uuid` : 'FALSE');
  }
  return where;
}

/** The sort, restricted to real, sortable columns. */
export function normalizeLogSort(sort: LogListParams['sort']): LogQuery['sort'] {
  const sortBy = sort?.sortBy && LOG_COLUMNS[sort.sortBy] && !UNSORTABLE.has(sort.sortBy) ? sort.sortBy : DEFAULT_LOG_SORT.sortBy;
  const direction = sort?.direction === 'asc' || sort?.direction === 'desc' ? sort.direction : sortBy === DEFAULT_LOG_SORT.sortBy ? 'desc' : 'asc';
  return { sortBy, direction };
}

/** After the user's name: the user's id (names may repeat), then each user's newest first. */
const WITHIN_USER = (direction: string) => `${col('userId')} ${direction}, ${col('createdAt')} DESC, ${col('id')} DESC`;

/**
 * ORDER BY of a normalized sort: the column, then id in the same direction. The user sorts by the
 * user's name (from the configured users table; system rows last), then by user id, newest first.
 */
export function logOrderSql(sort: LogQuery['sort'], users: UserReference = OWN_USERS): string {
  const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
  if (sort.sortBy === 'id') return `ORDER BY ${col('id')} ${direction}`;
  if (sort.sortBy === 'userId') return `ORDER BY ${userColumnSql(users, 'name', col('userId'))} ${direction} NULLS LAST, ${WITHIN_USER(direction)}`;
  return `ORDER BY ${col(sort.sortBy)} ${direction}, ${col('id')} ${direction}`;
}

/**
 * The list page's FROM and ORDER BY: as logOrderSql, but a sort by user joins the users table once
 * (a hash join) instead of looking each row's name up, about five times faster on a large log.
 * The statement selects `ai_usage_logs.*`.
 */
export function logPageSortSql(sort: LogQuery['sort'], users: UserReference = OWN_USERS): { fromSql: string; orderSql: string } {
  if (sort.sortBy !== 'userId' || !users.table || !users.nameColumn) return { fromSql: 'ai_usage_logs', orderSql: logOrderSql(sort, users) };
  const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
  return {
    fromSql: `ai_usage_logs LEFT JOIN ${quoted(users.table)} sort_user ON sort_user.${quoted(users.idColumn)} = ${col('userId')}`,
    orderSql: `ORDER BY sort_user.${quoted(users.nameColumn)}::text ${direction} NULLS LAST, ${WITHIN_USER(direction)}`,
  };
}

/**
 * The list's filters, search and sort as SQL, once the search term is resolved (see
 * prepareLogQuery, which does both). Pure: the same input gives the same SQL.
 */
export function buildLogQuery(params: LogListParams, context: ResolvedLogQueryContext = {}): LogQuery {
  const binds = new SqlBinds(context.firstBind ?? 1);
  const where = filterConditions(params.filters, params.timeZone, binds);
  if (params.search?.trim()) {
    if (!context.searchMatches) throw new Error('buildLogQuery: a search needs its resolved matches (use prepareLogQuery)');
    where.push(searchCondition(context.searchMatches, binds));
  }
  const sort = normalizeLogSort(params.sort);
  return { whereSql: where.length ? `WHERE ${where.join(' AND ')}` : '', bind: binds.values, orderSql: logOrderSql(sort, context.users), sort };
}

/**
 * The one definition of what the AI usage log list shows: its filters, search box and sort as SQL.
 * The list, its count, the statistics and the export all run it, so they always agree.
 */
export async function prepareLogQuery(sequelize: Sequelize, params: LogListParams, context: LogQueryContext): Promise<LogQuery> {
  const term = params.search?.trim();
  const searchMatches = term ? await resolveSearch(sequelize, term, context.sections) : undefined;
  return buildLogQuery(params, { searchMatches, firstBind: context.firstBind, users: userReferenceOf(sequelize) });
}
