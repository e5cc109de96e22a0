import { QueryTypes, type Sequelize } from 'sequelize';
import type { AlertScope } from '../core/alerts/index.js';

/** A triggered alert as stored in ai_usage_alerts. */
export interface AlertRow {
  id: string;
  rule_id: number | null;
  rule_name: string;
  metric: string;
  window: string;
  scope: AlertScope;
  value: string;
  threshold: string;
  baseline: string | null;
  window_start: Date;
  window_end: Date;
  triggered_at: Date;
}

export const LOG_LIST_PATH = '/admin/resources/ai_usage_logs';

/** The log list's query string selecting the alert's scope and window (failures only for failure metrics). */
export async function alertLogQuery(sequelize: Sequelize, alert: Pick<AlertRow, 'metric' | 'scope' | 'window_start' | 'window_end'>): Promise<string> {
  const params = new URLSearchParams();
  params.set('filters.createdAt~~from', new Date(alert.window_start).toISOString());
  params.set('filters.createdAt~~to', new Date(alert.window_end).toISOString());
  if (alert.scope.section) params.set('filters.section', alert.scope.section);
  if (alert.scope.model) params.set('filters.modelName', alert.scope.model);
  if (alert.scope.user) {
    const [user] = await sequelize.query<{ id: number }>('SELECT id FROM users WHERE lower(email) = $1', { bind: [alert.scope.user], type: QueryTypes.SELECT });
    // An unknown user matches no row, as the rule measured: say so rather than show everyone's.
    params.set('filters.userId', user ? String(user.id) : '0');
  }
  if (alert.metric === 'failures' || alert.metric === 'error_rate') params.set('filters.success', 'false');
  // encodeURIComponent keeps `~` readable (URLSearchParams would write filters.createdAt%7E%7Efrom).
  const query = [...params].map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
  return query;
}

/** The usage log filtered to the alert's requests, under the standalone panel's /admin. */
export async function alertLogLink(sequelize: Sequelize, alert: Pick<AlertRow, 'metric' | 'scope' | 'window_start' | 'window_end'>): Promise<string> {
  return `${LOG_LIST_PATH}?${await alertLogQuery(sequelize, alert)}`;
}

/** The webhook body: at least {rule, metric, window, scope, value, threshold, triggered_at}. */
export function alertPayload(alert: AlertRow, link: string) {
  return {
    rule: alert.rule_name,
    metric: alert.metric,
    window: alert.window,
    scope: alert.scope,
    value: Number(alert.value),
    threshold: Number(alert.threshold),
    triggered_at: new Date(alert.triggered_at).toISOString(),
    baseline_7d: alert.baseline === null ? null : Number(alert.baseline),
    window_start: new Date(alert.window_start).toISOString(),
    alert_id: alert.id,
    log_url: link,
  };
}

const SCOPE_LABELS: [keyof AlertScope, string][] = [['user', 'user'], ['section', 'section'], ['model', 'model']];

export function describeScope(scope: AlertScope): string {
  const parts = SCOPE_LABELS.filter(([key]) => scope[key]).map(([key, label]) => `${label} ${scope[key]}`);
  return parts.length ? parts.join(', ') : 'all usage';
}

/** The alert as an email. */
export function alertMail(alert: AlertRow, link: string): { subject: string; text: string } {
  const value = Number(alert.value);
  const threshold = Number(alert.threshold);
  const subject = `[AI usage alert] ${alert.rule_name}: ${alert.metric} ${value} > ${threshold} (${alert.window})`;
  const lines = [
    `Rule "${alert.rule_name}" was triggered at ${new Date(alert.triggered_at).toISOString()}.`,
    '',
    `Metric:    ${alert.metric} over ${alert.window === 'period' ? 'the current period' : `the last ${alert.window}`}`,
    `Scope:     ${describeScope(alert.scope)}`,
    `Value:     ${value}`,
    `Threshold: ${threshold}`,
  ];
  if (alert.baseline !== null) lines.push(`7-day baseline for this window: ${Number(alert.baseline)}`);
  lines.push('', `The requests: ${link}`);
  return { subject, text: lines.join('\n') };
}
