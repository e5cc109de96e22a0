'use strict';
// Budgets enforced before the call (issue 16): ai_budgets (what is limited), ai_budget_usage (the
// counters of each budget's period: used and reserved) and ai_budget_holds (live reservations, one
// per call attempt and budget). Each subscription's token quota is a budget of its own, kept by a
// trigger, so one mechanism reserves and settles both. See README, Budgets.
const { resolveUserReference, userForeignKey } = require('../src/core/users/user-reference.cjs');

/** The UTC start of `unit` ('day' | 'month') containing the timestamptz `at`, and the start of the next. */
const periodStartSql = (unit, at) => `date_trunc('${unit}', ${at}, 'UTC')`;
const periodEndSql = (unit, at) => `((date_trunc('${unit}', ${at}, 'UTC') AT TIME ZONE 'UTC' + interval '1 ${unit}') AT TIME ZONE 'UTC')`;

/**
 * @param {import('sequelize').QueryInterface} queryInterface
 * @param {unknown} _Sequelize
 * @param {{ users?: object }} [options]
 */
async function up(queryInterface, _Sequelize, options) {
  const q = (sql) => queryInterface.sequelize.query(sql);
  const users = resolveUserReference(options?.users);

  await q(`ALTER TABLE subscriptions ADD COLUMN quota_mode text CHECK (quota_mode IN ('enforce', 'warn', 'off'))`);

  await q(`
    CREATE TABLE ai_budgets (
      id serial PRIMARY KEY,
      name text NOT NULL CHECK (name <> ''),
      user_id ${users.idType}${userForeignKey(users, 'CASCADE')},
      section text CHECK (section <> ''),
      model_name text CHECK (model_name <> ''),
      period text NOT NULL CHECK (period IN ('day', 'month', 'subscription')),
      limit_usd numeric CHECK (limit_usd >= 0),
      limit_tokens bigint CHECK (limit_tokens >= 0),
      mode text CHECK (mode IN ('enforce', 'warn')),
      subscription_id integer UNIQUE REFERENCES subscriptions (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ai_budgets_has_limit CHECK (limit_usd IS NOT NULL OR limit_tokens IS NOT NULL),
      CONSTRAINT ai_budgets_subscription_period_has_user CHECK (period <> 'subscription' OR user_id IS NOT NULL),
      CONSTRAINT ai_budgets_mode CHECK ((subscription_id IS NULL) = (mode IS NOT NULL)),
      CONSTRAINT ai_budgets_subscription_quota CHECK (subscription_id IS NULL OR (period = 'subscription' AND limit_usd IS NULL))
    )`);
  await q('CREATE INDEX ai_budgets_user_idx ON ai_budgets (user_id)');

  await q(`
    CREATE TABLE ai_budget_usage (
      budget_id integer NOT NULL REFERENCES ai_budgets (id) ON DELETE CASCADE,
      period_start timestamptz NOT NULL,
      period_end timestamptz NOT NULL,
      used_usd numeric NOT NULL DEFAULT 0 CHECK (used_usd >= 0),
      used_tokens bigint NOT NULL DEFAULT 0 CHECK (used_tokens >= 0),
      reserved_usd numeric NOT NULL DEFAULT 0 CHECK (reserved_usd >= 0),
      reserved_tokens bigint NOT NULL DEFAULT 0 CHECK (reserved_tokens >= 0),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (budget_id, period_start),
      CONSTRAINT ai_budget_usage_period_order CHECK (period_end > period_start)
    )`);

  await q(`
    CREATE TABLE ai_budget_holds (
      event_id uuid NOT NULL,
      budget_id integer NOT NULL,
      period_start timestamptz NOT NULL,
      amount_usd numeric NOT NULL CHECK (amount_usd >= 0),
      amount_tokens bigint NOT NULL CHECK (amount_tokens >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (event_id, budget_id),
      FOREIGN KEY (budget_id, period_start) REFERENCES ai_budget_usage (budget_id, period_start) ON DELETE CASCADE
    )`);
  await q('CREATE INDEX ai_budget_holds_expires_at_idx ON ai_budget_holds (expires_at)');
  await q('CREATE INDEX ai_budget_holds_usage_idx ON ai_budget_holds (budget_id, period_start)');

  // Scope and period decide which ledger rows a budget's counters sum: changing them would make the
  // counters lie. A different scope is a new budget.
  await q(`CREATE FUNCTION ai_budgets_fixed_scope() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.user_id IS DISTINCT FROM OLD.user_id AND OLD.subscription_id IS NULL
         OR NEW.section IS DISTINCT FROM OLD.section OR NEW.model_name IS DISTINCT FROM OLD.model_name
         OR NEW.period IS DISTINCT FROM OLD.period OR NEW.subscription_id IS DISTINCT FROM OLD.subscription_id THEN
        RAISE EXCEPTION 'the scope and period of budget % cannot change: create a new budget', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await q(`CREATE TRIGGER ai_budgets_fixed_scope BEFORE UPDATE ON ai_budgets FOR EACH ROW EXECUTE FUNCTION ai_budgets_fixed_scope()`);

  // A budget created mid-period counts that period's spend so far. The SHARE lock waits for ledger
  // writes in flight and holds new ones until this transaction commits, so that every ledger row is
  // either in the sum below or sees the new budget and settles into it: none is counted twice or lost.
  await q(`CREATE FUNCTION ai_budgets_count_current_period() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      p_start timestamptz;
      p_end timestamptz;
    BEGIN
      IF NEW.subscription_id IS NOT NULL THEN RETURN NULL; END IF;
      IF NEW.period = 'subscription' THEN
        SELECT s.period_start, s.period_end INTO p_start, p_end FROM subscriptions s
        WHERE s.user_id = NEW.user_id AND s.period_start <= now() AND s.period_end > now() AND (s.canceled_at IS NULL OR s.canceled_at > now())
        ORDER BY s.period_start DESC, s.id DESC LIMIT 1;
        IF p_start IS NULL THEN RETURN NULL; END IF;
      ELSE
        p_start := CASE NEW.period WHEN 'day' THEN ${periodStartSql('day', 'now()')} ELSE ${periodStartSql('month', 'now()')} END;
        p_end := CASE NEW.period WHEN 'day' THEN ${periodEndSql('day', 'now()')} ELSE ${periodEndSql('month', 'now()')} END;
      END IF;
      LOCK TABLE ai_usage_logs IN SHARE MODE;
      INSERT INTO ai_budget_usage (budget_id, period_start, period_end, used_usd, used_tokens)
      SELECT NEW.id, p_start, p_end, COALESCE(sum(l.cost_usd), 0), COALESCE(sum(l.total_tokens), 0)
      FROM ai_usage_logs l
      WHERE l.created_at >= p_start AND l.created_at < p_end
        AND (NEW.user_id IS NULL OR l.user_id = NEW.user_id)
        AND (NEW.section IS NULL OR l.section = NEW.section)
        AND (NEW.model_name IS NULL OR l.model_name = NEW.model_name);
      RETURN NULL;
    END $$`);
  await q(`CREATE TRIGGER ai_budgets_count_current_period AFTER INSERT ON ai_budgets FOR EACH ROW EXECUTE FUNCTION ai_budgets_count_current_period()`);

  // Every subscription's token quota is a budget (mode from subscriptions.quota_mode, else the
  // global AI_USAGE_QUOTA_MODE); it starts with what the subscription says it used.
  await q(`CREATE FUNCTION ai_budgets_follow_subscription() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO ai_budgets (name, user_id, period, limit_tokens, mode, subscription_id)
        VALUES ('Token quota: ' || NEW.plan, NEW.user_id, 'subscription', NEW.token_quota, NULL, NEW.id);
        INSERT INTO ai_budget_usage (budget_id, period_start, period_end, used_usd, used_tokens)
        SELECT b.id, NEW.period_start, NEW.period_end, NEW.cost_used_usd, NEW.tokens_used FROM ai_budgets b WHERE b.subscription_id = NEW.id;
      ELSE
        UPDATE ai_budgets SET name = 'Token quota: ' || NEW.plan, user_id = NEW.user_id, limit_tokens = NEW.token_quota, updated_at = now()
        WHERE subscription_id = NEW.id;
      END IF;
      RETURN NULL;
    END $$`);
  await q(`CREATE TRIGGER ai_budgets_follow_subscription AFTER INSERT OR UPDATE OF plan, user_id, token_quota ON subscriptions
    FOR EACH ROW EXECUTE FUNCTION ai_budgets_follow_subscription()`);

  // Existing subscriptions get their quota budget now, with the usage they already have.
  await q(`INSERT INTO ai_budgets (name, user_id, period, limit_tokens, mode, subscription_id)
    SELECT 'Token quota: ' || s.plan, s.user_id, 'subscription', s.token_quota, NULL, s.id FROM subscriptions s ORDER BY s.id`);
  await q(`INSERT INTO ai_budget_usage (budget_id, period_start, period_end, used_usd, used_tokens)
    SELECT b.id, s.period_start, s.period_end, s.cost_used_usd, s.tokens_used FROM subscriptions s JOIN ai_budgets b ON b.subscription_id = s.id`);
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function down(queryInterface) {
  const q = (sql) => queryInterface.sequelize.query(sql);
  await q('DROP TRIGGER IF EXISTS ai_budgets_follow_subscription ON subscriptions');
  await q('DROP TABLE IF EXISTS ai_budget_holds, ai_budget_usage, ai_budgets');
  await q('DROP FUNCTION IF EXISTS ai_budgets_follow_subscription(), ai_budgets_count_current_period(), ai_budgets_fixed_scope()');
  await q('ALTER TABLE subscriptions DROP COLUMN IF EXISTS quota_mode');
}

module.exports = { up, down };
