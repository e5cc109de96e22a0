import { QueryTypes, type Sequelize } from 'sequelize';

export interface UsageAccount {
  id: number;
  email: string;
  name: string | null;
}

/** The subscription the tracker debits now: the newest one whose period covers now and is not canceled. */
export interface ActiveSubscription {
  plan: string;
  periodStart: Date;
  periodEnd: Date;
  tokenQuota: string;
  tokensUsed: string;
  costUsedUsd: string;
}

export async function findAccount(sequelize: Sequelize, userId: number): Promise<UsageAccount | null> {
  const [row] = await sequelize.query<UsageAccount>('SELECT id, email, name FROM users WHERE id = $1', { bind: [userId], type: QueryTypes.SELECT });
  return row ?? null;
}

export async function findActiveSubscription(sequelize: Sequelize, userId: number, now = new Date()): Promise<ActiveSubscription | null> {
  const [row] = await sequelize.query<ActiveSubscription>(
    `SELECT plan, period_start AS "periodStart", period_end AS "periodEnd", token_quota::text AS "tokenQuota",
            tokens_used::text AS "tokensUsed", trim_scale(cost_used_usd)::text AS "costUsedUsd"
     FROM subscriptions
     WHERE user_id = $1 AND period_start <= $2 AND period_end > $2 AND (canceled_at IS NULL OR canceled_at > $2)
     ORDER BY period_start DESC, id DESC LIMIT 1`,
    { bind: [userId, now], type: QueryTypes.SELECT },
  );
  return row ?? null;
}
