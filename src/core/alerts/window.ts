import { QueryTypes, type Sequelize } from 'sequelize';
import type { AlertRule } from './rule.js';
import { userIdByEmailSql, userReferenceOf } from '../users/user-sql.js';

/** The span a rule's value is measured over, at one moment. */
export interface AlertWindowSpan {
  from: Date;
  /** The evaluation moment: the value counts requests before it. */
  to: Date;
  /** Identifies the window in the crossing state: one key per period, one for a sliding window. */
  key: string;
}

const HOUR_MS = 3_600_000;
const SLIDING_MS = { '1h': HOUR_MS, '24h': 24 * HOUR_MS } as const;

function calendarMonthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** The subscription period active at `at` for the user with that email, chosen as billing chooses it. */
async function subscriptionPeriodStart(sequelize: Sequelize, email: string, at: Date): Promise<Date | null> {
  const [row] = await sequelize.query<{ period_start: Date }>(
    `SELECT s.period_start FROM subscriptions s
     WHERE s.user_id = (${userIdByEmailSql(userReferenceOf(sequelize), '$1')}) AND s.period_start <= $2 AND s.period_end > $2 AND (s.canceled_at IS NULL OR s.canceled_at > $2)
     ORDER BY s.period_start DESC, s.id DESC LIMIT 1`,
    { bind: [email, at], type: QueryTypes.SELECT },
  );
  return row ? new Date(row.period_start) : null;
}

/**
 * 1h and 24h slide with time (one state key); `period` is the scope user's current subscription
 * period, or the calendar month (UTC) without a user or a subscription, and a new period is a new key.
 */
export async function resolveWindow(sequelize: Sequelize, rule: Pick<AlertRule, 'window' | 'scope'>, at: Date): Promise<AlertWindowSpan> {
  if (rule.window !== 'period') return { from: new Date(at.getTime() - SLIDING_MS[rule.window]), to: at, key: 'sliding' };
  const subscriptionStart = rule.scope.user ? await subscriptionPeriodStart(sequelize, rule.scope.user, at) : null;
  const from = subscriptionStart ?? calendarMonthStart(at);
  return { from, to: at, key: `${subscriptionStart ? 'subscription' : 'month'}:${from.toISOString()}` };
}
