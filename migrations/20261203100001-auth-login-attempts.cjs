'use strict';
// Failed panel logins per account and per client address, shared by every instance of the app.
// Keys are SHA-256 hashes: a password typed into the email field is never stored readable.

/** @param {import('sequelize').QueryInterface} queryInterface */
async function up(queryInterface) {
  await queryInterface.sequelize.query(`
    CREATE TABLE auth_login_attempts (
      scope text NOT NULL CHECK (scope IN ('account', 'ip')),
      key_hash text NOT NULL,
      failures integer NOT NULL CHECK (failures > 0),
      window_start timestamptz NOT NULL,
      last_failure_at timestamptz NOT NULL,
      PRIMARY KEY (scope, key_hash)
    )`);
  await queryInterface.sequelize.query('CREATE INDEX auth_login_attempts_window_start_idx ON auth_login_attempts (window_start)');
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function down(queryInterface) {
  await queryInterface.sequelize.query('DROP TABLE IF EXISTS auth_login_attempts');
}

module.exports = { up, down };
