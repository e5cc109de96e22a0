import { isDeepStrictEqual } from 'node:util';
import type { ModelAttributeColumnOptions } from 'sequelize';
import { dayStart, wallTimeIn } from '../../time/time-zone.js';
import { restoreFormulaText } from '../formula-injection.js';
import { UnreadableCell } from './parse-xlsx.js';

export type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const TRUE = new Set(['true', 't', '1', 'yes', 'y']);
const FALSE = new Set(['false', 'f', '0', 'no', 'n']);

const ok = (value: unknown): Coerced => ({ ok: true, value });
const bad = (message: string): Coerced => ({ ok: false, message });

/** The Sequelize data type name of an attribute (INTEGER, DECIMAL, TEXT, ...). */
export function typeKey(attribute: ModelAttributeColumnOptions): string {
  return String((attribute.type as { key?: string }).key ?? attribute.type);
}

function integer(raw: unknown, key: string): Coerced {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!INTEGER.test(text)) return bad('is not a whole number');
  if (key === 'BIGINT') return ok(text);
  const value = Number(text);
  return Number.isSafeInteger(value) ? ok(value) : bad('is too large');
}

function decimal(raw: unknown, key: string): Coerced {
  const text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!DECIMAL.test(text)) return bad('is not a number');
  return ok(key === 'DECIMAL' ? text : Number(text));
}

function boolean(raw: unknown): Coerced {
  if (typeof raw === 'boolean') return ok(raw);
  const text = String(raw).trim().toLowerCase();
  if (TRUE.has(text)) return ok(true);
  if (FALSE.has(text)) return ok(false);
  return bad('is not true or false');
}

/**
 * A moment: text with an offset as it says; a wall-clock time or a bare day without one, and a
 * spreadsheet's date cell (exceljs reads it as if UTC; the export wrote it so), in the panel's zone.
 */
function dateTime(raw: unknown, timeZone: string): Coerced {
  let date: Date | undefined;
  if (raw instanceof Date) date = Number.isNaN(raw.getTime()) ? undefined : wallTimeIn(raw.toISOString().slice(0, 23), timeZone);
  else if (typeof raw === 'string' && raw.trim()) {
    const text = raw.trim();
    date = dayStart(text, timeZone) ?? wallTimeIn(text.replace(' ', 'T'), timeZone) ?? new Date(text);
  }
  return date && !Number.isNaN(date.getTime()) ? ok(date) : bad('is not a date and time (use ISO 8601, e.g. 2026-11-24T09:30:00Z)');
}

function dateOnly(raw: unknown): Coerced {
  if (raw instanceof Date && !Number.isNaN(raw.getTime())) return ok(raw.toISOString().slice(0, 10));
  const text = typeof raw === 'string' ? raw.trim() : '';
  return DATE_ONLY.test(text) && !Number.isNaN(Date.parse(text)) ? ok(text) : bad('is not a date (use YYYY-MM-DD)');
}

function json(raw: unknown, fromSpreadsheet: boolean): Coerced {
  if (typeof raw !== 'string') return ok(raw);
  try {
    return ok(JSON.parse(fromSpreadsheet ? restoreFormulaText(raw) : raw));
  } catch {
    return bad('is not valid JSON');
  }
}

function text(raw: unknown, fromSpreadsheet: boolean): Coerced {
  if (typeof raw === 'string') return ok(fromSpreadsheet ? restoreFormulaText(raw) : raw);
  if (typeof raw === 'number' || typeof raw === 'boolean') return ok(String(raw));
  if (raw instanceof Date) return ok(raw.toISOString());
  return bad('is not text');
}

/**
 * A file's value as the attribute's type wants it. `fromSpreadsheet` (CSV, XLSX) undoes the export's
 * formula-injection quoting; JSON files carry values exactly and are taken as they are. Times
 * without an offset are read in `timeZone` (the panel's).
 */
export function coerceValue(attribute: ModelAttributeColumnOptions, raw: unknown, fromSpreadsheet: boolean, timeZone = 'UTC'): Coerced {
  if (raw === null || raw === undefined) return ok(null);
  if (raw instanceof UnreadableCell) return bad(raw.reason);
  const key = typeKey(attribute);
  switch (key) {
    case 'INTEGER':
    case 'SMALLINT':
    case 'TINYINT':
    case 'MEDIUMINT':
    case 'BIGINT':
      return integer(raw, key);
    case 'DECIMAL':
    case 'FLOAT':
    case 'DOUBLE':
    case 'REAL':
      return decimal(raw, key);
    case 'BOOLEAN':
      return boolean(raw);
    case 'DATE':
      return dateTime(raw, timeZone);
    case 'DATEONLY':
      return dateOnly(raw);
    case 'JSON':
    case 'JSONB':
      return json(raw, fromSpreadsheet);
    default:
      return text(raw, fromSpreadsheet);
  }
}

/** `1.50` and `1.5` are the same decimal. */
function canonicalDecimal(value: unknown): string {
  const text = String(value);
  return text.includes('.') && !/[eE]/.test(text) ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** Whether a stored value and an imported one are equal for the attribute's type (so the row need not be written). */
export function sameValue(attribute: ModelAttributeColumnOptions, stored: unknown, imported: unknown): boolean {
  if (stored === null || stored === undefined || imported === null || imported === undefined) return (stored ?? null) === (imported ?? null);
  switch (typeKey(attribute)) {
    case 'DATE':
      return new Date(stored as Date).getTime() === new Date(imported as Date).getTime();
    case 'DECIMAL':
      return canonicalDecimal(stored) === canonicalDecimal(imported);
    case 'BIGINT':
      return String(stored) === String(imported);
    case 'JSON':
    case 'JSONB':
      return isDeepStrictEqual(stored, imported);
    default:
      return stored === imported;
  }
}
