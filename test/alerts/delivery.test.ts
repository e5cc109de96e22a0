import { createHmac } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import { startAlerts, type AlertsRuntime } from '../../src/alerts/alert-jobs.js';
import { loadAlertsConfig, type AlertsConfig } from '../../src/alerts/config.js';
import { deliverAlert, DeliveryRetryError } from '../../src/alerts/deliver.js';
import { createMailer } from '../../src/alerts/mailer.js';
import { evaluateAlertRule } from '../../src/core/alerts/index.js';
import { startJobQueue, type RunningJobQueue } from '../../src/jobs/job-queue.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertUser, one } from '../support/fixtures.js';
import { createRule, insertLogs, minutesBefore } from './support.js';
import { readableMail, startSmtpSink, startWebhookSink } from './sinks.js';

let db: TestDatabase;
const SECRET = 'webhook-secret-0123456789';
const noMail = createMailer(undefined, 'x@example.com');
const config = (overrides: Partial<AlertsConfig> = {}): AlertsConfig => ({ ...loadAlertsConfig({}), webhookAllowPrivate: true, deliveryRetry: { limit: 2, delaySeconds: 1 }, ...overrides });

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

type Delivery = { id: string; status: string; attempts: number; response_status: number | null; last_error: string | null; delivered_at: Date | null };
const delivery = (id: string) => one<Delivery>(db.sequelize, 'SELECT id::text, status, attempts, response_status, last_error, delivered_at FROM ai_usage_alert_deliveries WHERE id = $1', [id]);

/** A rule over its own model, crossed now: returns the fired alert's delivery ids. */
async function crossedRule(rule: Record<string, unknown>) {
  const model = `gemini-test-${Math.random().toString(36).slice(2, 8)}`;
  const stored = await createRule(db.sequelize, { metric: 'requests', window: '1h', threshold: 1, scope: { model }, ...rule });
  const at = new Date();
  await insertLogs(db.sequelize, [{ at: minutesBefore(at, 2), model }, { at: minutesBefore(at, 1), model }]);
  const { fired } = await evaluateAlertRule(db.sequelize, stored, at);
  return { rule: stored, model, alertId: fired!.alertId, deliveryIds: fired!.deliveryIds };
}

