import { QueryTypes, type Sequelize } from 'sequelize';
import { benchEvent, eventId } from './events.js';

export interface LedgerCheck {
  /** Events the callers sent that are not in ai_usage_logs. */
  lost: number;
  /** Requests counted in the daily aggregate beyond the log rows: events applied more than once. */
  duplicated: number;
  /** Aggregate keys whose figures differ from the sum of their logs. */
  aggregate_drift_keys: number;
  /** Subscriptions whose debit differs from what the events sent add up to (tokens) or from their logs (cost). */
  billing_drift: number;
}

const count = async (sequelize: Sequelize, sql: string, bind: unknown[] = []) =>
  Number((await sequelize.query<{ n: string }>(sql, { bind, type: QueryTypes.SELECT }))[0]!.n);

/** Compares the ledger with the events 0..events-1 of `run`: every one recorded once, aggregates and billing exact. */
export async function checkLedger(sequelize: Sequelize, run: string, events: number, userIds: number[]): Promise<LedgerCheck> {
  const ids = Array.from({ length: events }, (_, i) => eventId(run, i));
  const present = await count(sequelize, 'SELECT count(*) AS n FROM ai_usage_logs WHERE id = ANY($1::uuid[])', [ids]);
  const logs = await count(sequelize, 'SELECT count(*) AS n FROM ai_usage_logs');
  const aggregated = await count(sequelize, 'SELECT COALESCE(sum(request_count), 0) AS n FROM ai_usage_tracking');
  const driftKeys = await count(
    sequelize,
    `WITH sums AS (
       SELECT user_id, (created_at AT TIME ZONE 'UTC')::date AS date, section, model_name, count(*) AS request_count,
              sum(prompt_tokens) AS prompt_tokens, sum(completion_tokens) AS completion_tokens, sum(thoughts_tokens) AS thoughts_tokens,
              sum(total_tokens) AS total_tokens, sum(response_time_ms) AS total_response_time_ms, COALESCE(sum(cost_usd), 0) AS cost_usd
       FROM ai_usage_logs GROUP BY 1, 2, 3, 4)
     SELECT count(*) AS n FROM sums s FULL JOIN ai_usage_tracking t
       ON t.user_id IS NOT DISTINCT FROM s.user_id AND t.date = s.date AND t.section = s.section AND t.model_name = s.model_name
     WHERE (s.request_count, s.prompt_tokens, s.completion_tokens, s.thoughts_tokens, s.total_tokens, s.total_response_time_ms, s.cost_usd)
       IS DISTINCT FROM (t.request_count, t.prompt_tokens, t.completion_tokens, t.thoughts_tokens, t.total_tokens, t.total_response_time_ms, t.cost_usd)`,
  );
  const expectedTokens = new Map<number, number>();
  for (let i = 0; i < events; i++) {
    const e = benchEvent(run, i, userIds);
    expectedTokens.set(Number(e.userId), (expectedTokens.get(Number(e.userId)) ?? 0) + e.promptTokens! + e.completionTokens! + e.thoughtsTokens!);
  }
  const subscriptions = await sequelize.query<{ user_id: number; tokens_used: string; cost_drift: boolean }>(
    `SELECT s.user_id, s.tokens_used,
            s.cost_used_usd IS DISTINCT FROM (SELECT COALESCE(sum(cost_usd), 0) FROM ai_usage_logs l WHERE l.user_id = s.user_id) AS cost_drift
     FROM subscriptions s`,
    { type: QueryTypes.SELECT },
  );
  const billingDrift = subscriptions.filter((s) => s.cost_drift || Number(s.tokens_used) !== (expectedTokens.get(s.user_id) ?? 0)).length;
  return { lost: events - present, duplicated: aggregated - logs, aggregate_drift_keys: driftKeys, billing_drift: billingDrift };
}
