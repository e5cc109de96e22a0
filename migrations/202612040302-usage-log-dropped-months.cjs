'use strict';
// The months whose log partitions retention dropped (npm run db:retention --apply, or the
// maintenance job): their daily aggregates stay, and db:reconcile refuses ranges touching them,
// since recomputing from missing logs would zero the aggregates.

/** @param {import('sequelize').QueryInterface} queryInterface */
async function up(queryInterface) {
  await queryInterface.sequelize.query(`
    CREATE TABLE ai_usage_log_dropped_months (
      month date PRIMARY KEY CHECK (extract(day FROM month) = 1),
      row_count bigint NOT NULL CHECK (row_count >= 0),
      archive_file text,
      dropped_by text NOT NULL,
      dropped_at timestamptz NOT NULL DEFAULT now()
    )`);
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function down(queryInterface) {
  await queryInterface.sequelize.query('DROP TABLE IF EXISTS ai_usage_log_dropped_months');
}

module.exports = { up, down };