describe('webhook delivery', () => {
  it('POSTs the alert as JSON signed with X-AI-Usage-Signature: sha256=<HMAC of the raw body>', async () => {
    const sink = await startWebhookSink([204]);
    try {
      const { model, alertId, deliveryIds } = await crossedRule({ name: 'Model burst', webhook: { url: sink.url, secret: SECRET } });
      expect(await deliverAlert({ sequelize: db.sequelize, mailer: noMail, config: config({ publicUrl: 'https://panel.example.com' }) }, deliveryIds[0]!)).toBe('delivered');
      const [hook] = sink.received;
      const expected = `sha256=${createHmac('sha256', SECRET).update(hook!.rawBody).digest('hex')}`;
      expect(hook!.headers['x-ai-usage-signature']).toBe(expected);
      expect(hook!.headers['content-type']).toBe('application/json');
      const body = JSON.parse(hook!.rawBody);
      expect(body).toMatchObject({ rule: 'Model burst', metric: 'requests', window: '1h', scope: { model }, value: 2, threshold: 1, alert_id: alertId, baseline_7d: null });
      expect(new Date(body.triggered_at).toISOString()).toBe(body.triggered_at);
      expect(body.log_url).toMatch(new RegExp(`^https://panel\\.example\\.com/admin/resources/ai_usage_logs\\?filters\\.createdAt~~from=.*&filters\\.modelName=${model}$`));
      // A wrong secret gives another signature: the receiver can tell.
      expect(`sha256=${createHmac('sha256', 'another-secret-000000').update(hook!.rawBody).digest('hex')}`).not.toBe(expected);
      expect(await delivery(deliveryIds[0]!)).toMatchObject({ status: 'delivered', attempts: 1, response_status: 204, last_error: null });
      // Delivered once: running the job again sends nothing.
      expect(await deliverAlert({ sequelize: db.sequelize, mailer: noMail, config: config() }, deliveryIds[0]!)).toBe('skipped');
      expect(sink.received).toHaveLength(1);
    } finally {
      await sink.close();
    }
  });

  it('refuses loopback and private targets unless AI_USAGE_WEBHOOK_ALLOW_PRIVATE=true, without retrying', async () => {
    const sink = await startWebhookSink([200]);
    try {
      for (const url of [sink.url, `http://localhost:${sink.port}/x`, 'http://[::1]:9/x', 'http://10.1.2.3/x', 'http://169.254.169.254/latest/meta-data', 'http://[64:ff9b::7f00:1]/x']) {
        const { deliveryIds } = await crossedRule({ webhook: { url, secret: SECRET } });
        expect(await deliverAlert({ sequelize: db.sequelize, mailer: noMail, config: config({ webhookAllowPrivate: false }) }, deliveryIds[0]!)).toBe('failed');
        const row = await delivery(deliveryIds[0]!);
        expect(row).toMatchObject({ status: 'failed', attempts: 1, delivered_at: null });
        expect(row.last_error).toMatch(/is not a public address \(.*\); set AI_USAGE_WEBHOOK_ALLOW_PRIVATE=true/);
      }
      expect(sink.received).toHaveLength(0);
      expect(loadAlertsConfig({ AI_USAGE_WEBHOOK_ALLOW_PRIVATE: 'true' }).webhookAllowPrivate).toBe(true);
      expect(loadAlertsConfig({}).webhookAllowPrivate).toBe(false);
    } finally {
      await sink.close();
    }
  });

  it('records a failed attempt and asks for a retry while retries remain, then fails for good', async () => {
    const sink = await startWebhookSink([500]);
    try {
      const { deliveryIds } = await crossedRule({ webhook: { url: sink.url, secret: SECRET } });
      const deps = { sequelize: db.sequelize, mailer: noMail, config: config({ deliveryRetry: { limit: 1, delaySeconds: 1 } }) };
      await expect(deliverAlert(deps, deliveryIds[0]!)).rejects.toThrow(DeliveryRetryError);
      expect(await delivery(deliveryIds[0]!)).toMatchObject({ status: 'retrying', attempts: 1, response_status: 500, last_error: 'HTTP 500: receiver is down' });
      expect(await deliverAlert(deps, deliveryIds[0]!)).toBe('failed');
      expect(await delivery(deliveryIds[0]!)).toMatchObject({ status: 'failed', attempts: 2, response_status: 500 });
    } finally {
      await sink.close();
    }
  });
});

describe('email delivery', () => {
  it('sends the alert through SMTP_URL with value, threshold and the link to the filtered log', async () => {
    const smtp = await startSmtpSink();
    const mailer = createMailer(smtp.url, 'AI usage <alerts@example.com>');
    try {
      const userId = await insertUser(db.sequelize);
      const { email } = await one<{ email: string }>(db.sequelize, 'SELECT email FROM users WHERE id = $1', [userId]);
      const rule = await createRule(db.sequelize, { name: 'Failing user', metric: 'failures', window: '24h', threshold: 0, scope: { user: email }, email: ['ops@example.com', 'cto@example.com'] });
      await insertLogs(db.sequelize, [{ at: minutesBefore(new Date(), 3), userId, success: false }]);
      const { fired } = await evaluateAlertRule(db.sequelize, rule, new Date());
      expect(await deliverAlert({ sequelize: db.sequelize, mailer, config: config() }, fired!.deliveryIds[0]!)).toBe('delivered');
      expect(smtp.received).toHaveLength(1);
      const mail = smtp.received[0]!;
      expect(mail.from).toBe('alerts@example.com');
      expect(mail.to).toEqual(['ops@example.com', 'cto@example.com']);
      const text = readableMail(mail.raw);
      expect(text).toContain('Subject: [AI usage alert] Failing user: failures 1 > 0 (24h)');
      expect(text).toContain('Value:     1');
      expect(text).toContain('Threshold: 0');
      expect(text).toContain(`/admin/resources/ai_usage_logs?filters.createdAt~~from=`);
      expect(text).toContain(`filters.userId=${userId}&filters.success=false`);
    } finally {
      mailer.close();
      await smtp.close();
    }
  });

  it('without SMTP_URL an email delivery fails with that reason, recorded', async () => {
    const { deliveryIds } = await crossedRule({ email: ['ops@example.com'] });
    await expect(deliverAlert({ sequelize: db.sequelize, mailer: noMail, config: config({ deliveryRetry: { limit: 0, delaySeconds: 1 } }) }, deliveryIds[0]!)).resolves.toBe('failed');
    expect((await delivery(deliveryIds[0]!)).last_error).toBe('SMTP_URL is not set: no email can be sent');
  });
});

