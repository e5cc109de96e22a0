import { QueryTypes, type Sequelize } from 'sequelize';
import { archivePartition } from './archive.js';
import { listLogPartitions, lockPartitionMaintenance } from './log-partitions.js';
import { addMonths, monthOf, type Month } from './months.js';

export interface RetentionOptions {
  /** Months of logs to keep, the current one included (1 keeps only this month). */
  keepMonths: number;
  /** Write each partition to DIR/<partition>.ndjson.gz before dropping it. */
  archiveDir?: string;
  /** Drop the partitions; without it nothing is written (a dry run). */
  apply?: boolean;
  /** Who asks, recorded with each dropped month: `cli:<user>` or `maintenance job`. */
  actor: string;
  now?: Date;
}

export interface RetentionPartition {
  partition: string;
  month: Month;
  rows: number;
  /** The archive written (with archiveDir and apply). */
  archiveFile?: string;
  dropped: boolean;
}

export interface RetentionResult {
  applied: boolean;
  /** The first month kept: every partition before it goes. */
  keepFrom: Month;
  partitions: RetentionPartition[];
}

export class RetentionOptionError extends Error {
  override name = 'RetentionOptionError';
}

export class PartitionChangedError extends Error {
  override name = 'PartitionChangedError';
}

/** The first month retention keeps. */
export function retentionKeepFrom(keepMonths: number, now: Date): Month {
  if (!Number.isInteger(keepMonths) || keepMonths < 1) throw new RetentionOptionError(`--keep-months must be a whole number of months, 1 or more, got ${keepMonths}`);
  return addMonths(monthOf(now), -(keepMonths - 1));
}

async function countRows(sequelize: Sequelize, partition: string): Promise<number> {
  const [row] = await sequelize.query<{ n: string }>(`SELECT count(*) AS n FROM ${partition}`, { type: QueryTypes.SELECT });
  return Number(row?.n ?? 0);
}

/**
 * Drops whole monthly partitions of ai_usage_logs older than the kept months (DETACH + DROP: no
 * DELETE, no bloat). The daily aggregates stay: they are the long-term record. A dry run by default
 * (the partitions and their row counts). With `archiveDir`, each partition is archived first, and
 * dropped only if it still holds exactly the rows archived (checked under an exclusive lock). Each
 * dropped month is recorded in ai_usage_log_dropped_months, so reconcile refuses it and maintenance
 * does not create it again. The default partition is never dropped.
 */
export async function applyRetention(sequelize: Sequelize, options: RetentionOptions): Promise<RetentionResult> {
  const keepFrom = retentionKeepFrom(options.keepMonths, options.now ?? new Date());
  const candidates = (await listLogPartitions(sequelize)).filter((p): p is { name: string; month: Month } => p.month !== null && p.month < keepFrom);
  const partitions: RetentionPartition[] = [];
  for (const candidate of candidates) {
    const entry: RetentionPartition = { partition: candidate.name, month: candidate.month, rows: await countRows(sequelize, candidate.name), dropped: false };
    partitions.push(entry);
    if (!options.apply) continue;
    if (options.archiveDir) {
      const archived = await archivePartition(sequelize, candidate.name, options.archiveDir);
      entry.archiveFile = archived.file;
      entry.rows = archived.rows;
    }
    await sequelize.transaction(async (transaction) => {
      const q = (sql: string, bind?: unknown[]) => sequelize.query(sql, { transaction, bind });
      await lockPartitionMaintenance(sequelize, transaction);
      await q(`LOCK TABLE ${candidate.name} IN ACCESS EXCLUSIVE MODE`);
      const [row] = await sequelize.query<{ n: string }>(`SELECT count(*) AS n FROM ${candidate.name}`, { type: QueryTypes.SELECT, transaction });
      // A late replay between the archive and the lock would otherwise be dropped without being archived.
      if (Number(row?.n) !== entry.rows) throw new PartitionChangedError(`${candidate.name} holds ${row?.n} rows, not the ${entry.rows} counted${entry.archiveFile ? ' and archived' : ''}: nothing dropped; run again`);
      await q(`ALTER TABLE ai_usage_logs DETACH PARTITION ${candidate.name}`);
      await q(`DROP TABLE ${candidate.name}`);
      await q(
        `INSERT INTO ai_usage_log_dropped_months (month, row_count, archive_file, dropped_by) VALUES ($1::date, $2, $3, $4)
         ON CONFLICT (month) DO UPDATE SET row_count = ai_usage_log_dropped_months.row_count + excluded.row_count,
           archive_file = COALESCE(excluded.archive_file, ai_usage_log_dropped_months.archive_file), dropped_by = excluded.dropped_by, dropped_at = now()`,
        [`${candidate.month}-01`, entry.rows, entry.archiveFile ?? null, options.actor],
      );
    });
    entry.dropped = true;
  }
  return { applied: Boolean(options.apply), keepFrom, partitions };
}
