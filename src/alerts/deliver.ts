import { QueryTypes, type Sequelize } from 'sequelize';
import { alertRuleById } from '../core/alerts/index.js';
import { alertLogLink, alertMail, alertPayload, type AlertRow } from './alert-message.js';
import type { AlertsConfig } from './config.js';
import type { Mailer } from './mailer.js';
import { postSignedJson, WebhookRefusedError } from './signed-post.js';

export interface DeliveryDeps {
  sequelize: Sequelize;
  mailer: Mailer;
  config: Pick<AlertsConfig, 'webhookAllowPrivate' | 'deliveryRetry' | 'publicUrl'>;
}

export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed' | 'skipped';

/** An attempt failed and pg-boss should try again later. */
export class DeliveryRetryError extends Error {
  override name = 'DeliveryRetryError';
}

/** A failure retrying cannot fix (refused target, deleted rule). */
class PermanentDeliveryError extends Error {}

interface Claimed {
  alert_id: string;
  channel: 'webhook' | 'email';
  attempts: number;
}

async function record(sequelize: Sequelize, id: string, fields: { status: string; responseStatus?: number | null; error?: string | null }): Promise<void> {
  await sequelize.query(
    `UPDATE ai_usage_alert_deliveries SET status = $2, response_status = $3, last_error = $4,
       delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END, updated_at = now()
     WHERE id = $1`,
    { bind: [id, fields.status, fields.responseStatus ?? null, fields.error ?? null] },
  );
}

async function send(deps: DeliveryDeps, claimed: Claimed): Promise<number | null> {
  const [alert] = await deps.sequelize.query<AlertRow>('SELECT * FROM ai_usage_alerts WHERE id = $1', { bind: [claimed.alert_id], type: QueryTypes.SELECT });
  const rule = alert?.rule_id ? await alertRuleById(deps.sequelize, alert.rule_id) : null;
  if (!alert || !rule) throw new PermanentDeliveryError('the alert rule was deleted');
  const link = `${deps.config.publicUrl ?? ''}${await alertLogLink(deps.sequelize, alert)}`;
  if (claimed.channel === 'webhook') {
    if (!rule.webhook) throw new PermanentDeliveryError('the rule no longer has a webhook');
    const body = JSON.stringify(alertPayload(alert, link));
    const response = await postSignedJson(rule.webhook.url, body, rule.webhook.secret, {
      allowPrivate: deps.config.webhookAllowPrivate,
      headers: { 'X-AI-Usage-Alert-Id': alert.id },
    });
    if (response.status < 200 || response.status >= 300) throw new Error(`HTTP ${response.status}${response.body ? `: ${response.body}` : ''}`);
    return response.status;
  }
  if (!rule.email) throw new PermanentDeliveryError('the rule no longer has email recipients');
  await deps.mailer.send({ to: rule.email, ...alertMail(alert, link) });
  return null;
}

/**
 * One attempt at one delivery, its outcome recorded on the row (attempts, status, HTTP status,
 * last error). Throws DeliveryRetryError while retries remain so that pg-boss retries with
 * backoff; a delivery already delivered or failed is skipped, so a repeated job sends nothing.
 */
export async function deliverAlert(deps: DeliveryDeps, deliveryId: string): Promise<DeliveryOutcome> {
  const [claimed] = await deps.sequelize.query<Claimed>(
    `UPDATE ai_usage_alert_deliveries SET attempts = attempts + 1, updated_at = now()
     WHERE id = $1 AND status IN ('pending', 'retrying') RETURNING alert_id, channel, attempts`,
    { bind: [deliveryId], type: QueryTypes.SELECT },
  );
  if (!claimed) return 'skipped';
  try {
    const responseStatus = await send(deps, claimed);
    await record(deps.sequelize, deliveryId, { status: 'delivered', responseStatus });
    return 'delivered';
  } catch (error) {
    const message = (error as Error).message;
    const permanent = error instanceof PermanentDeliveryError || error instanceof WebhookRefusedError;
    const final = permanent || claimed.attempts > deps.config.deliveryRetry.limit;
    const status = /^HTTP (\d{3})/.exec(message);
    await record(deps.sequelize, deliveryId, { status: final ? 'failed' : 'retrying', responseStatus: status ? Number(status[1]) : null, error: message });
    if (final) return 'failed';
    throw new DeliveryRetryError(`delivery ${deliveryId} (${claimed.channel}) attempt ${claimed.attempts} failed: ${message}`, { cause: error });
  }
}
