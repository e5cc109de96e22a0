'use strict';
// Prompt generation plugin: each request for a system prompt, its inputs, output and status.
const { resolveUserReference, userForeignKey } = require('../../../src/core/users/user-reference.cjs');

/**
 * @param {import('sequelize').QueryInterface} queryInterface
 * @param {unknown} _Sequelize
 * @param {{ users?: object }} [options] the ledger's user reference (src/core/users/user-reference.cjs)
 */
async function up(queryInterface, _Sequelize, options) {
  const users = resolveUserReference(options?.users);
  await queryInterface.sequelize.query(`
    CREATE TABLE prompt_generations (
      id uuid PRIMARY KEY,
      user_id ${users.idType} NOT NULL${userForeignKey(users, 'CASCADE')},
      business_type text NOT NULL,
      tone text NOT NULL,
      language text NOT NULL,
      audience text,
      instructions text,
      status text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed')),
      is_async boolean NOT NULL DEFAULT false,
      job_id text,
      output text,
      error_message text,
      attempts integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  await queryInterface.sequelize.query('CREATE INDEX prompt_generations_user_idx ON prompt_generations (user_id, created_at DESC)');
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function down(queryInterface) {
  await queryInterface.sequelize.query('DROP TABLE IF EXISTS prompt_generations');
}

module.exports = { up, down };
