'use strict';
// Core ledger schema. Raw SQL on purpose: NULLS NOT DISTINCT, partial indexes and CHECKs are the
// product here, and queryInterface cannot express all of them. User ids follow the configured user
// reference (src/core/users/user-reference.cjs): our own `users` table by default, or the host's.
const { resolveUserReference, userForeignKey } = require('../src/core/users/user-reference.cjs');

/**
 * @param {import('sequelize').QueryInterface} queryInterface
 * @param {typeof import('sequelize').Sequelize} Sequelize
 * @param {{ users?: object }} [options] from createMigrator; sequelize-cli reads AI_USAGE_USERS_* instead
 */
async function up(queryInterface, Sequelize, options) {
  const q = (sql) => queryInterface.sequelize.query(sql);
  const users = resolveUserReference(options?.users);
  const userId = users.idType;
  const [{ version }] = await queryInterface.sequelize.query(
    "SELECT current_setting('server_version_num')::int AS version",
    { type: Sequelize.QueryTypes.SELECT },
  );
  if (version < 150000) {
    throw new Error('adminjs-ai-usage needs PostgreSQL 15 or newer (UNIQUE NULLS NOT DISTINCT on ai_usage_tracking)');
  }

  if (users.own) await createUsersTable(q);

  await q(`
    CREATE TABLE subscriptions (
      id serial PRIMARY KEY,
      user_id ${userId} NOT NULL${userForeignKey(users, 'CASCADE')},
      plan text NOT NULL,
      token_quota bigint NOT NULL CHECK (token_quota >= 0),
      tokens_used bigint NOT NULL DEFAULT 0 CHECK (tokens_used >= 0),
      cost_used_usd numeric NOT NULL DEFAULT 0,
      period_start timestamptz NOT NULL,
      period_end timestamptz NOT NULL,
      canceled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT subscriptions_period_order CHECK (period_end > period_start)
    )`);
  await q('CREATE INDEX subscriptions_user_period_idx ON subscriptions (user_id, period_start DESC)');

  await q(`
    CREATE TABLE ai_usage_logs (
      id uuid PRIMARY KEY,
      user_id ${userId}${userForeignKey(users, 'RESTRICT')},
      section text NOT NULL,
      model_name text NOT NULL,
      prompt_tokens integer NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
      completion_tokens integer NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
      thoughts_tokens integer NOT NULL DEFAULT 0 CHECK (thoughts_tokens >= 0),
      cached_tokens integer NOT NULL DEFAULT 0 CHECK (cached_tokens >= 0 AND cached_tokens <= prompt_tokens),
      total_tokens integer NOT NULL DEFAULT 0 CHECK (total_tokens >= prompt_tokens + completion_tokens + thoughts_tokens),
      response_time_ms integer NOT NULL CHECK (response_time_ms >= 0),
      success boolean NOT NULL,
      error_message text,
      metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
      cost_usd numeric CHECK (cost_usd >= 0),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  await q('CREATE INDEX ai_usage_logs_created_at_idx ON ai_usage_logs (created_at DESC)');
  await q('CREATE INDEX ai_usage_logs_section_created_at_idx ON ai_usage_logs (section, created_at)');
  await q('CREATE INDEX ai_usage_logs_user_created_at_idx ON ai_usage_logs (user_id, created_at)');
  await q('CREATE INDEX ai_usage_logs_model_created_at_idx ON ai_usage_logs (model_name, created_at)');
  await q('CREATE INDEX ai_usage_logs_failures_idx ON ai_usage_logs (created_at DESC) WHERE success = false');

  await q(`
    CREATE TABLE ai_usage_tracking (
      id bigserial PRIMARY KEY,
      user_id ${userId}${userForeignKey(users, 'RESTRICT')},
      date date NOT NULL,
      section text NOT NULL,
      model_name text NOT NULL,
      request_count bigint NOT NULL DEFAULT 0,
      success_count bigint NOT NULL DEFAULT 0,
      failure_count bigint NOT NULL DEFAULT 0,
      prompt_tokens bigint NOT NULL DEFAULT 0,
      completion_tokens bigint NOT NULL DEFAULT 0,
      thoughts_tokens bigint NOT NULL DEFAULT 0,
      cached_tokens bigint NOT NULL DEFAULT 0,
      total_tokens bigint NOT NULL DEFAULT 0,
      total_response_time_ms bigint NOT NULL DEFAULT 0,
      cost_usd numeric NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ai_usage_tracking_key UNIQUE NULLS NOT DISTINCT (user_id, date, section, model_name)
    )`);
  await q('CREATE INDEX ai_usage_tracking_date_idx ON ai_usage_tracking (date DESC)');
  await q('CREATE INDEX ai_usage_tracking_section_date_idx ON ai_usage_tracking (section, date)');
  await q('CREATE INDEX ai_usage_tracking_model_date_idx ON ai_usage_tracking (model_name, date)');
}

/** Our own users: only when the ledger's users are not the host's. */
async function createUsersTable(q) {
  await q(`
    CREATE TABLE users (
      id serial PRIMARY KEY,
      email text NOT NULL,
      username text NOT NULL,
      name text,
      password_hash text,
      role text NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'viewer', 'user')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT users_email_format CHECK (email ~ '^[^@\\s]+@[^@\\s]+$')
    )`);
  await q('CREATE UNIQUE INDEX users_email_key ON users (lower(email))');
  await q('CREATE UNIQUE INDEX users_username_key ON users (lower(username))');
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function down(queryInterface, _Sequelize, options) {
  const users = resolveUserReference(options?.users);
  await queryInterface.sequelize.query(`DROP TABLE IF EXISTS ai_usage_tracking, ai_usage_logs, subscriptions${users.own ? ', users' : ''}`);
}

module.exports = { up, down };
