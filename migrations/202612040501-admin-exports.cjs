'use strict';
// Panel exports, running and recently finished, shared by every instance of the app: progress is
// read from here, a cancel is written here (and pushed with NOTIFY admin_export_cancel), and the
// concurrent-export caps count the running rows. A row whose instance stops sending heartbeats
// (killed, crashed) no longer counts and is marked failed by the next instance that looks.

/** @param {import('sequelize').QueryInterface} queryInterface */
async function up(queryInterface) {
  await queryInterface.sequelize.query(`
    CREATE TABLE admin_exports (
      id text PRIMARY KEY,
      owner text NOT NULL,
      resource_id text NOT NULL,
      format text NOT NULL,
      state text NOT NULL CHECK (state IN ('running', 'done', 'cancelled', 'failed', 'refused')),
      rows bigint NOT NULL DEFAULT 0 CHECK (rows >= 0),
      waiting_for_client boolean NOT NULL DEFAULT false,
      error text,
      instance_id text NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      heartbeat_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      CHECK ((state = 'running') = (finished_at IS NULL))
    )`);
  await queryInterface.sequelize.query(`CREATE INDEX admin_exports_running_idx ON admin_exports (owner, heartbeat_at) WHERE state = 'running'`);
  await queryInterface.sequelize.query(`CREATE INDEX admin_exports_finished_at_idx ON admin_exports (finished_at) WHERE finished_at IS NOT NULL`);
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function down(queryInterface) {
  await queryInterface.sequelize.query('DROP TABLE IF EXISTS admin_exports');
}

module.exports = { up, down };
