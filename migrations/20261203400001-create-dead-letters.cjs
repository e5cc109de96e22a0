'use strict';
// Spooled events whose replay failed on their own merits (e.g. their user was deleted while the
// database was down), copied here from the spool file so the panel shows them with the reason.
// `payload` is the prepared event exactly as spooled; `replayed_at` is set when a replay from the
// panel recorded it.

/** @param {import('sequelize').QueryInterface} queryInterface */
async function up(queryInterface) {
  await queryInterface.sequelize.query(`
    CREATE TABLE ai_usage_dead_letters (
      id uuid PRIMARY KEY,
      created_at timestamptz NOT NULL,
      payload jsonb NOT NULL,
      reason text NOT NULL,
      attempts integer NOT NULL,
      spooled_at timestamptz NOT NULL,
      dead_at timestamptz NOT NULL,
      replayed_at timestamptz,
      replay_error text
    )`);
  await queryInterface.sequelize.query('CREATE INDEX ai_usage_dead_letters_dead_at_idx ON ai_usage_dead_letters (dead_at DESC)');
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function down(queryInterface) {
  await queryInterface.sequelize.query('DROP TABLE IF EXISTS ai_usage_dead_letters');
}

module.exports = { up, down };