async function waitForRow(sql: string): Promise<Record<string, unknown>> {
  for (;;) {
    const [row] = await db.sequelize.query<Record<string, unknown>>(sql, { type: QueryTypes.SELECT });
    if (row) return row;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('in the background (pg-boss)', () => {
  let jobs: RunningJobQueue;
  let runtime: AlertsRuntime | undefined;
  beforeAll(async () => {
    jobs = await startJobQueue(db.url, (error) => console.error(error));
  });
  afterAll(async () => {
    runtime?.stop();
    await jobs.stop();
  });

  it('evaluates soon after requests cross a rule, delivers, and pg-boss retries a failing webhook with backoff', async () => {
    const sink = await startWebhookSink([503, 502, 200]);
    try {
      const model = 'gemini-background';
      await createRule(db.sequelize, { name: 'Background burst', metric: 'requests', window: '1h', threshold: 2, scope: { model }, webhook: { url: sink.url, secret: SECRET } });
      const infos: string[] = [];
      const logger = { info: (message: string) => infos.push(message), error: (message: string, error?: unknown) => console.error(message, error) };
      // The rules file is upserted by name when alerts start.
      const rulesFile = path.join(await mkdtemp(path.join(tmpdir(), 'alert-rules-')), 'rules.json');
      await writeFile(rulesFile, JSON.stringify([{ name: 'From the file', metric: 'tokens', window: 'period', threshold: 1e12, scope: { section: 'chat' } }]));
      runtime = await startAlerts({ sequelize: db.sequelize, jobs, mailer: noMail, config: config({ rulesFile, evaluateIntervalSeconds: 1, deliveryRetry: { limit: 3, delaySeconds: 1 } }), logger, knownSections: new Set(['chat']) });
      expect(infos).toEqual([`Alert rules: 1 loaded from ${rulesFile}.`]);
      expect(await db.sequelize.query("SELECT source FROM ai_usage_alert_rules WHERE name = 'From the file'", { type: QueryTypes.SELECT })).toEqual([{ source: 'file' }]);
      // The crossing request: nothing calls the evaluator; the ticker's job finds it.
      await insertLogs(db.sequelize, [{ at: new Date(), model }, { at: new Date(), model }, { at: new Date(), model }]);
      await sink.waitFor(3);
      // The third attempt's outcome is recorded after the sink answered: wait for the row, not for a time.
      const settled = await waitForRow(
        `SELECT d.status, d.attempts, d.response_status FROM ai_usage_alert_deliveries d JOIN ai_usage_alerts a ON a.id = d.alert_id
         WHERE a.rule_name = 'Background burst' AND d.status = 'delivered'`,
      );
      expect(settled).toMatchObject({ status: 'delivered', attempts: 3, response_status: 200 });
      // Every attempt carried the same signed body.
      expect(new Set(sink.received.map((hook) => hook.rawBody)).size).toBe(1);
      expect(sink.received.every((hook) => hook.headers['x-ai-usage-signature'] === `sha256=${createHmac('sha256', SECRET).update(hook.rawBody).digest('hex')}`)).toBe(true);
      const alerts = await db.sequelize.query("SELECT id FROM ai_usage_alerts WHERE rule_name = 'Background burst'", { type: QueryTypes.SELECT });
      expect(alerts).toHaveLength(1);
    } finally {
      await sink.close();
    }
  });
});
