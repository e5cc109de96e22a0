import { QueryTypes, type Sequelize } from 'sequelize';
import type { SectionDefinition } from '../../core/sections.js';
import { containsPattern, uuidPrefixRange, type SqlBinds } from './sql-binds.js';
import type { UserId } from '../../core/users/user-id.js';
import { OWN_USERS, type UserReference } from '../../core/users/user-reference.cjs';
import { userReferenceOf, usersMatchingSql } from '../../core/users/user-sql.js';

/** Error messages and metadata values are searched from this many characters: shorter terms have no trigram to use an index with. */
export const ERROR_SEARCH_MIN_CHARS = 3;
/** Above this many matching users the search keeps a subquery instead of a list of ids. */
const MAX_LISTED_USERS = 5_000;

/** What a search term matches besides error messages and ids, resolved before the main query. */
export interface SearchMatches {
  term: string;
  /** Users whose username or email contains the term; `many` past MAX_LISTED_USERS. */
  userIds: UserId[] | 'many';
  /** Where user ids point: the table and columns the user arm searches. Default our own users. */
  users?: UserReference;
  /** Section ids containing the term, or whose label does. */
  sections: string[];
  /** Model names (present in the logs) containing the term. */
  models: string[];
}

/**
 * Distinct values of an indexed column by a loose index scan (one index probe per value): a
 * fraction of a millisecond at a million rows, where SELECT DISTINCT would read the whole index.
 */
export function distinctValuesSql(table: string, column: string): string {
  return `WITH RECURSIVE d(v) AS (
      (SELECT ${column} FROM ${table} ORDER BY ${column} LIMIT 1)
      UNION ALL
      SELECT (SELECT t.${column} FROM ${table} t WHERE t.${column} > d.v ORDER BY t.${column} LIMIT 1) FROM d WHERE d.v IS NOT NULL
    ) SELECT v FROM d WHERE v IS NOT NULL`;
}


/**
 * Resolves the small dimensions (users, sections, models) of a search term to lists, so that the
 * main query carries concrete values: PostgreSQL then estimates each arm and can combine index
 * scans, instead of guessing at subqueries.
 */
export async function resolveSearch(sequelize: Sequelize, term: string, sections: readonly SectionDefinition[]): Promise<SearchMatches> {
  const pattern = containsPattern(term);
  const lower = term.toLowerCase();
  const reference = userReferenceOf(sequelize);
  const usersSql = usersMatchingSql(reference, '$1');
  const [users, dataSections, models] = await Promise.all([
    usersSql ? sequelize.query<{ id: UserId }>(`${usersSql} LIMIT ${MAX_LISTED_USERS + 1}`, { bind: [pattern], type: QueryTypes.SELECT }) : [],
    sequelize.query<{ v: string }>(`SELECT v FROM (${distinctValuesSql('ai_usage_logs', 'section')}) s WHERE v ILIKE $1`, { bind: [pattern], type: QueryTypes.SELECT }),
    sequelize.query<{ v: string }>(`SELECT v FROM (${distinctValuesSql('ai_usage_logs', 'model_name')}) m WHERE v ILIKE $1`, { bind: [pattern], type: QueryTypes.SELECT }),
  ]);
  const labelled = sections.filter((s) => s.label.toLowerCase().includes(lower)).map((s) => s.id);
  return {
    term,
    userIds: users.length > MAX_LISTED_USERS ? 'many' : users.map((u) => u.id),
    users: reference,
    sections: [...new Set([...dataSections.map((s) => s.v), ...labelled])],
    models: models.map((m) => m.v),
  };
}

/**
 * Where no index answers (a sampled scan for statistics), the jsonpath over every metadata value is
 * most of a search's cost. The metadata's own JSON text contains every value as that jsonpath writes
 * it, so it is a cheap first test that lets through every row the jsonpath would match.
 */
const metadataTextContains = (pattern: string) => `ai_usage_logs.metadata::text ILIKE ${pattern} AND `;

/** How `text` appears inside a JSON string as jsonb writes it (quotes, backslashes and control characters escaped): both metadata tests read JSON text. */
const asJsonStringContent = (text: string) => JSON.stringify(text).slice(1, -1);

/**
 * The search box as one OR over: username or email (case-insensitive, contains), section id or
 * label, model name, error message and metadata values (from ERROR_SEARCH_MIN_CHARS characters)
 * and id (whole or prefix). Each arm is an index condition, so PostgreSQL can combine them with a BitmapOr.
 */
export function searchCondition(matches: SearchMatches, binds: SqlBinds): string {
  const term = matches.term.trim();
  const users = matches.users ?? OWN_USERS;
  const arms: string[] = [];
  if (matches.userIds === 'many') {
    arms.push(`ai_usage_logs.user_id IN (${usersMatchingSql(users, binds.add(containsPattern(term)))})`);
  } else if (matches.userIds.length) {
    arms.push(`ai_usage_logs.user_id = ANY(${binds.add(matches.userIds)}::${users.idType}[])`);
  }
  if (matches.sections.length) arms.push(`ai_usage_logs.section = ANY(${binds.add(matches.sections)}::text[])`);
  if (matches.models.length) arms.push(`ai_usage_logs.model_name = ANY(${binds.add(matches.models)}::text[])`);
  if (term.length >= ERROR_SEARCH_MIN_CHARS) {
    const pattern = binds.add(containsPattern(term));
    arms.push(`ai_usage_logs.error_message ILIKE ${pattern}`);
    // Values of the metadata (not its keys), through the expression of its trigram index (migration 202612040601).
    const inJson = asJsonStringContent(term);
    const metadataPattern = inJson === term ? pattern : binds.add(containsPattern(inJson));
    arms.push(`(${metadataTextContains(metadataPattern)}ai_usage_metadata_values(ai_usage_logs.metadata) ILIKE ${metadataPattern})`);
  }
  const ids = uuidPrefixRange(term);
  if (ids) arms.push(`ai_usage_logs.id BETWEEN ${binds.add(ids.low)}::uuid AND ${binds.add(ids.high)}::uuid`);
  return arms.length ? `(${arms.join(' OR ')})` : 'FALSE';
}
