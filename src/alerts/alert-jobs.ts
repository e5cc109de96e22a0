import { QueryTypes, type Sequelize } from 'sequelize';
import { evaluateAlertRules, loadAlertRulesFile } from '../core/alerts/index.js';
import type { RunningJobQueue } from '../jobs/job-queue.js';
import type { AlertsConfig } from './config.js';
import { deliverAlert } from './deliver.js';
import type { Mailer } from './mailer.js';

export const EVALUATE_QUEUE = 'ai-usage-alert-evaluation';
export const DELIVER_QUEUE = 'ai-usage-alert-delivery';

/** A delivery still pending this long after its alert was never handed to the queue (a crash): enqueue it again. */
const ORPHAN_AFTER = "interval '5 minutes'";

export interface AlertsLogger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface AlertsRuntimeOptions {
  sequelize: Sequelize;
  jobs: RunningJobQueue;
  mailer: Mailer;
  config: AlertsConfig;
  logger: AlertsLogger;
  knownSections: ReadonlySet<string>;
}

export interface AlertsRuntime {
  /** Asks for an evaluation now (throttled like the ticker); resolves with the job id, or null when one is already due. */
  requestEvaluation(): Promise<string | null>;
  stop(): void;
}

async function orphanedDeliveries(sequelize: Sequelize): Promise<string[]> {
  const rows = await sequelize.query<{ id: string }>(
    `SELECT id::text FROM ai_usage_alert_deliveries WHERE status = 'pending' AND attempts = 0 AND created_at < now() - ${ORPHAN_AFTER}`,
    { type: QueryTypes.SELECT },
  );
  return rows.map((row) => row.id);
}

/**
 * Alerts in the background, never on a request's path: each instance asks every
 * `evaluateIntervalSeconds` for an evaluation job, pg-boss keeps one per slot across instances,
 * the job evaluates every rule and enqueues a delivery job per channel of each new alert, and
 * pg-boss retries failed deliveries with backoff.
 */
export async function startAlerts(options: AlertsRuntimeOptions): Promise<AlertsRuntime> {
  const { sequelize, jobs, config, logger } = options;
  if (config.rulesFile) {
    const count = await loadAlertRulesFile(sequelize, config.rulesFile, { knownSections: options.knownSections });
    logger.info(`Alert rules: ${count} loaded from ${config.rulesFile}.`);
  }
  const deps = { sequelize, mailer: options.mailer, config };

  await jobs.register({
    name: DELIVER_QUEUE,
    retryLimit: config.deliveryRetry.limit,
    retryDelaySeconds: config.deliveryRetry.delaySeconds,
    handler: async (data: { deliveryId: string }) => ({ outcome: await deliverAlert(deps, data.deliveryId) }),
  });
  await jobs.register({
    name: EVALUATE_QUEUE,
    retryLimit: 0,
    handler: async () => {
      const result = await evaluateAlertRules(sequelize);
      for (const failure of result.failed) logger.error(`[ALERTS] rule ${failure.ruleId} could not be evaluated`, failure.error);
      const deliveries = [...result.fired.flatMap((alert) => alert.deliveryIds), ...(await orphanedDeliveries(sequelize))];
      for (const deliveryId of deliveries) await jobs.send(DELIVER_QUEUE, { deliveryId });
      return { fired: result.fired.length, recovered: result.recovered.length, failed: result.failed.length, deliveries: deliveries.length };
    },
  });

  const requestEvaluation = () => jobs.sendThrottled(EVALUATE_QUEUE, {}, config.evaluateIntervalSeconds, 'tick');
  const tick = () => {
    requestEvaluation().catch((error) => logger.error('[ALERTS] could not enqueue an evaluation', error));
  };
  tick();
  const timer = setInterval(tick, config.evaluateIntervalSeconds * 1000);
  timer.unref();
  return { requestEvaluation, stop: () => clearInterval(timer) };
}
