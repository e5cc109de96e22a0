import { maintainLogPartitions } from '../src/core/partitions/index.js';
import type { Sequelize } from 'sequelize';

/**
 * Fills ai_usage_logs with `count` rows in one INSERT ... SELECT generate_series: three sections,
 * four models, a failure in twenty with an error message, a user for two rows in three, JSON
 * metadata, a cost, and one row a second going back from 2026-11-24. Row i is the same in every
 * database, so two databases of different sizes hold the same data up to the smaller count.
 */
export async function seedExportBenchLogs(sequelize: Sequelize, count: number): Promise<void> {
  // Partitions for every month of the data first, so the rows go to their month, not the default partition.
  await maintainLogPartitions(sequelize, { from: new Date(Date.parse('2026-11-24T00:00:00Z') - count * 1000) });
  await sequelize.query(`INSERT INTO users (email, username) SELECT 'bench' || g || '@example.com', 'bench' || g FROM generate_series(1, 50) g`);
  await sequelize.query(
    `INSERT INTO ai_usage_logs (id, user_id, section, model_name, prompt_tokens, completion_tokens, thoughts_tokens, cached_tokens,
                                total_tokens, response_time_ms, success, error_message, metadata, cost_usd, created_at)
     SELECT md5('bench' || i)::uuid,
            CASE WHEN i % 3 = 0 THEN NULL ELSE 1 + i % 50 END,
            (ARRAY['chat', 'knowledge_qa', 'prompt_generation'])[1 + i % 3],
            (ARRAY['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-2.0-flash', 'gemini-2.5-flash-lite'])[1 + i % 4],
            200 + i % 900, 50 + i % 400, i % 64, i % 100, 250 + i % 900 + 50 + i % 400 + i % 64, 150 + (i * 37) % 4000,
            i % 20 <> 0,
            CASE WHEN i % 20 = 0 THEN '429 RESOURCE_EXHAUSTED: quota exceeded, retry in ' || (i % 60) || 's' END,
            jsonb_build_object('conversation_id', 'c' || (i % 5000), 'attempt', 1 + i % 3),
            round(((200 + i % 900) * 0.0000003 + (50 + i % 400) * 0.0000025)::numeric, 8),
            timestamptz '2026-11-24 00:00:00+00' - i * interval '1 second'
     FROM generate_series(1, $1) AS i`,
    { bind: [count] },
  );
  await sequelize.query('ANALYZE ai_usage_logs');
}
