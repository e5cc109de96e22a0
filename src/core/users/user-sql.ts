import type { Sequelize } from 'sequelize';
import { OWN_USERS, quoted, type UserReference } from './user-reference.cjs';

// Keyed by the Sequelize instance the core models are defined on, so that every query over the
// ledger finds where its user ids point without each caller passing it along.
const references = new WeakMap<Sequelize, UserReference>();

export function rememberUserReference(sequelize: Sequelize, users: UserReference): void {
  references.set(sequelize, users);
}

/** The user reference of the ledger on this Sequelize instance (our own users table unless configured). */
export function userReferenceOf(sequelize: Sequelize): UserReference {
  return references.get(sequelize) ?? OWN_USERS;
}

/** SQL of a user's name or email by id (`idSql`), or NULL when the users table or that column is unknown. */
export function userColumnSql(users: UserReference, column: 'name' | 'email', idSql: string): string {
  const name = column === 'name' ? users.nameColumn : users.emailColumn;
  if (!users.table || !name) return 'NULL::text';
  return `(SELECT u.${quoted(name)}::text FROM ${quoted(users.table)} u WHERE u.${quoted(users.idColumn)} = ${idSql})`;
}

/** A LEFT JOIN giving the user row as `u` with its email as `u.email` (NULLs without a known users table). */
export function userJoinSql(users: UserReference, idSql: string): string {
  if (!users.table) return 'LEFT JOIN (SELECT NULL::text AS email) u ON false';
  const email = users.emailColumn ? `${quoted(users.emailColumn)}::text` : 'NULL::text';
  return `LEFT JOIN (SELECT ${quoted(users.idColumn)} AS id, ${email} AS email FROM ${quoted(users.table)}) u ON u.id = ${idSql}`;
}

/** `SELECT id` of the users whose name or email matches `patternSql` (ILIKE), or null when neither is searchable. */
export function usersMatchingSql(users: UserReference, patternSql: string): string | null {
  const columns = [users.nameColumn, users.emailColumn].filter((c): c is string => Boolean(c));
  if (!users.table || !columns.length) return null;
  return `SELECT u.${quoted(users.idColumn)} AS id FROM ${quoted(users.table)} u WHERE ${columns.map((c) => `u.${quoted(c)} ILIKE ${patternSql}`).join(' OR ')}`;
}

/** `SELECT id` of the user with the email in `emailSql` (compared lower-case); no row when emails are unknown. */
export function userIdByEmailSql(users: UserReference, emailSql: string): string {
  if (!users.table || !users.emailColumn) return 'SELECT NULL WHERE false';
  return `SELECT u.${quoted(users.idColumn)} FROM ${quoted(users.table)} u WHERE lower(u.${quoted(users.emailColumn)}) = ${emailSql}`;
}

/** Column aliases of userLookupJoinSql: unlike any column of the joining table, so its unqualified names stay unambiguous. */
export const USER_LOOKUP = { alias: 'user_lookup', name: 'user_lookup_name', email: 'user_lookup_email' } as const;

/**
 * A LEFT JOIN giving each row's user name and email as `user_lookup.user_lookup_name` and
 * `.user_lookup_email` (NULL for no user, or when the users table or that column is unknown):
 * one join for a whole export, not a query per row.
 */
export function userLookupJoinSql(users: UserReference, idSql: string): string {
  const { alias, name, email } = USER_LOOKUP;
  const column = (source: string | null, as: string) => `${source ? `${quoted(source)}::text` : 'NULL::text'} AS ${as}`;
  if (!users.table) return `LEFT JOIN (SELECT NULL::text AS ${name}, NULL::text AS ${email}) ${alias} ON false`;
  return `LEFT JOIN (SELECT ${quoted(users.idColumn)} AS user_lookup_id, ${column(users.nameColumn, name)}, ${column(users.emailColumn, email)} FROM ${quoted(users.table)}) ${alias} ON ${alias}.user_lookup_id = ${idSql}`;
}
