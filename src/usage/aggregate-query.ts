import { QueryTypes, type Sequelize } from 'sequelize';
import type { UsagePeriod } from './period.js';
import type { UserId } from '../core/users/user-id.js';

/** Sums of ai_usage_tracking rows, as exact text from PostgreSQL. */
export interface AggregateSums {
  requests: string;
  failures: string;
  tokens: string;
  cost_usd: string;
  /** Requests whose model had no price: their cost is not in cost_usd. */
  unpriced: string;
}

export interface AggregateGroups {
  totals: AggregateSums;
  byDay: Map<string, AggregateSums>;
  bySection: (AggregateSums & { section: string })[];
  byModel: (AggregateSums & { model: string })[];
}

interface GroupRow extends AggregateSums {
  grouped_by: 'total' | 'date' | 'section' | 'model';
  key: string | null;
}

const SUMS = `COALESCE(sum(request_count), 0)::text AS requests, COALESCE(sum(failure_count), 0)::text AS failures,
  COALESCE(sum(total_tokens), 0)::text AS tokens, trim_scale(COALESCE(sum(cost_usd), 0))::text AS cost_usd,
  COALESCE(sum(unpriced_request_count), 0)::text AS unpriced`;

/**
 * Totals and the per-day, per-section and per-model sums of one user's daily aggregate rows over
 * the period, in one pass (GROUPING SETS) over the (user_id, date) index: never the log.
 */
export async function aggregateGroups(sequelize: Sequelize, userId: UserId, period: UsagePeriod): Promise<AggregateGroups> {
  const rows = await sequelize.query<GroupRow>(
    `SELECT CASE WHEN GROUPING(date) = 0 THEN 'date' WHEN GROUPING(section) = 0 THEN 'section'
                 WHEN GROUPING(model_name) = 0 THEN 'model' ELSE 'total' END AS grouped_by,
            COALESCE(to_char(date, 'YYYY-MM-DD'), section, model_name) AS key, ${SUMS}
     FROM ai_usage_tracking
     WHERE user_id = $1 AND date BETWEEN $2::date AND $3::date
     GROUP BY GROUPING SETS ((), (date), (section), (model_name))
     ORDER BY grouped_by, sum(total_tokens) DESC NULLS LAST, key`,
    { bind: [userId, period.from, period.to], type: QueryTypes.SELECT },
  );
  const groups: AggregateGroups = { totals: { requests: '0', failures: '0', tokens: '0', cost_usd: '0', unpriced: '0' }, byDay: new Map(), bySection: [], byModel: [] };
  for (const { grouped_by, key, ...sums } of rows) {
    if (grouped_by === 'total') groups.totals = sums;
    else if (grouped_by === 'date') groups.byDay.set(key!, sums);
    else if (grouped_by === 'section') groups.bySection.push({ section: key!, ...sums });
    else groups.byModel.push({ model: key!, ...sums });
  }
  return groups;
}

/** One CSV line's worth: a day, section and model of the user's daily aggregate, every counter. */
export interface AggregateDetailRow {
  date: string;
  section: string;
  model: string;
  requests: string;
  successes: string;
  failures: string;
  prompt_tokens: string;
  completion_tokens: string;
  thoughts_tokens: string;
  cached_tokens: string;
  total_tokens: string;
  cost_usd: string;
  unpriced_requests: string;
}

/** The user's daily aggregate rows in the period, oldest day first. */
export function aggregateDetailRows(sequelize: Sequelize, userId: UserId, period: UsagePeriod): Promise<AggregateDetailRow[]> {
  return sequelize.query<AggregateDetailRow>(
    `SELECT to_char(date, 'YYYY-MM-DD') AS date, section, model_name AS model, request_count::text AS requests,
            success_count::text AS successes, failure_count::text AS failures, prompt_tokens::text AS prompt_tokens,
            completion_tokens::text AS completion_tokens, thoughts_tokens::text AS thoughts_tokens,
            cached_tokens::text AS cached_tokens, total_tokens::text AS total_tokens, trim_scale(cost_usd)::text AS cost_usd,
            unpriced_request_count::text AS unpriced_requests
     FROM ai_usage_tracking
     WHERE user_id = $1 AND date BETWEEN $2::date AND $3::date
     ORDER BY date, section, model_name`,
    { bind: [userId, period.from, period.to], type: QueryTypes.SELECT },
  );
}
