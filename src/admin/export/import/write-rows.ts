import type { ModelStatic, Transaction } from 'sequelize';
import type { ImportMode } from '../types.js';
import { addRowErrors, type ImportReport } from './import-report.js';
import type { PlannedWrite } from './plan-rows.js';
import { databaseErrors, type Labels } from './readable-errors.js';

/** Thrown inside the transaction to roll an atomic import back after a row the database refused. */
class RollBack extends Error {}

/** After rows were created with ids of the file, moves a serial key's sequence past them so later inserts do not collide. */
async function advanceSequence(model: ModelStatic<any>, transaction: Transaction): Promise<void> {
  const key = model.getAttributes()[model.primaryKeyAttribute];
  if (!key?.autoIncrement) return;
  const table = model.getTableName() as string;
  const column = key.field ?? model.primaryKeyAttribute;
  const generator = model.sequelize!.getQueryInterface().queryGenerator as { quoteIdentifier(name: string): string; quoteTable(name: string): string };
  await model.sequelize!.query(
    `SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT max(${generator.quoteIdentifier(column)}) FROM ${generator.quoteTable(table)}), 1))`,
    { bind: [table, column], transaction },
  );
}

/**
 * Writes the planned rows in one transaction. atomic: the first refused row rolls everything back;
 * per-row: each row in its own savepoint, refused rows are reported and the others kept.
 */
export async function writeRows(model: ModelStatic<any>, writes: PlannedWrite[], mode: ImportMode, report: ImportReport, labels: Labels): Promise<void> {
  const counts = { created: 0, updated: 0 };
  let explicitKeys = false;
  try {
    await model.sequelize!.transaction(async (transaction) => {
      for (const write of writes) {
        try {
          if (mode === 'per-row') await model.sequelize!.transaction({ transaction }, (savepoint) => write.instance.save({ transaction: savepoint }));
          else await write.instance.save({ transaction });
          counts[write.kind === 'create' ? 'created' : 'updated'] += 1;
          explicitKeys ||= write.kind === 'create' && write.explicitKey;
        } catch (error) {
          addRowErrors(report, databaseErrors(write.line, error, model, labels));
          if (mode === 'atomic') throw new RollBack();
        }
      }
      if (explicitKeys) await advanceSequence(model, transaction);
    });
  } catch (error) {
    if (error instanceof RollBack) return;
    throw error;
  }
  report.created = counts.created;
  report.updated = counts.updated;
  report.committed = true;
}
