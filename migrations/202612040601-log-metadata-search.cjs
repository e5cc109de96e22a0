'use strict';
// The search box also finds a log by a value in its metadata (a conversation id, a message id).
// A trigram GIN index over the metadata's string and number values (keys left out, or every row
// holding a key would match its name), through one IMMUTABLE function so that the index and the
// search (src/admin/ai-usage-log/search.ts) name the same expression. pg_trgm: see 20261124000010.

/** @param {import('sequelize').QueryInterface} queryInterface */
async function up(queryInterface) {
  const q = (sql) => queryInterface.sequelize.query(sql);
  await q(`CREATE FUNCTION ai_usage_metadata_values(metadata jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT jsonb_path_query_array(metadata, 'strict $.** ? (@.type() == "string" || @.type() == "number")')::text $$`);
  await q('CREATE INDEX ai_usage_logs_metadata_values_trgm_idx ON ai_usage_logs USING gin (ai_usage_metadata_values(metadata) gin_trgm_ops)');
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function down(queryInterface) {
  await queryInterface.sequelize.query('DROP INDEX IF EXISTS ai_usage_logs_metadata_values_trgm_idx');
  await queryInterface.sequelize.query('DROP FUNCTION IF EXISTS ai_usage_metadata_values(jsonb)');
}

module.exports = { up, down };
