import type { Sequelize } from 'sequelize';
import { QueryTypes } from 'sequelize';
import type { UserId } from '../users/user-id.js';

interface Scope {
  user_id: string | null;
  section: string | null;
  model_name: string | null;
}

const REFRESH_MS = 30_000;

/**
 * The scopes of the enforced budgets, as last read: what a reserve falls back on while PostgreSQL
 * cannot be reached, to tell a call no enforced budget covers (it may go on) from one that is.
 */
export function enforcedScopes(sequelize: Sequelize, quotaMode: string) {
  let scopes: Scope[] | undefined;
  let readAt = 0;
  let reading: Promise<void> | undefined;

  const refresh = () =>
    (reading ??= sequelize
      .query<Scope>(
        `SELECT DISTINCT b.user_id::text AS user_id, b.section, b.model_name
         FROM ai_budgets AS b LEFT JOIN subscriptions AS s ON s.id = b.subscription_id
         WHERE (b.subscription_id IS NULL AND b.mode = 'enforce')
            OR (b.subscription_id IS NOT NULL AND COALESCE(s.quota_mode, $1) = 'enforce' AND s.period_end > now())`,
        { bind: [quotaMode], type: QueryTypes.SELECT },
      )
      .then((rows) => {
        scopes = rows;
        readAt = Date.now();
      })
      // Unreadable now: the scopes read before stay, and the next reserve tries again.
      .catch(() => undefined)
      .finally(() => (reading = undefined)));

  return {
    /** Rereads the scopes in the background when they are older than 30 s. */
    freshen(): void {
      if (Date.now() - readAt > REFRESH_MS) void refresh();
    },
    /** Whether an enforced budget may cover the call; true when the scopes were never read. */
    mayCover(userId: UserId | null, section: string, modelName: string): boolean {
      if (!scopes) return true;
      return scopes.some(
        (s) => (s.user_id === null || (userId !== null && s.user_id === String(userId))) && (s.section === null || s.section === section) && (s.model_name === null || s.model_name === modelName),
      );
    },
    refresh,
  };
}
