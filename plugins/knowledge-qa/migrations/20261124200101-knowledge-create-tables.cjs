'use strict';
// Knowledge Q&A plugin: pages (fetched from a URL or given as HTML/text) and the Q&A pairs
// generated from them, each with its embedding.
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
    CREATE TABLE knowledge_pages (
      id serial PRIMARY KEY,
      user_id ${users.idType} NOT NULL${userForeignKey(users, 'CASCADE')},
      url text,
      title text NOT NULL,
      content text NOT NULL,
      content_length integer NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready', 'failed')),
      failure_reason text,
      generated_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  await q('CREATE INDEX knowledge_pages_user_idx ON knowledge_pages (user_id, created_at DESC)');
  await q(`
    CREATE TABLE knowledge_qa_pairs (
      id serial PRIMARY KEY,
      page_id integer NOT NULL REFERENCES knowledge_pages (id) ON DELETE CASCADE,
      position integer NOT NULL,
      question text NOT NULL,
      answer text NOT NULL,
      embedding real[],
      embedding_model text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (page_id, position)
    )`);
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function down(queryInterface) {
  await queryInterface.sequelize.query('DROP TABLE IF EXISTS knowledge_qa_pairs, knowledge_pages');
}

module.exports = { up, down };
