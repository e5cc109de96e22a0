import type { Sequelize } from 'sequelize';
import type { PartitionsConfig } from '../core/partitions/config.js';
import { maintainLogPartitions, type PartitionMaintenanceResult } from '../core/partitions/maintenance.js';
import { applyRetention, type RetentionResult } from '../core/partitions/retention.js';
import type { RunningJobQueue } from './job-queue.js';

export const MAINTENANCE_QUEUE = 'ai-usage-log-maintenance';

export interface LogMaintenanceLogger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface LogMaintenanceRun {
  partitions: PartitionMaintenanceResult;
  /** Present when AI_USAGE_RETENTION_KEEP_MONTHS is set. */
  retention?: { keepFrom: string; dropped: { month: string; rows: number; archiveFile?: string }[] };
}

function summarizeRetention(result: RetentionResult): LogMaintenanceRun['retention'] {
  return { keepFrom: result.keepFrom, dropped: result.partitions.filter((p) => p.dropped).map((p) => ({ month: p.month, rows: p.rows, archiveFile: p.archiveFile })) };
}

async function maintainPartitions(sequelize: Sequelize, config: PartitionsConfig, logger: LogMaintenanceLogger): Promise<PartitionMaintenanceResult> {
  const partitions = await maintainLogPartitions(sequelize, { monthsAhead: config.monthsAhead });
  if (partitions.created.length > 0) logger.info(`[PARTITIONS] created ${partitions.created.join(', ')}${partitions.movedRows ? ` (${partitions.movedRows} rows moved out of the default partition)` : ''}`);
  if (partitions.defaultRows > 0) {
    logger.error(`[PARTITIONS] WARNING: ${partitions.defaultRows >= 10_000 ? '10,000 or more' : partitions.defaultRows} row(s) sit in ai_usage_logs_default (months retention dropped, or beyond AI_USAGE_PARTITIONS_AHEAD): see README, Operations`);
  }
  return partitions;
}

/** One maintenance pass (the job): partitions ahead (and out of the default), then retention when configured. */
export async function runLogMaintenance(sequelize: Sequelize, config: PartitionsConfig, logger: LogMaintenanceLogger): Promise<LogMaintenanceRun> {
  const partitions = await maintainPartitions(sequelize, config, logger);
  if (config.retentionKeepMonths === null) return { partitions };
  const retention = await applyRetention(sequelize, {
    keepMonths: config.retentionKeepMonths, archiveDir: config.retentionArchiveDir ?? undefined, apply: true, actor: 'maintenance job',
  });
  for (const dropped of retention.partitions.filter((p) => p.dropped)) {
    logger.info(`[RETENTION] dropped the logs of ${dropped.month} (${dropped.rows} rows${dropped.archiveFile ? `, archived to ${dropped.archiveFile}` : ''}); its daily aggregates stay`);
  }
  return { partitions, retention: summarizeRetention(retention) };
}

/**
 * Creates the partitions now (so this month's and the next months' exist before the app serves) and
 * schedules the whole pass, retention included, as a pg-boss cron job shared by every instance
 * (AI_USAGE_MAINTENANCE_CRON): a start never drops data. A failure at start is logged and the app
 * starts anyway: the default partition takes every insert, and the job tries again.
 */
export async function startLogMaintenance(jobs: RunningJobQueue, sequelize: Sequelize, config: PartitionsConfig, logger: LogMaintenanceLogger): Promise<PartitionMaintenanceResult | null> {
  await jobs.register({ name: MAINTENANCE_QUEUE, retryLimit: 2, retryDelaySeconds: 60, handler: () => runLogMaintenance(sequelize, config, logger) });
  if (config.maintenanceCron) await jobs.schedule(MAINTENANCE_QUEUE, config.maintenanceCron);
  else await jobs.unschedule(MAINTENANCE_QUEUE);
  try {
    return await maintainPartitions(sequelize, config, logger);
  } catch (error) {
    logger.error('[PARTITIONS] could not create the log partitions at start (the hourly job retries; inserts go to the default partition meanwhile)', error);
    return null;
  }
}
