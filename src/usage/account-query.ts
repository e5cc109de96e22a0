import { QueryTypes, type Sequelize } from 'sequelize';
import type { UserId } from '../core/users/user-id.js';
import { userColumnSql, userReferenceOf } from '../core/users/user-sql.js';
import type { UserReference } from '../core/users/user-reference.cjs';

export interface UsageAccount {
  id: UserId;
  /** Null when the host's users table (or its email column) is not known to the ledger. */
  email: string | null;
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

export async function findAccount(sequelize: Sequelize, userId: UserId): Promise<UsageAccount | null> {
  const users = userReferenceOf(sequelize);
  if (!users.own) return { id: userId, email: await userColumn(sequelize, users, 'email', userId), name: await userColumn(sequelize, users, 'name', userId) };
  const [row] = await sequelize.query<UsageAccount>('SELECT id, email, name FROM users WHERE id = $1', { bind: [userId], type: QueryTypes.SELECT });
  return row ?? null;
}

/** A host user's name or email; the host authenticated the caller, so an unknown row is only a missing column value. */
async function userColumn(sequelize: Sequelize, users: UserReference, column: 'name' | 'email', userId: UserId): Promise<string | null> {
  if (!users.table) return null;
  const [row] = await sequelize.query<{ value: string | null }>(`SELECT ${userColumnSql(users, column, '$1')} AS value`, { bind: [userId], type: QueryTypes.SELECT });
  return row?.value ?? null;
}

export async function findActiveSubscription(sequelize: Sequelize, userId: UserId, now = new Date()): Promise<ActiveSubscription | null> {
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
