import { QueryTypes, type Sequelize } from 'sequelize';
import { createMonthPartition, defaultPartitionRows, listLogPartitions, lockPartitionMaintenance, monthsInDefaultPartition } from './log-partitions.js';
import { addMonths, monthOf, monthsBetween, type Month } from './months.js';

export interface PartitionMaintenanceOptions {
  /** Months ahead of the current one that must have a partition. Default 3. */
  monthsAhead?: number;
  /** Also create the partitions from this instant's month on (a backfill, a seed of past data). Default: the current month. */
  from?: Date;
  now?: Date;
}

export interface PartitionMaintenanceResult {
  /** Months whose partition was created now. */
  created: Month[];
  /** Rows moved out of the default partition into their month's new partition. */
  movedRows: number;
  /** Rows left in the default partition (up to 10,000): months already dropped by retention, or too far ahead. */
  defaultRows: number;
}

export async function droppedMonths(sequelize: Sequelize): Promise<Month[]> {
  const rows = await sequelize.query<{ month: string }>(
    `SELECT to_char(month, 'YYYY-MM') AS month FROM ai_usage_log_dropped_months ORDER BY month`,
    { type: QueryTypes.SELECT },
  );
  return rows.map((row) => row.month);
}

/**
 * Keeps the log's partitions ahead of time: one for the current month and each of the next
 * `monthsAhead`, and one for every month whose rows reached the default partition (a late replay,
 * a backfill), which moves them there. Months retention dropped are not created again: their late
 * rows stay in the default partition, and the health report warns about them. Runs at start and as
 * a pg-boss job; several instances may run it at once (an advisory lock serializes them).
 */
export async function maintainLogPartitions(sequelize: Sequelize, options: PartitionMaintenanceOptions = {}): Promise<PartitionMaintenanceResult> {
  const current = monthOf(options.now ?? new Date());
  const last = addMonths(current, options.monthsAhead ?? 3);
  const dropped = new Set(await droppedMonths(sequelize));
  let movedRows = 0;
  const created: Month[] = [];
  await sequelize.transaction(async (transaction) => {
    await lockPartitionMaintenance(sequelize, transaction);
    const existing = new Set((await listLogPartitions(sequelize, transaction)).map((partition) => partition.month));
    const stranded = (await monthsInDefaultPartition(sequelize, transaction)).filter((month) => month <= last && !dropped.has(month));
    const first = options.from && monthOf(options.from) < current ? monthOf(options.from) : current;
    const wanted = [...new Set([...stranded, ...monthsBetween(first, last)])].filter((month) => !dropped.has(month)).sort();
    for (const month of wanted) {
      if (existing.has(month)) continue;
      movedRows += (await createMonthPartition(sequelize, month, transaction)).movedRows;
      created.push(month);
    }
  });
  return { created, movedRows, defaultRows: await defaultPartitionRows(sequelize) };
}
