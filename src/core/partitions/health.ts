import { QueryTypes, type Sequelize } from 'sequelize';
import type { PartitionsConfig } from './config.js';
import { listLogPartitions } from './log-partitions.js';
import { DEFAULT_PARTITION } from './months.js';

export interface PartitionsHealth {
  /** The oldest and newest monthly partitions of ai_usage_logs (YYYY-MM). */
  oldestMonth: string | null;
  newestMonth: string | null;
  /** Rows in the default partition, counted up to 10,000: there should be none (see warning). */
  defaultRows: number;
  /** Set when the default partition holds rows: what it means and what to do. */
  warning: string | null;
  /** The retention setting the maintenance job applies, and what it dropped so far. */
  retention: { keepMonths: number | null; archive: boolean; droppedMonths: number; lastDroppedMonth: string | null };
}

const DEFAULT_ROWS_CAP = 10_000;

/** The log's partitions and retention for /health and the dashboard. */
export async function partitionsHealth(sequelize: Sequelize, config: PartitionsConfig): Promise<PartitionsHealth> {
  const months = (await listLogPartitions(sequelize)).flatMap((partition) => (partition.month ? [partition.month] : []));
  const [row] = await sequelize.query<{ default_rows: string; dropped: string; last_dropped: string | null }>(
    `SELECT (SELECT count(*) FROM (SELECT 1 FROM ${DEFAULT_PARTITION} LIMIT ${DEFAULT_ROWS_CAP}) AS capped) AS default_rows,
            (SELECT count(*) FROM ai_usage_log_dropped_months) AS dropped,
            (SELECT to_char(max(month), 'YYYY-MM') FROM ai_usage_log_dropped_months) AS last_dropped`,
    { type: QueryTypes.SELECT },
  );
  const defaultRows = Number(row?.default_rows ?? 0);
  return {
    oldestMonth: months[0] ?? null,
    newestMonth: months.at(-1) ?? null,
    defaultRows,
    warning: defaultRows === 0 ? null
      : `${defaultRows >= DEFAULT_ROWS_CAP ? '10,000 or more' : defaultRows} log row(s) are in the default partition: their month has no partition (beyond AI_USAGE_PARTITIONS_AHEAD, or dropped by retention). The maintenance job moves rows of months it may create into their own partition; see README, Operations.`,
    retention: { keepMonths: config.retentionKeepMonths, archive: config.retentionArchiveDir !== null, droppedMonths: Number(row?.dropped ?? 0), lastDroppedMonth: row?.last_dropped ?? null },
  };
}
