'use strict';
// Prices move into the database (ai_model_prices, seeded from data/gemini-prices.json), every billed
// dimension gets a column on the log and a sum on the aggregate, and a log row says whether it is
// priced, unpriced (cost_usd null until repriced) or not billed. Reprices leave an audit row each.

const catalogue = require('./data/gemini-prices.json');

const TIERS = "('standard', 'flex', 'batch', 'priority')";

/** A rate scaled by a tier factor, kept to the 6 decimals a pico-dollar per token allows. */
const scale = (rate, factor) => (rate === undefined || rate === null ? null : Math.round(rate * factor * 1e6) / 1e6);

/** The catalogue's entries as table rows: each standard price, plus the derived tiers' copies. */
function seedRows() {
  const rows = [];
  for (const entry of catalogue.prices) {
    const row = (tier, factor, from) => ({
      model: entry.model,
      tier,
      effective_from: from,
      effective_to: entry.effectiveTo ?? null,
      input_per_million: scale(entry.inputPerMillion, factor),
      output_per_million: scale(entry.outputPerMillion, factor),
      cached_input_per_million: scale(entry.cachedInputPerMillion, factor),
      audio_input_per_million: scale(entry.audioInputPerMillion, factor),
      cached_audio_input_per_million: scale(entry.cachedAudioInputPerMillion, factor),
      audio_output_per_million: scale(entry.audioOutputPerMillion, factor),
      image_output_per_million: scale(entry.imageOutputPerMillion, factor),
      long_context_threshold_tokens: entry.longContext?.thresholdTokens ?? null,
      long_input_per_million: scale(entry.longContext?.inputPerMillion, factor),
      long_output_per_million: scale(entry.longContext?.outputPerMillion, factor),
      long_cached_input_per_million: scale(entry.longContext?.cachedInputPerMillion, factor),
      grounding_per_thousand: entry.grounding?.perThousand ?? null,
      grounding_unit: entry.grounding?.unit ?? null,
      source: catalogue.sources[entry.source] ?? entry.source ?? null,
      note: [entry.note, factor !== 1 ? `${tier}: ${factor * 100}% of standard` : null].filter(Boolean).join('; ') || null,
    });
    rows.push(row('standard', 1, entry.effectiveFrom));
    for (const derived of catalogue.derivedTiers) {
      if (derived.models && !derived.models.includes(entry.model)) continue;
      const from = derived.from && derived.from > entry.effectiveFrom ? derived.from : entry.effectiveFrom;
      if (entry.effectiveTo && from >= entry.effectiveTo) continue;
      rows.push(row(derived.tier, derived.factor, from));
    }
  }
  return rows;
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function up(queryInterface) {
  const q = (sql, bind) => queryInterface.sequelize.query(sql, bind ? { bind } : undefined);
  const rate = (name, nullable) => `${name} numeric(14, 6)${nullable ? '' : ' NOT NULL'} CHECK (${name} >= 0)`;

  await q(`
    CREATE TABLE ai_model_prices (
      id serial PRIMARY KEY,
      model text NOT NULL CHECK (model <> ''),
      tier text NOT NULL DEFAULT 'standard' CHECK (tier IN ${TIERS}),
      effective_from date NOT NULL,
      effective_to date CHECK (effective_to > effective_from),
      ${rate('input_per_million')},
      ${rate('output_per_million')},
      ${rate('cached_input_per_million')},
      ${rate('audio_input_per_million', true)},
      ${rate('cached_audio_input_per_million', true)},
      ${rate('audio_output_per_million', true)},
      ${rate('image_output_per_million', true)},
      long_context_threshold_tokens integer CHECK (long_context_threshold_tokens > 0),
      ${rate('long_input_per_million', true)},
      ${rate('long_output_per_million', true)},
      ${rate('long_cached_input_per_million', true)},
      ${rate('grounding_per_thousand', true)},
      grounding_unit text CHECK (grounding_unit IN ('grounded_prompt', 'search_query')),
      source text,
      note text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ai_model_prices_key UNIQUE (model, tier, effective_from),
      CONSTRAINT ai_model_prices_long_context CHECK ((long_context_threshold_tokens IS NULL) = (long_input_per_million IS NULL)
        AND (long_input_per_million IS NULL) = (long_output_per_million IS NULL)
        AND (long_input_per_million IS NULL) = (long_cached_input_per_million IS NULL)),
      CONSTRAINT ai_model_prices_grounding CHECK ((grounding_per_thousand IS NULL) = (grounding_unit IS NULL))
    )`);
  await q(
    `INSERT INTO ai_model_prices (model, tier, effective_from, effective_to, input_per_million, output_per_million,
       cached_input_per_million, audio_input_per_million, cached_audio_input_per_million, audio_output_per_million,
       image_output_per_million, long_context_threshold_tokens, long_input_per_million, long_output_per_million,
       long_cached_input_per_million, grounding_per_thousand, grounding_unit, source, note)
     SELECT model, tier, effective_from, effective_to, input_per_million, output_per_million,
       cached_input_per_million, audio_input_per_million, cached_audio_input_per_million, audio_output_per_million,
       image_output_per_million, long_context_threshold_tokens, long_input_per_million, long_output_per_million,
       long_cached_input_per_million, grounding_per_thousand, grounding_unit, source, note
     FROM jsonb_to_recordset($1::jsonb) AS r (model text, tier text, effective_from date, effective_to date,
       input_per_million numeric, output_per_million numeric, cached_input_per_million numeric,
       audio_input_per_million numeric, cached_audio_input_per_million numeric, audio_output_per_million numeric,
       image_output_per_million numeric, long_context_threshold_tokens integer, long_input_per_million numeric,
       long_output_per_million numeric, long_cached_input_per_million numeric, grounding_per_thousand numeric,
       grounding_unit text, source text, note text)`,
    [JSON.stringify(seedRows())],
  );

  // Existing rows: a null cost was an unknown model. The default makes the column instant to add.
  await q(`
    ALTER TABLE ai_usage_logs
      ADD COLUMN cost_status text NOT NULL DEFAULT 'priced' CHECK (cost_status IN ('priced', 'unpriced', 'not_billed')),
      ADD COLUMN tool_use_prompt_tokens integer NOT NULL DEFAULT 0 CHECK (tool_use_prompt_tokens >= 0),
      ADD COLUMN grounding_queries integer NOT NULL DEFAULT 0 CHECK (grounding_queries >= 0),
      ADD COLUMN service_tier text NOT NULL DEFAULT 'standard' CHECK (service_tier IN ${TIERS}),
      ADD COLUMN usage_details jsonb,
      ADD COLUMN price_id integer REFERENCES ai_model_prices (id) ON DELETE RESTRICT`);
  await q("UPDATE ai_usage_logs SET cost_status = 'unpriced' WHERE cost_usd IS NULL");
  await q('ALTER TABLE ai_usage_logs ALTER COLUMN cost_status DROP DEFAULT');
  // Plain-SQL writers that predate cost_status (imports, other tools) still insert: a row without a
  // status gets the one its cost implies. WHEN keeps the function off the tracker's path, which sets it.
  await q(`CREATE FUNCTION ai_usage_logs_default_cost_status() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.cost_status := CASE WHEN NEW.cost_usd IS NULL THEN 'unpriced' ELSE 'priced' END;
      RETURN NEW;
    END $$`);
  await q(`CREATE TRIGGER ai_usage_logs_default_cost_status BEFORE INSERT ON ai_usage_logs
    FOR EACH ROW WHEN (NEW.cost_status IS NULL) EXECUTE FUNCTION ai_usage_logs_default_cost_status()`);
  await q(`ALTER TABLE ai_usage_logs ADD CONSTRAINT ai_usage_logs_cost_status_cost
    CHECK ((cost_status = 'unpriced') = (cost_usd IS NULL))`);
  await q("CREATE INDEX ai_usage_logs_unpriced_idx ON ai_usage_logs (model_name, created_at) WHERE cost_status = 'unpriced'");
  await q('CREATE INDEX ai_usage_logs_price_id_idx ON ai_usage_logs (price_id) WHERE price_id IS NOT NULL');

  await q(`
    ALTER TABLE ai_usage_tracking
      ADD COLUMN unpriced_request_count bigint NOT NULL DEFAULT 0,
      ADD COLUMN tool_use_prompt_tokens bigint NOT NULL DEFAULT 0,
      ADD COLUMN grounding_queries bigint NOT NULL DEFAULT 0`);
  await q(`
    UPDATE ai_usage_tracking AS t SET unpriced_request_count = s.n
    FROM (
      SELECT user_id, (created_at AT TIME ZONE 'UTC')::date AS date, section, model_name, count(*) AS n
      FROM ai_usage_logs WHERE cost_usd IS NULL GROUP BY 1, 2, 3, 4
    ) AS s
    WHERE t.user_id IS NOT DISTINCT FROM s.user_id AND t.date = s.date AND t.section = s.section AND t.model_name = s.model_name`);

  await q(`
    CREATE TABLE ai_cost_audit (
      id bigserial PRIMARY KEY,
      log_id uuid NOT NULL,
      log_created_at timestamptz NOT NULL,
      actor text NOT NULL,
      reason text NOT NULL,
      old_status text NOT NULL,
      new_status text NOT NULL,
      old_cost_usd numeric,
      new_cost_usd numeric,
      old_price_id integer,
      new_price_id integer,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  await q('CREATE INDEX ai_cost_audit_log_idx ON ai_cost_audit (log_id)');
  await q('CREATE INDEX ai_cost_audit_created_at_idx ON ai_cost_audit (created_at DESC)');
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function down(queryInterface) {
  const q = (sql) => queryInterface.sequelize.query(sql);
  await q('DROP TABLE IF EXISTS ai_cost_audit');
  await q('ALTER TABLE ai_usage_tracking DROP COLUMN unpriced_request_count, DROP COLUMN tool_use_prompt_tokens, DROP COLUMN grounding_queries');
  await q('DROP TRIGGER IF EXISTS ai_usage_logs_default_cost_status ON ai_usage_logs');
  await q('DROP FUNCTION IF EXISTS ai_usage_logs_default_cost_status()');
  await q(`ALTER TABLE ai_usage_logs DROP COLUMN cost_status, DROP COLUMN tool_use_prompt_tokens, DROP COLUMN grounding_queries,
    DROP COLUMN service_tier, DROP COLUMN usage_details, DROP COLUMN price_id`);
  await q('DROP TABLE IF EXISTS ai_model_prices');
}

module.exports = { up, down };
