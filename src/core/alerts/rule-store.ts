import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { AlertRule } from './rule.js';

/** A stored rule: the rule and its row's identity. */
export interface StoredAlertRule extends AlertRule {
  id: number;
  enabled: boolean;
}

export interface AlertRuleRow {
  id: number;
  name: string;
  metric: AlertRule['metric'];
  window: AlertRule['window'];
  threshold: string;
  scope_user_email: string | null;
  scope_section: string | null;
  scope_model: string | null;
  spike_vs: '7d_average' | null;
  spike_factor: string | null;
  webhook_url: string | null;
  webhook_secret: string | null;
  email_recipients: string[];
  enabled: boolean;
}

/** The row's columns as the rule's fixed shape. */
export function ruleFromRow(row: AlertRuleRow): StoredAlertRule {
  const rule: StoredAlertRule = {
    id: row.id,
    enabled: row.enabled,
    name: row.name,
    metric: row.metric,
    window: row.window,
    threshold: Number(row.threshold),
    scope: {},
  };
  if (row.scope_user_email) rule.scope.user = row.scope_user_email;
  if (row.scope_section) rule.scope.section = row.scope_section;
  if (row.scope_model) rule.scope.model = row.scope_model;
  if (row.spike_vs && row.spike_factor !== null) rule.spike = { vs: row.spike_vs, factor: Number(row.spike_factor) };
  if (row.webhook_url && row.webhook_secret) rule.webhook = { url: row.webhook_url, secret: row.webhook_secret };
  if (row.email_recipients.length > 0) rule.email = row.email_recipients;
  return rule;
}

/** The rule's fields as column values, in UPSERT_COLUMNS order. */
function columnValues(rule: AlertRule): unknown[] {
  return [
    rule.name,
    rule.metric,
    rule.window,
    rule.threshold,
    rule.scope.user ?? null,
    rule.scope.section ?? null,
    rule.scope.model ?? null,
    rule.spike?.vs ?? null,
    rule.spike?.factor ?? null,
    rule.webhook?.url ?? null,
    rule.webhook?.secret ?? null,
    rule.email ?? [],
  ];
}

const UPSERT_COLUMNS = ['name', 'metric', '"window"', 'threshold', 'scope_user_email', 'scope_section', 'scope_model', 'spike_vs', 'spike_factor', 'webhook_url', 'webhook_secret', 'email_recipients'];

/** Inserts the rule, or replaces the fields of the rule of that name; returns its id. */
export async function upsertAlertRule(sequelize: Sequelize, rule: AlertRule, source: 'panel' | 'file', transaction?: Transaction): Promise<number> {
  const placeholders = UPSERT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
  const updates = UPSERT_COLUMNS.slice(1).map((column) => `${column} = excluded.${column}`).join(', ');
  const [row] = await sequelize.query<{ id: number }>(
    `INSERT INTO ai_usage_alert_rules (${UPSERT_COLUMNS.join(', ')}, source)
     VALUES (${placeholders}, $${UPSERT_COLUMNS.length + 1})
     ON CONFLICT (name) DO UPDATE SET ${updates}, source = excluded.source, updated_at = now()
     RETURNING id`,
    { bind: [...columnValues(rule), source], type: QueryTypes.SELECT, transaction },
  );
  return row!.id;
}

/** Every enabled rule, oldest first. */
export async function enabledAlertRules(sequelize: Sequelize): Promise<StoredAlertRule[]> {
  const rows = await sequelize.query<AlertRuleRow>('SELECT * FROM ai_usage_alert_rules WHERE enabled ORDER BY id', { type: QueryTypes.SELECT });
  return rows.map(ruleFromRow);
}

/** One rule by id, enabled or not; null when it was deleted. */
export async function alertRuleById(sequelize: Sequelize, id: number): Promise<StoredAlertRule | null> {
  const [row] = await sequelize.query<AlertRuleRow>('SELECT * FROM ai_usage_alert_rules WHERE id = $1', { bind: [id], type: QueryTypes.SELECT });
  return row ? ruleFromRow(row) : null;
}
