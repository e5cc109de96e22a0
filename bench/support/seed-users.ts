import { QueryTypes, type Sequelize } from 'sequelize';

/** `count` users named `<prefix><n>`, each with a subscription from 15 days ago to 15 days ahead and room for any run; their ids. */
export async function seedBenchUsers(sequelize: Sequelize, count: number, prefix = 'bench'): Promise<number[]> {
  const rows = await sequelize.query<{ id: number }>(
    `INSERT INTO users (email, username) SELECT $1 || g || '@example.com', $1 || g FROM generate_series(1, ${count}) g RETURNING id`,
    { bind: [prefix], type: QueryTypes.SELECT },
  );
  await sequelize.query(
    `INSERT INTO subscriptions (user_id, plan, token_quota, period_start, period_end)
     SELECT id, 'pro', 1000000000, now() - interval '15 days', now() + interval '15 days' FROM users WHERE id = ANY($1::int[])`,
    { bind: [rows.map((r) => r.id)] },
  );
  return rows.map((r) => r.id);
}
