'use strict';
// Panel sessions (connect-pg-simple's table) and per-user API bearer tokens (stored as SHA-256).
const { resolveUserReference, userForeignKey } = require('../src/core/users/user-reference.cjs');

/** @param {import('sequelize').QueryInterface} queryInterface */
async function up(queryInterface, _Sequelize, options) {
  const q = (sql) => queryInterface.sequelize.query(sql);
  const users = resolveUserReference(options?.users);
  await q(`
    CREATE TABLE session (
      sid varchar NOT NULL PRIMARY KEY,
      sess json NOT NULL,
      expire timestamp(6) NOT NULL
    )`);
  await q('CREATE INDEX session_expire_idx ON session (expire)');

  await q(`
    CREATE TABLE api_tokens (
      id serial PRIMARY KEY,
      user_id ${users.idType} NOT NULL${userForeignKey(users, 'CASCADE')},
      name text NOT NULL DEFAULT 'default',
      token_hash text NOT NULL UNIQUE,
      token_prefix text NOT NULL,
      last_used_at timestamptz,
      expires_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  await q('CREATE INDEX api_tokens_user_idx ON api_tokens (user_id)');
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function down(queryInterface) {
  await queryInterface.sequelize.query('DROP TABLE IF EXISTS api_tokens, session');
}

module.exports = { up, down };
