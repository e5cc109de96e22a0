import { QueryTypes, type Sequelize } from 'sequelize';
import type { StoredAlertRule } from './rule-store.js';
import type { AlertWindowSpan } from './window.js';

export interface Measurement {
  value: number;
  /** The 7-day baseline of a spike rule, null otherwise. */
  baseline: number | null;
}

export interface FiredAlert {
  alertId: string;
  deliveryIds: string[];
}

/**
 * The crossing: state, alert and its deliveries in one statement. The state row flips to `above`
 * only `WHERE NOT above`; when two evaluators (two app instances) race, the second waits on the
 * row lock, re-checks the condition against the committed row and changes nothing, so `alert` and
 * `deliveries` are empty for it. The alert's unique (rule, window, crossing) key backs this up.
 */
const FIRE_SQL = `
WITH flipped AS (
  INSERT INTO ai_usage_alert_states AS s (rule_id, window_key, above, crossings, value, changed_at)
  VALUES ($1, $2, true, 1, $3, $4)
  ON CONFLICT (rule_id, window_key) DO UPDATE
    SET above = true, crossings = s.crossings + 1, value = excluded.value, changed_at = excluded.changed_at
    WHERE NOT s.above
  RETURNING s.crossings
), alert AS (
  INSERT INTO ai_usage_alerts (rule_id, rule_name, metric, "window", scope, value, threshold, baseline,
    window_start, window_end, window_key, crossing, triggered_at)
  SELECT $1, $5, $6, $7, $8::jsonb, $3, $9, $10, $11, $4, $2, flipped.crossings, $4 FROM flipped
  RETURNING id
), deliveries AS (
  INSERT INTO ai_usage_alert_deliveries (alert_id, channel, target)
  SELECT alert.id, d.channel, d.target FROM alert, unnest($12::text[], $13::text[]) AS d(channel, target)
  RETURNING id
)
SELECT alert.id AS alert_id, COALESCE((SELECT array_agg(id::text) FROM deliveries), '{}') AS delivery_ids FROM alert`;

/** Back at or below: the state flips down, and the alert of that crossing is marked recovered. */
const RECOVER_SQL = `
WITH lowered AS (
  UPDATE ai_usage_alert_states SET above = false, value = $3, changed_at = $4
  WHERE rule_id = $1 AND window_key = $2 AND above
  RETURNING crossings
)
UPDATE ai_usage_alerts a SET recovered_at = $4
FROM lowered WHERE a.rule_id = $1 AND a.window_key = $2 AND a.crossing = lowered.crossings
RETURNING a.id`;

function channelsOf(rule: StoredAlertRule): { channels: string[]; targets: string[] } {
  const channels: string[] = [];
  const targets: string[] = [];
  if (rule.webhook) {
    channels.push('webhook');
    targets.push(rule.webhook.url);
  }
  if (rule.email) {
    channels.push('email');
    targets.push(rule.email.join(', '));
  }
  return { channels, targets };
}

/** Records a crossing above the threshold; null when this window was already above (no new alert). */
export async function recordCrossing(sequelize: Sequelize, rule: StoredAlertRule, window: AlertWindowSpan, measurement: Measurement): Promise<FiredAlert | null> {
  const { channels, targets } = channelsOf(rule);
  const [row] = await sequelize.query<{ alert_id: string; delivery_ids: string[] }>(FIRE_SQL, {
    bind: [
      rule.id,
      window.key,
      measurement.value,
      window.to,
      rule.name,
      rule.metric,
      rule.window,
      JSON.stringify(rule.scope),
      rule.threshold,
      measurement.baseline,
      window.from,
      channels,
      targets,
    ],
    type: QueryTypes.SELECT,
  });
  return row ? { alertId: String(row.alert_id), deliveryIds: row.delivery_ids } : null;
}

/** Records a return to at or below the threshold; true when the window was above until now. */
export async function recordRecovery(sequelize: Sequelize, rule: StoredAlertRule, window: AlertWindowSpan, value: number): Promise<boolean> {
  const rows = await sequelize.query(RECOVER_SQL, { bind: [rule.id, window.key, value, window.to], type: QueryTypes.SELECT });
  return rows.length > 0;
}
