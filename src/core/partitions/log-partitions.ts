import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { DEFAULT_PARTITION, monthOf, monthPartitionName, monthStartLiteral, addMonths, type Month } from './months.js';

export interface LogPartition {
  name: string;
  /** The month it holds; null for the default partition. */
  month: Month | null;
}

/**
 * The log's partitions, found by their bounds (not their names): monthly ones in order, then the
 * default. A partition whose bounds are not one whole UTC month is reported with month null too.
 */
export async function listLogPartitions(sequelize: Sequelize, transaction?: Transaction): Promise<LogPartition[]> {
  const rows = await sequelize.query<{ name: string; lower: Date | null; upper: Date | null }>(
    `SELECT c.relname AS name,
            (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz AS lower,
            (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS upper
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'ai_usage_logs'::regclass
     ORDER BY lower NULLS LAST, name`,
    { type: QueryTypes.SELECT, transaction },
  );
  return rows.map((row) => {
    const month = row.lower ? monthOf(new Date(row.lower)) : null;
    const whole = month !== null && row.upper !== null && new Date(row.upper).getTime() === Date.parse(`${addMonths(month, 1)}-01T00:00:00Z`)
      && new Date(row.lower!).getTime() === Date.parse(`${month}-01T00:00:00Z`);
    return { name: row.name, month: whole ? month : null };
  });
}

/** Rows in the default partition, counted up to `cap` (it should hold none: see maintainLogPartitions). */
export async function defaultPartitionRows(sequelize: Sequelize, cap = 10_000): Promise<number> {
  const [row] = await sequelize.query<{ n: string }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM ${DEFAULT_PARTITION} LIMIT ${cap}) AS capped`,
    { type: QueryTypes.SELECT },
  );
  return Number(row?.n ?? 0);
}

/** The months of the rows in the default partition. */
export async function monthsInDefaultPartition(sequelize: Sequelize, transaction: Transaction): Promise<Month[]> {
  const rows = await sequelize.query<{ month: string }>(
    `SELECT DISTINCT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month FROM ${DEFAULT_PARTITION} ORDER BY 1`,
    { type: QueryTypes.SELECT, transaction },
  );
  return rows.map((row) => row.month);
}

/**
 * Creates the partition of one month. Rows of that month already in the default partition move
 * into it: PostgreSQL refuses a new partition whose rows sit in the default, so the default is
 * detached, the rows moved and the default attached again, all in the caller's transaction.
 */
export async function createMonthPartition(sequelize: Sequelize, month: Month, transaction: Transaction): Promise<{ movedRows: number }> {
  const q = (sql: string) => sequelize.query(sql, { transaction });
  const name = monthPartitionName(month);
  const range = `created_at >= '${monthStartLiteral(month)}' AND created_at < '${monthStartLiteral(addMonths(month, 1))}'`;
  const bounds = `FROM ('${monthStartLiteral(month)}') TO ('${monthStartLiteral(addMonths(month, 1))}')`;
  const [waiting] = await sequelize.query<{ n: string }>(`SELECT count(*) AS n FROM ${DEFAULT_PARTITION} WHERE ${range}`, { type: QueryTypes.SELECT, transaction });
  const movedRows = Number(waiting?.n ?? 0);
  if (movedRows === 0) {
    await q(`CREATE TABLE ${name} PARTITION OF ai_usage_logs FOR VALUES ${bounds}`);
    return { movedRows };
  }
  await q(`ALTER TABLE ai_usage_logs DETACH PARTITION ${DEFAULT_PARTITION}`);
  await q(`CREATE TABLE ${name} PARTITION OF ai_usage_logs FOR VALUES ${bounds}`);
  await q(`INSERT INTO ${name} SELECT * FROM ${DEFAULT_PARTITION} WHERE ${range}`);
  await q(`DELETE FROM ${DEFAULT_PARTITION} WHERE ${range}`);
  await q(`ALTER TABLE ai_usage_logs ATTACH PARTITION ${DEFAULT_PARTITION} DEFAULT`);
  return { movedRows };
}

/** Serializes partition maintenance and retention across every app instance and command. */
export async function lockPartitionMaintenance(sequelize: Sequelize, transaction: Transaction): Promise<void> {
  await sequelize.query(`SELECT pg_advisory_xact_lock(hashtext('ai_usage_logs partitions'))`, { transaction });
}
