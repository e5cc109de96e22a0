'use strict';
// Chat plugin: conversations and their messages. The summary of older messages is kept on the
// conversation so long histories are sent as summary + recent messages.
const { resolveUserReference, userForeignKey } = require('../../../src/core/users/user-reference.cjs');

/**
 * @param {import('sequelize').QueryInterface} queryInterface
 * @param {unknown} _Sequelize
 * @param {{ users?: object }} [options] the ledger's user reference (src/core/users/user-reference.cjs)
 */
async function up(queryInterface, _Sequelize, options) {
  const users = resolveUserReference(options?.users);
  const q = (sql) => queryInterface.sequelize.query(sql);
  await q(`
    CREATE TABLE chat_conversations (
      id uuid PRIMARY KEY,
      user_id ${users.idType} NOT NULL${userForeignKey(users, 'CASCADE')},
      title text NOT NULL,
      system_prompt text,
      summary text,
      summarized_message_count integer NOT NULL DEFAULT 0 CHECK (summarized_message_count >= 0),
      message_count integer NOT NULL DEFAULT 0 CHECK (message_count >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  await q('CREATE INDEX chat_conversations_user_idx ON chat_conversations (user_id, updated_at DESC)');
  await q(`
    CREATE TABLE chat_messages (
      id uuid PRIMARY KEY,
      conversation_id uuid NOT NULL REFERENCES chat_conversations (id) ON DELETE CASCADE,
      position integer NOT NULL,
      role text NOT NULL CHECK (role IN ('user', 'model')),
      content text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (conversation_id, position)
    )`);
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function down(queryInterface) {
  await queryInterface.sequelize.query('DROP TABLE IF EXISTS chat_messages, chat_conversations');
}

module.exports = { up, down };
