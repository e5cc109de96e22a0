'use strict';
// Usage alerts: the rules, their crossing state (the exactly-once guard shared by every app
// instance), the triggered alerts (the panel's inbox) and each alert's deliveries.

/** @param {import('sequelize').QueryInterface} queryInterface */
async function up(queryInterface) {
  const q = (sql) => queryInterface.sequelize.query(sql);
  await q(`
    CREATE TABLE ai_usage_alert_rules (
      id serial PRIMARY KEY,
      name text NOT NULL,
      metric text NOT NULL CHECK (metric IN ('cost_usd', 'tokens', 'requests', 'failures', 'error_rate', 'p95_latency_ms')),
      "window" text NOT NULL CHECK ("window" IN ('1h', '24h', 'period')),
      threshold numeric NOT NULL CHECK (threshold >= 0),
      scope_user_email text,
      scope_section text,
      scope_model text,
      spike_vs text CHECK (spike_vs IN ('7d_average')),
      spike_factor numeric CHECK (spike_factor > 0),
      webhook_url text,
      webhook_secret text,
      email_recipients text[] NOT NULL DEFAULT '{}',
      enabled boolean NOT NULL DEFAULT true,
      source text NOT NULL DEFAULT 'panel' CHECK (source IN ('panel', 'file')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ai_usage_alert_rules_spike CHECK ((spike_vs IS NULL) = (spike_factor IS NULL)),
      CONSTRAINT ai_usage_alert_rules_webhook CHECK ((webhook_url IS NULL) = (webhook_secret IS NULL))
    )`);
  await q('CREATE UNIQUE INDEX ai_usage_alert_rules_name_key ON ai_usage_alert_rules (name)');

  // One row per rule and window: 'sliding' for 1h/24h, the period's start for 'period'. A crossing
  // flips `above` with INSERT ... ON CONFLICT DO UPDATE ... WHERE NOT above, so of two concurrent
  // evaluators exactly one sees the flip.
  await q(`
    CREATE TABLE ai_usage_alert_states (
      rule_id integer NOT NULL REFERENCES ai_usage_alert_rules (id) ON DELETE CASCADE,
      window_key text NOT NULL,
      above boolean NOT NULL,
      crossings integer NOT NULL DEFAULT 0,
      value numeric,
      changed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (rule_id, window_key)
    )`);

  await q(`
    CREATE TABLE ai_usage_alerts (
      id bigserial PRIMARY KEY,
      rule_id integer REFERENCES ai_usage_alert_rules (id) ON DELETE SET NULL,
      rule_name text NOT NULL,
      metric text NOT NULL,
      "window" text NOT NULL,
      scope jsonb NOT NULL DEFAULT '{}'::jsonb,
      value numeric NOT NULL,
      threshold numeric NOT NULL,
      baseline numeric,
      window_start timestamptz NOT NULL,
      window_end timestamptz NOT NULL,
      window_key text NOT NULL,
      crossing integer NOT NULL,
      triggered_at timestamptz NOT NULL,
      recovered_at timestamptz,
      acknowledged_at timestamptz,
      acknowledged_by text,
      CONSTRAINT ai_usage_alerts_crossing_key UNIQUE (rule_id, window_key, crossing)
    )`);
  await q('CREATE INDEX ai_usage_alerts_triggered_at_idx ON ai_usage_alerts (triggered_at DESC)');
  await q('CREATE INDEX ai_usage_alerts_open_idx ON ai_usage_alerts (triggered_at DESC) WHERE acknowledged_at IS NULL');

  await q(`
    CREATE TABLE ai_usage_alert_deliveries (
      id bigserial PRIMARY KEY,
      alert_id bigint NOT NULL REFERENCES ai_usage_alerts (id) ON DELETE CASCADE,
      channel text NOT NULL CHECK (channel IN ('webhook', 'email')),
      target text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      response_status integer,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ai_usage_alert_deliveries_key UNIQUE (alert_id, channel)
    )`);

  // The monthly cost report: one run per month and channel, whichever instance's cron fires first.
  await q(`
    CREATE TABLE ai_usage_report_runs (
      id bigserial PRIMARY KEY,
      month date NOT NULL,
      channel text NOT NULL CHECK (channel IN ('webhook', 'email')),
      target text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ai_usage_report_runs_key UNIQUE (month, channel)
    )`);
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function down(queryInterface) {
  await queryInterface.sequelize.query('DROP TABLE IF EXISTS ai_usage_report_runs, ai_usage_alert_deliveries, ai_usage_alerts, ai_usage_alert_states, ai_usage_alert_rules');
}

module.exports = { up, down };
