'use strict';
// GET /api/usage and the /usage page read one user's daily aggregate rows over a range of days.

/** @param {import('sequelize').QueryInterface} queryInterface */
async function up(queryInterface) {
  await queryInterface.sequelize.query('CREATE INDEX IF NOT EXISTS ai_usage_tracking_user_date_idx ON ai_usage_tracking (user_id, date)');
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function down(queryInterface) {
  await queryInterface.sequelize.query('DROP INDEX IF EXISTS ai_usage_tracking_user_date_idx');
}

module.exports = { up, down };
