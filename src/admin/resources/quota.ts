import type { After, ActionResponse, RecordJSON } from 'adminjs';
import { QueryTypes, type Sequelize } from 'sequelize';

interface ActiveSubscription {
  user_id: number;
  plan: string;
  token_quota: string;
  tokens_used: string;
}

/**
 * After-hook of the users' list and show: adds each user's active subscription (the one the
 * tracker debits now) as `quotaPlan`, `quotaUsed` and `quotaLimit` params, for the quota bar.
 */
export function withActiveQuota(sequelize: Sequelize): After<ActionResponse> {
  return async (response) => {
    const records: RecordJSON[] = response.records ?? (response.record ? [response.record] : []);
    const ids = records.map((r) => Number(r.params.id)).filter(Number.isInteger);
    if (!ids.length) return response;
    const rows = await sequelize.query<ActiveSubscription>(
      `SELECT DISTINCT ON (user_id) user_id, plan, token_quota, tokens_used FROM subscriptions
       WHERE user_id = ANY($1::int[]) AND period_start <= now() AND period_end > now() AND (canceled_at IS NULL OR canceled_at > now())
       ORDER BY user_id, period_start DESC, id DESC`,
      { bind: [ids], type: QueryTypes.SELECT },
    );
    const byUser = new Map(rows.map((row) => [row.user_id, row]));
    for (const record of records) {
      const active = byUser.get(Number(record.params.id));
      if (!active) continue;
      record.params.quotaPlan = active.plan;
      record.params.quotaUsed = active.tokens_used;
      record.params.quotaLimit = active.token_quota;
    }
    return response;
  };
}
