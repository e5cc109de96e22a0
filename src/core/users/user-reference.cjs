'use strict';
// The ledger's reference to the people who make AI calls: our own `users` table (the standalone
// app, the default) or the host application's table. CommonJS, because the migrations (which
// sequelize-cli runs too) read it as well as the application.

const ID_TYPES = ['integer', 'uuid', 'text'];
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/** Our own users table: integer ids, username and email, created by our migrations. */
const OWN_USERS = Object.freeze({ own: true, table: 'users', idType: 'integer', idColumn: 'id', nameColumn: 'username', emailColumn: 'email', resourceId: 'users' });

function fail(message) {
  throw new TypeError(`adminjs-ai-usage users: ${message}`);
}

function identifier(value, what, optional) {
  if (value === undefined || value === null || value === '') {
    if (optional) return null;
    fail(`${what} is required`);
  }
  if (typeof value !== 'string' || !value.split('.').every((part) => IDENTIFIER.test(part)) || value.split('.').length > 2) {
    fail(`${what} must be a SQL identifier (letters, digits, _; optionally schema.table), got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The reference given in code, else by AI_USAGE_USERS_* environment variables (sequelize-cli), else our own table. */
function resolveUserReference(options, env = process.env) {
  const given = options ?? fromEnvironment(env);
  if (!given || given.own) return OWN_USERS;
  if (typeof given !== 'object') fail('must be an object { table, idType, idColumn, nameColumn, emailColumn, resourceId }');
  const idType = given.idType ?? 'integer';
  if (!ID_TYPES.includes(idType)) fail(`idType must be one of ${ID_TYPES.join(', ')}, got ${JSON.stringify(idType)}`);
  const table = identifier(given.table, 'table', true);
  return Object.freeze({
    own: false,
    table,
    idType,
    idColumn: identifier(given.idColumn ?? 'id', 'idColumn'),
    nameColumn: table ? identifier(given.nameColumn, 'nameColumn', true) : null,
    emailColumn: table ? identifier(given.emailColumn, 'emailColumn', true) : null,
    resourceId: typeof given.resourceId === 'string' && given.resourceId ? given.resourceId : null,
  });
}

function fromEnvironment(env) {
  if (!env.AI_USAGE_USERS_TABLE && !env.AI_USAGE_USERS_ID_TYPE) return undefined;
  return {
    table: env.AI_USAGE_USERS_TABLE || null,
    idType: env.AI_USAGE_USERS_ID_TYPE || undefined,
    idColumn: env.AI_USAGE_USERS_ID_COLUMN || undefined,
    nameColumn: env.AI_USAGE_USERS_NAME_COLUMN || undefined,
    emailColumn: env.AI_USAGE_USERS_EMAIL_COLUMN || undefined,
  };
}

/** A quoted identifier, schema-qualified when given as schema.table. */
function quoted(name) {
  return name
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}

/** ` REFERENCES table (id) ON DELETE ...` when the users table is known, else nothing: no foreign key to a table we cannot see. */
function userForeignKey(users, onDelete) {
  return users.table ? ` REFERENCES ${quoted(users.table)} (${quoted(users.idColumn)}) ON DELETE ${onDelete}` : '';
}

module.exports = { OWN_USERS, resolveUserReference, quoted, userForeignKey };
