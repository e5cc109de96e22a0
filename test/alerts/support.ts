import { randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import { upsertAlertRule, validateAlertRule, alertRuleById, type StoredAlertRule } from '../../src/core/alerts/index.js';

export interface LogRow {
  at: Date;
  userId?: number | null;
  section?: string;
  model?: string;
  success?: boolean;
  tokens?: number;
  /** USD as a decimal string; null = unpriced. */
  cost?: string | null;
  ms?: number;
}

/**
 * Writes log rows directly, at any moment: the alert metrics read the log only, and windows are
 * tested at fixed instants (the tracker refuses events far in the past).
 */
export async function insertLogs(sequelize: Sequelize, rows: LogRow[]): Promise<void> {
  for (const row of rows) {
    await sequelize.query(
      `INSERT INTO ai_usage_logs (id, user_id, section, model_name, prompt_tokens, total_tokens, response_time_ms, success, cost_usd, created_at)
       VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9)`,
      {
        bind: [randomUUID(), row.userId ?? null, row.section ?? 'chat', row.model ?? 'gemini-2.5-flash', row.tokens ?? 100, row.ms ?? 1000, row.success ?? true, row.cost === undefined ? '0.01' : row.cost, row.at],
      },
    );
  }
}

/** Validates and stores a rule, returning it as the evaluator reads it. */
export async function createRule(sequelize: Sequelize, input: Record<string, unknown>): Promise<StoredAlertRule> {
  const id = await upsertAlertRule(sequelize, validateAlertRule({ name: `rule-${randomUUID().slice(0, 8)}`, ...input }), 'panel');
  return (await alertRuleById(sequelize, id))!;
}

export async function alertsOf(sequelize: Sequelize, ruleId: number) {
  return sequelize.query<{ id: string; value: string; threshold: string; baseline: string | null; window_key: string; crossing: number; triggered_at: Date; recovered_at: Date | null; window_start: Date }>(
    'SELECT * FROM ai_usage_alerts WHERE rule_id = $1 ORDER BY id',
    { bind: [ruleId], type: QueryTypes.SELECT },
  );
}

export const minutesBefore = (at: Date, minutes: number) => new Date(at.getTime() - minutes * 60_000);
