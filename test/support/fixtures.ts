import { QueryTypes, type Sequelize } from 'sequelize';

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

/** Rows where the daily aggregate differs from the sum of the logs, in either direction. Empty means consistent. */
export async function aggregateMismatches(sequelize: Sequelize): Promise<unknown[]> {
  return sequelize.query(
    `WITH sums AS (
       SELECT user_id, (created_at AT TIME ZONE 'UTC')::date AS date, section, model_name,
              count(*) AS request_count, count(*) FILTER (WHERE success) AS success_count,
              count(*) FILTER (WHERE NOT success) AS failure_count,
              count(*) FILTER (WHERE cost_status = 'unpriced') AS unpriced_request_count,
              sum(tool_use_prompt_tokens) AS tool_use_prompt_tokens, sum(grounding_queries) AS grounding_queries,
              sum(prompt_tokens) AS prompt_tokens, sum(completion_tokens) AS completion_tokens,
              sum(thoughts_tokens) AS thoughts_tokens, sum(cached_tokens) AS cached_tokens,
              sum(total_tokens) AS total_tokens, sum(response_time_ms) AS total_response_time_ms,
              COALESCE(sum(cost_usd), 0) AS cost_usd
       FROM ai_usage_logs GROUP BY 1, 2, 3, 4)
     SELECT * FROM sums s FULL JOIN ai_usage_tracking t
       ON t.user_id IS NOT DISTINCT FROM s.user_id AND t.date = s.date AND t.section = s.section AND t.model_name = s.model_name
     WHERE (s.request_count, s.success_count, s.failure_count, s.unpriced_request_count, s.tool_use_prompt_tokens, s.grounding_queries, s.prompt_tokens, s.completion_tokens, s.thoughts_tokens,
            s.cached_tokens, s.total_tokens, s.total_response_time_ms, s.cost_usd)
       IS DISTINCT FROM
           (t.request_count, t.success_count, t.failure_count, t.unpriced_request_count, t.tool_use_prompt_tokens, t.grounding_queries, t.prompt_tokens, t.completion_tokens, t.thoughts_tokens,
            t.cached_tokens, t.total_tokens, t.total_response_time_ms, t.cost_usd)`,
    { type: QueryTypes.SELECT },
  );
}
