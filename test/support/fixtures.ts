import { QueryTypes, type Sequelize } from 'sequelize';
import { SUMMED } from '../../src/core/record-event-sql.js';

let counter = 0;

/** Inserts a user and returns its id. */
export async function insertUser(sequelize: Sequelize, role: 'admin' | 'viewer' | 'user' = 'user'): Promise<number> {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}`;
  const [row] = await sequelize.query<{ id: number }>(
    `INSERT INTO users (email, username, role) VALUES ($1, $2, $3) RETURNING id`,
    { bind: [`u${tag}@example.com`, `u${tag}`, role], type: QueryTypes.SELECT },
  );
  return row!.id;
}

/** Gives the user a subscription covering `from` to `to` (default: 30 days around now). */
export async function insertSubscription(
  sequelize: Sequelize,
  userId: number,
  options: { quota?: number; from?: Date; to?: Date; plan?: string } = {},
): Promise<number> {
  const from = options.from ?? new Date(Date.now() - 15 * 86_400_000);
  const to = options.to ?? new Date(Date.now() + 15 * 86_400_000);
  const [row] = await sequelize.query<{ id: number }>(
    `INSERT INTO subscriptions (user_id, plan, token_quota, period_start, period_end) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    { bind: [userId, options.plan ?? 'pro', options.quota ?? 1_000_000, from, to], type: QueryTypes.SELECT },
  );
  return row!.id;
}

export async function one<T extends object>(sequelize: Sequelize, sql: string, bind: unknown[] = []): Promise<T> {
  const rows = await sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT });
  if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}: ${sql}`);
  return rows[0]!;
}

/**
 * Rows where the daily aggregate differs from the sum of the logs, in either direction, on any
 * column the tracker sums (SUMMED: counts, tokens, cost, failure figures, latency histogram) that
 * the table has (a test may have migrated down to before some). Empty means consistent.
 */
export async function aggregateMismatches(sequelize: Sequelize): Promise<unknown[]> {
  const present = new Set(
    (await sequelize.query<{ name: string }>(`SELECT attname AS name FROM pg_attribute WHERE attrelid = 'ai_usage_tracking'::regclass AND attnum > 0 AND NOT attisdropped`, { type: QueryTypes.SELECT })).map((c) => c.name),
  );
  const summed = SUMMED.filter(([column]) => present.has(column));
  const columns = summed.map(([column]) => column);
  return sequelize.query(
    `WITH sums AS (
       SELECT user_id, (created_at AT TIME ZONE 'UTC')::date AS date, section, model_name,
              ${summed.map(([column, fromLog]) => `sum(${fromLog}) AS ${column}`).join(', ')}
       FROM ai_usage_logs GROUP BY 1, 2, 3, 4)
     SELECT * FROM sums s FULL JOIN ai_usage_tracking t
       ON t.user_id IS NOT DISTINCT FROM s.user_id AND t.date = s.date AND t.section = s.section AND t.model_name = s.model_name
     WHERE (${columns.map((c) => `s.${c}`).join(', ')}) IS DISTINCT FROM (${columns.map((c) => `t.${c}`).join(', ')})`,
    { type: QueryTypes.SELECT },
  );
}
