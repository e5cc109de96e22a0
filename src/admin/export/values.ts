/**
 * Export rows arrive as PostgreSQL's own text (no type parsing, see stream-export.ts): exact decimals,
 * exact timestamps, JSON as written. Each writer turns that text into its format's typed value.
 */
export type ValueKind = 'number' | 'boolean' | 'datetime' | 'timestamp' | 'date' | 'json' | 'string';

export interface ExportColumn {
  /** The field's path, the header of its column. */
  name: string;
  kind: ValueKind;
}

/** One row: each column's PostgreSQL text, null for NULL. */
export type TextRow = (string | null)[];

const KIND_BY_TYPE_OID: Record<number, ValueKind> = {
  20: 'number', // int8
  21: 'number', // int2
  23: 'number', // int4
  26: 'number', // oid
  700: 'number', // float4
  701: 'number', // float8
  1700: 'number', // numeric
  16: 'boolean',
  1184: 'datetime', // timestamptz
  1114: 'timestamp', // timestamp without time zone
  1082: 'date',
  114: 'json',
  3802: 'json', // jsonb
};

/** The kind of a result column from its PostgreSQL type OID; anything unlisted is text. */
export function kindOfType(dataTypeId: number): ValueKind {
  return KIND_BY_TYPE_OID[dataTypeId] ?? 'string';
}

/**
 * `2026-11-24 07:25:00.07+00` (TimeZone UTC) -> `2026-11-24T07:25:00.070Z`: ISO 8601 with at least
 * milliseconds, as JavaScript writes it (microseconds kept when present); infinity stays as it is.
 */
export function isoDateTime(text: string): string {
  if (text.length < 19 || text.charCodeAt(10) !== 32) return text;
  const utc = text.endsWith('+00');
  const body = utc ? text.slice(0, -3) : text;
  const fraction = body.length > 19 ? body.slice(19).padEnd(4, '0') : '.000';
  return `${body.slice(0, 10)}T${body.slice(11, 19)}${fraction}${utc ? 'Z' : ''}`;
}

/** PostgreSQL's boolean text (`t`/`f`) as true/false. */
export function booleanOf(text: string): boolean {
  return text === 't' || text === 'true';
}

/** A finite JS number of a numeric text, or the text itself when the number would not be exact enough to be honest (NaN, Infinity). */
export function numberOf(text: string): number | string {
  const value = Number(text);
  return Number.isFinite(value) ? value : text;
}
