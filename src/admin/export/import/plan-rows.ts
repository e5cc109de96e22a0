import type { Model, ModelStatic } from 'sequelize';
import { coerceValue, sameValue } from './coerce-value.js';
import { addRowErrors, type ImportReport, type ImportRowError } from './import-report.js';
import type { ImportRow, ParsedFile } from './parsed-file.js';
import { labelOf, validationErrors, type Labels } from './readable-errors.js';

/** A row that passed validation and will be written. */
export interface PlannedWrite {
  line: number;
  kind: 'create' | 'update';
  instance: Model;
  /** A created row whose primary key came from the file rather than the database. */
  explicitKey: boolean;
}

export interface PlanOptions {
  model: ModelStatic<any>;
  file: ParsedFile;
  /** Columns the import writes (the primary key is used to find the record, never written over). */
  writable: readonly string[];
  mayCreate: boolean;
  mayUpdate: boolean;
  /** The fields' labels, for messages in the admin's words. */
  labels: Labels;
  /** Zone of spreadsheet times and of times written without an offset (the panel's). */
  timeZone: string;
}

const LOOKUP_CHUNK = 1000;

async function existingRecords(model: ModelStatic<any>, keys: unknown[]): Promise<Map<string, Model>> {
  const found = new Map<string, Model>();
  const pk = model.primaryKeyAttribute;
  for (let start = 0; start < keys.length; start += LOOKUP_CHUNK) {
    for (const record of await model.findAll({ where: { [pk]: keys.slice(start, start + LOOKUP_CHUNK) } })) {
      found.set(String(record.get(pk)), record);
    }
  }
  return found;
}

interface CoercedRow {
  line: number;
  key: unknown;
  changes: Record<string, unknown>;
}

function coerceRow(row: ImportRow, options: PlanOptions, fromSpreadsheet: boolean): CoercedRow | ImportRowError[] {
  const { model, writable } = options;
  const attributes = model.getAttributes();
  const pk = model.primaryKeyAttribute;
  const errors: ImportRowError[] = [];
  const coerce = (field: string) => {
    const result = coerceValue(attributes[field]!, row.values[field], fromSpreadsheet, options.timeZone);
    if (!result.ok) errors.push({ line: row.line, field, message: `${labelOf(options.labels, field)} ${result.message}` });
    return result.ok ? result.value : undefined;
  };
  const key = pk in row.values ? coerce(pk) : null;
  const changes: Record<string, unknown> = {};
  for (const field of writable) if (field in row.values) changes[field] = coerce(field);
  return errors.length > 0 ? errors : { line: row.line, key, changes };
}

/**
 * Coerces and validates every row with the model's own rules (types, allowNull, validators),
 * matches rows to stored records by primary key, and drops rows equal to what is stored.
 * Bad rows go to the report; nothing is written here.
 */
export async function planRows(options: PlanOptions, report: ImportReport): Promise<PlannedWrite[]> {
  const { model, file } = options;
  const pk = model.primaryKeyAttribute;
  const fromSpreadsheet = file.format === 'csv' || file.format === 'xlsx';
  const rows: CoercedRow[] = [];
  const lineOfKey = new Map<string, number>();
  for (const row of file.rows) {
    const coerced = coerceRow(row, options, fromSpreadsheet);
    if (Array.isArray(coerced)) {
      addRowErrors(report, coerced);
      continue;
    }
    if (coerced.key !== null) {
      const first = lineOfKey.get(String(coerced.key));
      if (first !== undefined) {
        addRowErrors(report, [{ line: row.line, field: pk, message: `${labelOf(options.labels, pk)} ${String(coerced.key)} was already given at ${file.lineUnit} ${first}` }]);
        continue;
      }
      lineOfKey.set(String(coerced.key), row.line);
    }
    rows.push(coerced);
  }
  const stored = await existingRecords(model, rows.flatMap((row) => (row.key === null ? [] : [row.key])));
  const attributes = model.getAttributes();
  const writes: PlannedWrite[] = [];
  for (const row of rows) {
    const record = row.key === null ? undefined : stored.get(String(row.key));
    if (record) {
      const changed = Object.entries(row.changes).filter(([field, value]) => !sameValue(attributes[field]!, record.get(field), value));
      if (changed.length === 0) {
        report.unchanged += 1;
        continue;
      }
      if (!options.mayUpdate) {
        addRowErrors(report, [{ line: row.line, message: 'you may not edit existing records of this resource' }]);
        continue;
      }
      record.set(Object.fromEntries(changed));
    } else if (!options.mayCreate) {
      addRowErrors(report, [{ line: row.line, message: 'you may not create records of this resource' }]);
      continue;
    }
    const instance = record ?? model.build({ ...(row.key === null ? {} : { [pk]: row.key }), ...row.changes });
    try {
      await instance.validate();
      writes.push({ line: row.line, kind: record ? 'update' : 'create', instance, explicitKey: !record && row.key !== null });
    } catch (error) {
      addRowErrors(report, validationErrors(row.line, error, options.labels));
    }
  }
  return writes;
}
