import { maintainLogPartitions } from '../src/core/partitions/index.js';
import { SUMMED } from '../src/core/record-event-sql.js';
import { loadWithoutIndexes } from './bulk-load.js';
import type { Sequelize } from 'sequelize';
import { DEFAULT_SECTIONS } from '../src/core/sections.js';

/** Shape of the generated data, so the benchmark can pick filter values that exist. */
export interface AdminBenchData {
  users: number;
  rows: number;
  days: number;
}

const MODELS_BY_SECTION: Record<string, string[]> = {
  chat: ['gemini-2.5-flash', 'gemini-1.5-flash'],
  knowledge_qa: ['gemini-2.5-pro'],
  prompt_generation: ['gemini-2.5-pro'],
  embedding_generation: ['gemini-embedding-001'],
};

const ERRORS = [
  '[429 Too Many Requests] Resource has been exhausted (e.g. check quota).',
  '[500 Internal Server Error] An internal error has occurred. Please retry or report.',
  '[503 Service Unavailable] The model is overloaded. Please try again later.',
  'Request timed out after 30000 ms',
  'Candidate was blocked due to SAFETY',
];

const sqlArray = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]`;

/**
 * Fills a migrated, empty database with `rows` usage logs over `days` days for `users` users, in a
 * few set-based statements (generate_series) into the bare log (indexes and keys built after the
 * load), then derives the daily aggregate from the logs, exactly as the tracker would have kept it,
 * and vacuums and analyzes. About 4% fail; 5% are system work.
 */
export async function generateAdminBenchData(sequelize: Sequelize, options: Partial<AdminBenchData> = {}): Promise<AdminBenchData & { timings: Record<string, number> }> {
  const data = { users: options.users ?? 500, rows: options.rows ?? 1_000_000, days: options.days ?? 90 };
  const sections = DEFAULT_SECTIONS.map((s) => s.id);
  const modelCase = `CASE section ${Object.entries(MODELS_BY_SECTION)
    .map(([section, models]) => `WHEN '${section}' THEN (${sqlArray(models)})[1 + ((n / 10) % ${models.length})]`)
    .join(' ')} ELSE (ARRAY['gemini-2.5-flash', 'gemini-2.5-flash-lite'])[1 + ((n / 10) % 2)] END`;
  await sequelize.query(
    `INSERT INTO users (email, username, name, role)
     SELECT 'user' || g || '@example.com', 'user' || g, 'Bench user ' || g, 'user' FROM generate_series(1, ${data.users}) g`,
  );
  await sequelize.query(
    `INSERT INTO subscriptions (user_id, plan, token_quota, tokens_used, period_start, period_end)
     SELECT id, 'pro', 50000000, (id * 7919) % 60000000, now() - interval '15 days', now() + interval '15 days' FROM users`,
  );
  // Partitions for every month of the data first, so the rows go to their month, not the default partition.
  await maintainLogPartitions(sequelize, { from: new Date(Date.now() - (data.days + 1) * 86_400_000) });
  const timings = await loadWithoutIndexes(sequelize, 'ai_usage_logs', async () => {
    await sequelize.transaction(async (transaction) => {
      // setseed and random() on one connection, so the same data every run.
      await sequelize.query('SELECT setseed(0.42)', { transaction });
      await sequelize.query(
        `INSERT INTO ai_usage_logs (id, user_id, section, model_name, prompt_tokens, completion_tokens, thoughts_tokens,
                                    cached_tokens, total_tokens, response_time_ms, success, error_message, metadata, cost_usd, cost_status, created_at)
         SELECT gen_random_uuid(), user_id, section, ${modelCase}, p, c, t, p / 4, p + c + t, ms, ok,
                CASE WHEN ok THEN NULL ELSE (${sqlArray(ERRORS)})[1 + (n % ${ERRORS.length})] || ' (request ' || substr(md5(n::text), 1, 12) || ')' END,
                jsonb_build_object('conversation_id', 'conv-' || (n % 400), 'bench', true),
                round((p * 0.0000003 + (c + t) * 0.0000025)::numeric, 8), 'priced',
                now() - (random() * ${data.days} * interval '1 day')
         FROM (
           SELECT n, CASE WHEN n % 20 = 0 THEN NULL ELSE 1 + (n * 7) % ${data.users} END AS user_id,
                  (${sqlArray(sections)})[1 + (n % ${sections.length})] AS section,
                  (100 + random() * 3000)::int AS p, (random() * 800)::int AS c, CASE WHEN n % 3 = 0 THEN (random() * 400)::int ELSE 0 END AS t,
                  (50 + random() * random() * 6000)::int AS ms, random() >= 0.04 AS ok
           FROM generate_series(1, ${data.rows}) n
         ) g`,
        { transaction },
      );
    });
  });
  const aggregateStarted = performance.now();
  // Every column the tracker's statement sums, from the logs: aggregate == sum(logs), as the tracker keeps it.
  await sequelize.query(
    `INSERT INTO ai_usage_tracking (user_id, date, section, model_name, ${SUMMED.map(([column]) => column).join(', ')})
     SELECT user_id, (created_at AT TIME ZONE 'UTC')::date, section, model_name, ${SUMMED.map(([, fromLog]) => `sum(${fromLog})`).join(', ')}
     FROM ai_usage_logs GROUP BY 1, 2, 3, 4`,
  );
  const aggregateMs = Math.round(performance.now() - aggregateStarted);
  const vacuumStarted = performance.now();
  await sequelize.query('VACUUM ANALYZE users, subscriptions, ai_usage_logs, ai_usage_tracking');
  // The load leaves gigabytes of dirty buffers: written out now, not by a checkpoint in the middle of the timings.
  await sequelize.query('CHECKPOINT');
  return { ...data, timings: { ...timings, aggregateMs, vacuumMs: Math.round(performance.now() - vacuumStarted) } };
}
