'use strict';
// Indexes behind the panel's one search box (src/admin/ai-usage-log/search.ts): trigram GIN
// indexes so that `ILIKE '%term%'` on error messages, usernames and emails does not scan.
// pg_trgm is a trusted extension: the database owner may create it without superuser rights.
// A host's users table is the host's: we index only our own (see README, Add it to your app).
const { resolveUserReference } = require('../src/core/users/user-reference.cjs');

/** @param {import('sequelize').QueryInterface} queryInterface */
async function up(queryInterface, _Sequelize, options) {
  const q = (sql) => queryInterface.sequelize.query(sql);
  const users = resolveUserReference(options?.users);
  await q('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await q('CREATE INDEX ai_usage_logs_error_message_trgm_idx ON ai_usage_logs USING gin (error_message gin_trgm_ops)');
  if (!users.own) return;
  await q('CREATE INDEX users_username_trgm_idx ON users USING gin (username gin_trgm_ops)');
  await q('CREATE INDEX users_email_trgm_idx ON users USING gin (email gin_trgm_ops)');
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function down(queryInterface) {
  // The extension stays: other objects may depend on it, and it is harmless.
  await queryInterface.sequelize.query(
    'DROP INDEX IF EXISTS ai_usage_logs_error_message_trgm_idx, users_username_trgm_idx, users_email_trgm_idx',
  );
}

module.exports = { up, down };
