import { BaseError, ValidationError, type ModelStatic, type ValidationErrorItem } from 'sequelize';
import type { ImportRowError } from './import-report.js';

/** Field paths to the labels the admin knows them by (the panel's, as in the exported headers). */
export type Labels = Readonly<Record<string, string>>;

export const labelOf = (labels: Labels, field: string) => labels[field] ?? field;

/** `1 row`, `2 rows`. */
export function counted(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

const list = (values: unknown) => (Array.isArray(values) ? values.flat().map(String).join(', ') : String(values));

/** Sequelize's own texts ("Validation min on tokenQuota failed", "Subscription.plan cannot be null"), as opposed to a model's `msg`. */
function isStockMessage(item: ValidationErrorItem): boolean {
  return /^Validation \S+ on \S+ failed$/.test(item.message) || / cannot be (null|an array or an object)$/.test(item.message) || / must be unique$/.test(item.message);
}

const VALIDATOR_TEXTS: Record<string, (args: unknown[]) => string> = {
  min: (args) => `must be at least ${list(args[0])}`,
  max: (args) => `must be at most ${list(args[0])}`,
  is_null: () => 'is required',
  notNull: () => 'is required',
  notEmpty: () => 'must not be empty',
  len: (args) => `must be ${list(args[0])} to ${list(args[1])} characters long`,
  isIn: (args) => `must be one of ${list(args[0])}`,
  notIn: (args) => `must not be one of ${list(args[0])}`,
  isEmail: () => 'must be an email address',
  isUrl: () => 'must be a URL',
  isUUID: () => 'must be a UUID',
  isInt: () => 'must be a whole number',
  isNumeric: () => 'must be a number',
  isDecimal: () => 'must be a number',
  isDate: () => 'must be a date',
};

/** One failed model validation in the admin's words: "Token quota must be at least 0"; a model's own `msg` is kept. */
function validationItem(line: number, item: ValidationErrorItem, labels: Labels): ImportRowError {
  const field = item.path ?? undefined;
  const where = field ? { field } : {};
  if (!isStockMessage(item) || !field) return { line, ...where, message: item.message };
  const label = labelOf(labels, field);
  const text = item.validatorKey ? VALIDATOR_TEXTS[item.validatorKey] : undefined;
  return { line, field, message: `${label} ${text ? text((item.validatorArgs ?? []) as unknown[]) : `is not valid (${item.validatorKey ?? item.type})`}` };
}

/** The model's own validation (types, allowNull, validators) failed: each problem by field, readable. */
export function validationErrors(line: number, error: unknown, labels: Labels): ImportRowError[] {
  if (error instanceof ValidationError) return error.errors.map((item) => validationItem(line, item, labels));
  throw error;
}

/** Attribute paths of a model by column name (user_id -> userId). */
function attributeOfColumn(model: ModelStatic<any>, column: string): string {
  const found = Object.entries(model.getAttributes()).find(([name, attribute]) => (attribute.field ?? name) === column);
  return found ? found[0] : column;
}

/** `Key (user_id)=(42) is not present in table "users".` -> columns and values. */
function keyOfDetail(detail: string | undefined): { columns: string[]; values: string } | undefined {
  const match = detail && /^Key \((.+?)\)=\((.*)\)/.exec(detail);
  return match ? { columns: match[1]!.split(', '), values: match[2]! } : undefined;
}

/**
 * A refusal of the database (foreign key, unique key, not null, check) as the row's error in the
 * admin's words: "User 42 does not exist", "Id 7 already exists"; anything else as PostgreSQL said it.
 */
export function databaseErrors(line: number, error: unknown, model: ModelStatic<any>, labels: Labels): ImportRowError[] {
  if (!(error instanceof BaseError)) throw error;
  const parent = (error as { parent?: { code?: string; detail?: string; column?: string; constraint?: string } }).parent ?? {};
  // A unique key's refusal is also a ValidationError (UniqueConstraintError), named by column: read PostgreSQL's detail first.
  if (!parent.code && error instanceof ValidationError && error.errors.length > 0) return validationErrors(line, error, labels);
  const key = keyOfDetail(parent.detail);
  const fields = key?.columns.map((column) => attributeOfColumn(model, column)) ?? [];
  const named = fields.map((field) => labelOf(labels, field)).join(' and ');
  const field = fields.length === 1 ? { field: fields[0]! } : {};
  switch (parent.code) {
    case '23503':
      if (key) return [{ line, ...field, message: `${named} ${key.values} does not exist` }];
      break;
    case '23505':
      if (key) return [{ line, ...field, message: `${named} ${key.values} already exists` }];
      break;
    case '23502':
      if (parent.column) {
        const path = attributeOfColumn(model, parent.column);
        return [{ line, field: path, message: `${labelOf(labels, path)} is required` }];
      }
      break;
    case '23514':
      return [{ line, message: `the row breaks the rule ${parent.constraint ? `"${parent.constraint}"` : 'of a check constraint'}` }];
  }
  return [{ line, message: parent.detail ? `${error.message}: ${parent.detail}` : error.message }];
}
