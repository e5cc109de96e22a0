import { QueryTypes, type Sequelize } from 'sequelize';
import type { AlertsConfig } from '../alerts/config.js';
import type { Mailer } from '../alerts/mailer.js';
import { postSignedJson } from '../alerts/signed-post.js';
import type { RunningJobQueue } from '../jobs/job-queue.js';
import { costReport, type CostReport } from './cost-report.js';
import { reportBuffer, reportFileName } from './report-file.js';
import { lastFullMonth } from './report-range.js';

export const MONTHLY_REPORT_QUEUE = 'ai-usage-monthly-cost-report';

export interface MonthlyReportDeps {
  sequelize: Sequelize;
  mailer: Mailer;
  config: Pick<AlertsConfig, 'reportEmail' | 'reportWebhook' | 'webhookAllowPrivate' | 'publicUrl'>;
}

const usd = (value: string) => `$${Number(value).toFixed(2)}`;

function summary(report: CostReport): string {
  const t = report.totals;
  const lines = [
    `AI usage cost report, ${report.range.from} to ${report.range.to} (UTC days).`,
    '',
    `Requests: ${t.requests}`,
    `Tokens:   ${t.tokens}`,
    `Cost:     ${usd(t.costUsd)}${t.change === null ? '' : ` (${t.change >= 0 ? '+' : ''}${(t.change * 100).toFixed(1)} % vs ${report.previous.from} to ${report.previous.to})`}`,
    `Unpriced requests: ${t.unpricedRequests}${t.unpricedRequests ? ' (their cost is unknown, not included above)' : ''}`,
    '',
    'Top spenders:',
    ...report.topSpenders.map((s, i) => `${i + 1}. ${s.label}: ${usd(s.costUsd)} (${s.requests} requests)`),
  ];
  return lines.join('\n');
}

/** Claims one month's delivery on one channel; false when another instance (or an earlier run) already has it. */
async function claim(sequelize: Sequelize, month: string, channel: 'email' | 'webhook', target: string): Promise<boolean> {
  const rows = await sequelize.query(
    `INSERT INTO ai_usage_report_runs (month, channel, target) VALUES ($1, $2, $3)
     ON CONFLICT (month, channel) DO UPDATE SET status = 'pending', target = excluded.target, updated_at = now()
       WHERE ai_usage_report_runs.status = 'failed'
     RETURNING id`,
    { bind: [month, channel, target], type: QueryTypes.SELECT },
  );
  return rows.length > 0;
}

async function settle(sequelize: Sequelize, month: string, channel: string, error: Error | null): Promise<void> {
  await sequelize.query('UPDATE ai_usage_report_runs SET status = $3, last_error = $4, updated_at = now() WHERE month = $1 AND channel = $2', {
    bind: [month, channel, error ? 'failed' : 'delivered', error?.message ?? null],
  });
}

/**
 * Sends last month's report to each configured channel once (the run table's unique key makes
 * two instances' crons send it once); a failed channel is recorded and retried by pg-boss.
 */
export async function sendMonthlyReport(deps: MonthlyReportDeps, now: Date = new Date()): Promise<{ sent: string[] }> {
  const range = lastFullMonth(now);
  const report = await costReport(deps.sequelize, range, 'user', null);
  const sent: string[] = [];
  const failed: Error[] = [];
  const channels: { channel: 'email' | 'webhook'; target: string; send: () => Promise<void> }[] = [];
  if (deps.config.reportEmail.length) {
    channels.push({
      channel: 'email',
      target: deps.config.reportEmail.join(', '),
      send: async () => {
        await deps.mailer.send({
          to: deps.config.reportEmail,
          subject: `[AI usage] Cost report ${range.from} to ${range.to}: ${usd(report.totals.costUsd)}`,
          text: summary(report),
          attachments: [{ filename: reportFileName(report, 'csv'), content: await reportBuffer(report, 'csv'), contentType: 'text/csv' }],
        });
      },
    });
  }
  const webhook = deps.config.reportWebhook;
  if (webhook) {
    channels.push({
      channel: 'webhook',
      target: webhook.url,
      send: async () => {
        const body = JSON.stringify({ type: 'cost_report', ...report, generated_at: now.toISOString() });
        const response = await postSignedJson(webhook.url, body, webhook.secret, { allowPrivate: deps.config.webhookAllowPrivate });
        if (response.status < 200 || response.status >= 300) throw new Error(`HTTP ${response.status}${response.body ? `: ${response.body}` : ''}`);
      },
    });
  }
  for (const { channel, target, send } of channels) {
    if (!(await claim(deps.sequelize, range.from, channel, target))) continue;
    try {
      await send();
      await settle(deps.sequelize, range.from, channel, null);
      sent.push(channel);
    } catch (error) {
      await settle(deps.sequelize, range.from, channel, error as Error);
      failed.push(new Error(`${channel}: ${(error as Error).message}`));
    }
  }
  if (failed.length) throw new Error(`monthly cost report ${range.from}: ${failed.map((e) => e.message).join('; ')}`);
  return { sent };
}

/** The monthly report as a pg-boss cron job (AI_USAGE_REPORT_CRON, UTC); off when no recipient is configured. */
export async function scheduleMonthlyReport(jobs: RunningJobQueue, deps: MonthlyReportDeps & { cron: string | null }): Promise<void> {
  await jobs.register({ name: MONTHLY_REPORT_QUEUE, retryLimit: 3, retryDelaySeconds: 300, handler: () => sendMonthlyReport(deps) });
  const configured = deps.config.reportEmail.length > 0 || deps.config.reportWebhook !== undefined;
  if (deps.cron && configured) await jobs.schedule(MONTHLY_REPORT_QUEUE, deps.cron);
  else await jobs.unschedule(MONTHLY_REPORT_QUEUE);
}
