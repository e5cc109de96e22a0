/** Settings of usage alerts and cost reports (see README, Alerts and Cost reports). */
export interface AlertsConfig {
  /** AI_USAGE_ALERT_RULES_FILE: JSON array of rules upserted by name at start. */
  rulesFile?: string;
  /** SMTP_URL (smtp://user:pass@host:port, smtps://...): email deliveries; unset, email deliveries fail with that reason. */
  smtpUrl?: string;
  /** AI_USAGE_MAIL_FROM: sender of alert and report mail. */
  mailFrom: string;
  /** AI_USAGE_WEBHOOK_ALLOW_PRIVATE=true: webhooks may reach loopback and private addresses. */
  webhookAllowPrivate: boolean;
  /** AI_USAGE_ALERT_INTERVAL_SECONDS: how often each instance asks for an evaluation (all instances share one per slot). */
  evaluateIntervalSeconds: number;
  /** AI_USAGE_ALERT_RETRY_LIMIT / AI_USAGE_ALERT_RETRY_DELAY_SECONDS: delivery retries after the first failure, first delay (doubled each time). */
  deliveryRetry: { limit: number; delaySeconds: number };
  /** AI_USAGE_PUBLIC_URL: the panel's address as recipients reach it, for links in mail and webhooks. */
  publicUrl?: string;
  /** AI_USAGE_REPORT_CRON (default "0 6 1 * *": 06:00 UTC on the 1st); "off" disables the monthly report. */
  reportCron: string | null;
  /** AI_USAGE_REPORT_EMAIL: comma-separated recipients of the monthly cost report. */
  reportEmail: string[];
  /** AI_USAGE_REPORT_WEBHOOK_URL / AI_USAGE_REPORT_WEBHOOK_SECRET: where the monthly report is POSTed, signed. */
  reportWebhook?: { url: string; secret: string };
}

export class AlertsConfigError extends Error {
  override name = 'AlertsConfigError';
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new AlertsConfigError(`${name} must be an integer of at least ${min}, got "${raw}"`);
  return value;
}

function addresses(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((a) => a.trim()).filter(Boolean);
}

/** Reads the alert and report settings from the environment; a bad value is a startup error naming the variable. */
export function loadAlertsConfig(env: NodeJS.ProcessEnv = process.env): AlertsConfig {
  const cron = env.AI_USAGE_REPORT_CRON?.trim();
  const reportUrl = env.AI_USAGE_REPORT_WEBHOOK_URL?.trim();
  const reportSecret = env.AI_USAGE_REPORT_WEBHOOK_SECRET ?? '';
  if (reportUrl && reportSecret.length < 16) throw new AlertsConfigError('AI_USAGE_REPORT_WEBHOOK_SECRET must be set (16+ characters) when AI_USAGE_REPORT_WEBHOOK_URL is');
  const interval = positiveInteger(env, 'AI_USAGE_ALERT_INTERVAL_SECONDS', 15);
  if (interval > 30) throw new AlertsConfigError('AI_USAGE_ALERT_INTERVAL_SECONDS must be at most 30 (alerts are due within 60 s of the crossing)');
  return {
    rulesFile: env.AI_USAGE_ALERT_RULES_FILE || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.AI_USAGE_MAIL_FROM || 'AI usage ledger <ai-usage@localhost>',
    webhookAllowPrivate: env.AI_USAGE_WEBHOOK_ALLOW_PRIVATE === 'true',
    evaluateIntervalSeconds: interval,
    deliveryRetry: { limit: positiveInteger(env, 'AI_USAGE_ALERT_RETRY_LIMIT', 5, 0), delaySeconds: positiveInteger(env, 'AI_USAGE_ALERT_RETRY_DELAY_SECONDS', 10) },
    publicUrl: env.AI_USAGE_PUBLIC_URL?.replace(/\/+$/, '') || undefined,
    reportCron: cron === 'off' ? null : cron || '0 6 1 * *',
    reportEmail: addresses(env.AI_USAGE_REPORT_EMAIL),
    reportWebhook: reportUrl ? { url: reportUrl, secret: reportSecret } : undefined,
  };
}
