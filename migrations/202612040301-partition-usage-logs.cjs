'use strict';
// ai_usage_logs becomes a table partitioned by month on created_at (native range partitioning),
// with a DEFAULT partition so an insert never fails for lack of a partition. The primary key, and
// so the tracker's idempotency key, becomes (id, created_at): a partitioned table's unique keys
// must contain the partition column.
//
// How an existing table is converted (see README, Operations): in ONE transaction, the table is
// renamed aside, a partitioned table with the same columns, defaults and CHECK constraints is
// created (LIKE ... INCLUDING ALL), one partition per month from the oldest row's month to three
// months ahead, the rows are copied with one INSERT ... SELECT (routed to their month), the old
// table is dropped, and then (load first, index after) the primary key, every index, foreign key
// and trigger the old table had are created again from their definitions. Any failure rolls all of
// it back and leaves the old table as it was. The rename takes an exclusive lock for the whole
// copy: writers wait (trackSafe spools after AI_USAGE_SPOOL_WRITE_TIMEOUT_MS), so run it in a quiet
// hour on a large table. Attaching the old table as one partition would avoid the copy, but it
// would be one partition retention could never drop month by month.
//
// Partition names: ai_usage_logs_yYYYYmMM and ai_usage_logs_default (src/core/partitions uses the
// same names; it finds partitions by their bounds, not by name).

const TABLE = 'ai_usage_logs';
const MONTHS_AHEAD = 3;

const monthName = (year, month) => `${TABLE}_y${year}m${String(month).padStart(2, '0')}`;
const monthStart = (year, month) => `${year}-${String(month).padStart(2, '0')}-01`;

/** What the table's definition holds besides columns: re-created after the copy. */
async function captureDefinitions(q, relation) {
  const [indexes] = await q(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def, i.indisunique AS "unique",
            EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype = 'p') AS "primary"
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = '${relation}'::regclass`,
  );
  const [foreignKeys] = await q(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = '${relation}'::regclass AND contype = 'f'`,
  );
  const [triggers] = await q(
    `SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = '${relation}'::regclass AND NOT tgisinternal`,
  );
  return {
    // A partitioned table's index definition reads "ON ONLY t"; re-created, it should cover the partitions.
    indexes: indexes.filter((index) => !index.primary).map((index) => ({ ...index, def: index.def.replace(' ON ONLY ', ' ON ') })),
    foreignKeys,
    triggers,
  };
}

async function recreate(q, definitions, primaryKey) {
  await q(`ALTER TABLE ${TABLE} ADD CONSTRAINT ${TABLE}_pkey PRIMARY KEY ${primaryKey}`);
  for (const index of definitions.indexes) await q(index.def);
  for (const key of definitions.foreignKeys) await q(`ALTER TABLE ${TABLE} ADD CONSTRAINT ${key.name} ${key.def}`);
  for (const trigger of definitions.triggers) await q(trigger.def);
  await q(`ANALYZE ${TABLE}`);
}

async function referencingForeignKeys(q) {
  const [rows] = await q(
    `SELECT conrelid::regclass::text AS "table", conname AS name FROM pg_constraint WHERE confrelid = '${TABLE}'::regclass AND contype = 'f'`,
  );
  return rows;
}

async function relationKind(q) {
  const [[row]] = await q(`SELECT c.relkind AS kind FROM pg_class c WHERE c.oid = to_regclass('${TABLE}')`);
  return row?.kind;
}

/** @param {import('sequelize').QueryInterface} queryInterface */
async function up(queryInterface) {
  await queryInterface.sequelize.transaction(async (transaction) => {
    const q = (sql) => queryInterface.sequelize.query(sql, { transaction });
    if ((await relationKind(q)) === 'p') return;
    const referencing = await referencingForeignKeys(q);
    if (referencing.length > 0) {
      throw new Error(`ai_usage_logs cannot be partitioned while foreign keys reference it by id alone: ${referencing.map((r) => `${r.table}.${r.name}`).join(', ')}; make them reference (id, created_at) or drop them first`);
    }
    const definitions = await captureDefinitions(q, TABLE);
    const nonPartitionUnique = definitions.indexes.filter((index) => index.unique && !/\bcreated_at\b/.test(index.def.replace(/^.*USING/, '')));
    if (nonPartitionUnique.length > 0) {
      throw new Error(`ai_usage_logs cannot be partitioned: the unique index(es) ${nonPartitionUnique.map((i) => i.name).join(', ')} lack created_at, the partition column`);
    }

    await q(`ALTER TABLE ${TABLE} RENAME TO ${TABLE}_unpartitioned`);
    await q(`CREATE TABLE ${TABLE} (LIKE ${TABLE}_unpartitioned INCLUDING ALL EXCLUDING INDEXES) PARTITION BY RANGE (created_at)`);
    // Months from the oldest row's (or this month) to MONTHS_AHEAD ahead, all in UTC.
    const [[range]] = await q(
      `SELECT extract(year FROM first)::int AS year, extract(month FROM first)::int AS month,
              ((extract(year FROM last) - extract(year FROM first)) * 12 + extract(month FROM last) - extract(month FROM first))::int AS months
       FROM (SELECT date_trunc('month', LEAST(COALESCE(min(created_at), now()), now()) AT TIME ZONE 'UTC') AS first,
                    date_trunc('month', now() AT TIME ZONE 'UTC') + interval '${MONTHS_AHEAD} months' AS last
             FROM ${TABLE}_unpartitioned) AS bounds`,
    );
    for (let i = 0; i <= range.months; i += 1) {
      const from = new Date(Date.UTC(range.year, range.month - 1 + i, 1));
      const to = new Date(Date.UTC(range.year, range.month + i, 1));
      await q(
        `CREATE TABLE ${monthName(from.getUTCFullYear(), from.getUTCMonth() + 1)} PARTITION OF ${TABLE}
         FOR VALUES FROM ('${monthStart(from.getUTCFullYear(), from.getUTCMonth() + 1)} 00:00:00+00') TO ('${monthStart(to.getUTCFullYear(), to.getUTCMonth() + 1)} 00:00:00+00')`,
      );
    }
    await q(`CREATE TABLE ${TABLE}_default PARTITION OF ${TABLE} DEFAULT`);
    await q(`INSERT INTO ${TABLE} SELECT * FROM ${TABLE}_unpartitioned`);
    await q(`DROP TABLE ${TABLE}_unpartitioned`);
    await recreate(q, definitions, '(id, created_at)');
  });
}

/** Back to one plain table with id as its primary key (fails if two partitions hold the same id). */
async function down(queryInterface) {
  await queryInterface.sequelize.transaction(async (transaction) => {
    const q = (sql) => queryInterface.sequelize.query(sql, { transaction });
    if ((await relationKind(q)) !== 'p') return;
    const definitions = await captureDefinitions(q, TABLE);
    await q(`ALTER TABLE ${TABLE} RENAME TO ${TABLE}_partitioned`);
    await q(`CREATE TABLE ${TABLE} (LIKE ${TABLE}_partitioned INCLUDING ALL EXCLUDING INDEXES)`);
    await q(`INSERT INTO ${TABLE} SELECT * FROM ${TABLE}_partitioned`);
    await q(`DROP TABLE ${TABLE}_partitioned`);
    await recreate(q, definitions, '(id)');
  });
}

module.exports = { up, down };
