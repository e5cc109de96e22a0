import type { Sequelize } from 'sequelize';
import type { SpoolStore } from './spool-store.js';

/**
 * Copies the spool's dead letters to ai_usage_dead_letters, where the panel shows them (the spool
 * file keeps its own copy). Idempotent: several processes may publish the same one.
 */
export async function publishDeadLetters(store: SpoolStore, sequelize: Sequelize): Promise<number> {
  const letters = store.unpublishedDeadLetters(100);
  for (const letter of letters) {
    await sequelize.query(
      `INSERT INTO ai_usage_dead_letters (id, created_at, payload, reason, attempts, spooled_at, dead_at)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      { bind: [letter.id, letter.createdAt, letter.payload, letter.reason, letter.attempts, new Date(letter.spooledAt), new Date(letter.deadAt)] },
    );
    store.markPublished(letter.id);
  }
  return letters.length;
}
