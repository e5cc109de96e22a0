import { QueryTypes, type Sequelize } from 'sequelize';

export interface UsageRow {
  budget_id: number;
  period_start: Date;
  used_usd: string;
  used_tokens: string;
  reserved_usd: string;
  reserved_tokens: string;
}

/** Inserts a budget and returns its id. */
export async function insertBudget(
  sequelize: Sequelize,
  budget: { name?: string; userId?: number | null; section?: string | null; modelName?: string | null; period?: string; limitUsd?: string | null; limitTokens?: number | null; mode?: 'enforce' | 'warn' },
): Promise<number> {
  const [row] = await sequelize.query<{ id: number }>(
    `INSERT INTO ai_budgets (name, user_id, section, model_name, period, limit_usd, limit_tokens, mode)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    {
      bind: [budget.name ?? 'test budget', budget.userId ?? null, budget.section ?? null, budget.modelName ?? null, budget.period ?? 'day', budget.limitUsd ?? null, budget.limitTokens ?? null, budget.mode ?? 'enforce'],
      type: QueryTypes.SELECT,
    },
  );
  return row!.id;
}

export const usageOf = (sequelize: Sequelize, budgetId: number) =>
  sequelize.query<UsageRow>(
    `SELECT budget_id, period_start, used_usd::text, used_tokens::text, reserved_usd::text, reserved_tokens::text
     FROM ai_budget_usage WHERE budget_id = $1 ORDER BY period_start`,
    { bind: [budgetId], type: QueryTypes.SELECT },
  );

/**
 * The invariants, for every budget and period: used == the settled ledger rows in its scope and
 * period, reserved == its live holds. Returns the rows that break them (none expected).
 */
export async function brokenInvariants(sequelize: Sequelize): Promise<unknown[]> {
  return sequelize.query(
    `WITH ledger AS (
       SELECT u.budget_id, u.period_start, COALESCE(sum(l.cost_usd), 0) AS usd, COALESCE(sum(l.total_tokens), 0) AS tokens
       FROM ai_budget_usage u JOIN ai_budgets b ON b.id = u.budget_id
       LEFT JOIN ai_usage_logs l ON l.created_at >= u.period_start AND l.created_at < u.period_end
         AND (b.user_id IS NULL OR l.user_id = b.user_id) AND (b.section IS NULL OR l.section = b.section)
         AND (b.model_name IS NULL OR l.model_name = b.model_name)
       GROUP BY 1, 2
     ), holds AS (
       SELECT budget_id, period_start, sum(amount_usd) AS usd, sum(amount_tokens) AS tokens FROM ai_budget_holds GROUP BY 1, 2
     )
     SELECT u.budget_id, u.period_start, u.used_usd, ledger.usd AS ledger_usd, u.used_tokens, ledger.tokens AS ledger_tokens,
            u.reserved_usd, COALESCE(holds.usd, 0) AS holds_usd, u.reserved_tokens, COALESCE(holds.tokens, 0) AS holds_tokens
     FROM ai_budget_usage u JOIN ledger USING (budget_id, period_start) LEFT JOIN holds USING (budget_id, period_start)
     WHERE u.used_usd <> ledger.usd OR u.used_tokens <> ledger.tokens
        OR u.reserved_usd <> COALESCE(holds.usd, 0) OR u.reserved_tokens <> COALESCE(holds.tokens, 0)`,
    { type: QueryTypes.SELECT },
  );
}
