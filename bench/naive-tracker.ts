import { randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { NormalizedEvent } from '../src/core/event.js';

/**
 * The original system's pattern, reproduced as the baseline: insert the log, get-or-create the
 * daily row, then read-modify-write it and the subscription, each statement on its own (no
 * transaction). Concurrent callers overwrite each other's increments: the lost updates we measure.
 */
export async function naiveTrack(sequelize: Sequelize, event: NormalizedEvent, costUsd: string | null): Promise<void> {
  const select = (sql: string, bind: unknown[]) => sequelize.query<Record<string, string>>(sql, { bind, type: QueryTypes.SELECT });
  await sequelize.query(
    `INSERT INTO ai_usage_logs (id, user_id, section, model_name, prompt_tokens, completion_tokens, thoughts_tokens, cached_tokens,
       total_tokens, response_time_ms, success, error_message, metadata, cost_usd, created_at, cost_status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    { bind: [event.id ?? randomUUID(), event.userId, event.section, event.modelName, event.promptTokens, event.completionTokens, event.thoughtsTokens, event.cachedTokens, event.totalTokens, event.responseTimeMs, event.success, event.errorMessage, event.metadataJson, costUsd, event.createdAt, costUsd === null ? 'unpriced' : 'priced'] },
  );
  const key = [event.userId, event.createdAt.toISOString().slice(0, 10), event.section, event.modelName];
  const find = () => select(`SELECT * FROM ai_usage_tracking WHERE user_id IS NOT DISTINCT FROM $1 AND date = $2 AND section = $3 AND model_name = $4`, key);
  let [row] = await find();
  if (!row) {
    try {
      [row] = await select(`INSERT INTO ai_usage_tracking (user_id, date, section, model_name) VALUES ($1, $2, $3, $4) RETURNING *`, key);
    } catch {
      [row] = await find(); // get_or_create's answer to a concurrent create
    }
  }
  if (!row) throw new Error('daily row vanished');
  await sequelize.query(
    `UPDATE ai_usage_tracking SET request_count = $2, success_count = $3, failure_count = $4, prompt_tokens = $5,
       completion_tokens = $6, total_tokens = $7, total_response_time_ms = $8, cost_usd = $9 WHERE id = $1`,
    {
      bind: [
        row.id,
        Number(row.request_count) + 1,
        Number(row.success_count) + (event.success ? 1 : 0),
        Number(row.failure_count) + (event.success ? 0 : 1),
        Number(row.prompt_tokens) + event.promptTokens,
        Number(row.completion_tokens) + event.completionTokens,
        Number(row.total_tokens) + event.totalTokens,
        Number(row.total_response_time_ms) + event.responseTimeMs,
        (Number(row.cost_usd) + Number(costUsd ?? 0)).toFixed(12),
      ],
    },
  );
  if (event.userId !== null) {
    const [subscription] = await select(`SELECT id, tokens_used FROM subscriptions WHERE user_id = $1 ORDER BY period_start DESC LIMIT 1`, [event.userId]);
    if (subscription) {
      await sequelize.query(`UPDATE subscriptions SET tokens_used = $2 WHERE id = $1`, { bind: [subscription.id, Number(subscription.tokens_used) + event.totalTokens] });
    }
  }
}
