/**
 * Export rows arrive as PostgreSQL's own text (no type parsing, see export-cursor.ts): exact decimals,
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
 * ISO 8601 of PostgreSQL's timestamp text, with at least milliseconds as JavaScript writes them
 * (microseconds kept): `2026-11-24 07:25:00.07+00` -> `2026-11-24T07:25:00.070Z`, and in the panel's
 * zone `2026-11-24 08:25:00+01` -> `2026-11-24T08:25:00.000+01:00`. Text without an offset (a
 * timestamp without time zone) stays without one; infinity stays as it is.
 */
export function isoDateTime(text: string): string {
  if (text.length < 19 || text.charCodeAt(10) !== 32) return text;
  let end = 19;
  while (end < text.length && text[end] !== '+' && text[end] !== '-') end++;
  const fraction = end > 19 ? text.slice(19, end).padEnd(4, '0') : '.000';
  const offset = text.slice(end);
  const zone = offset === '' ? '' : offset === '+00' ? 'Z' : offset.length === 3 ? `${offset}:00` : offset;
  return `${text.slice(0, 10)}T${text.slice(11, 19)}${fraction}${zone}`;
}

/** The wall-clock part of a timestamp text (`2026-11-24T08:25:00.000`), whatever its offset: what a spreadsheet shows. */
export function wallClock(text: string): string {
  const iso = isoDateTime(text);
  return iso.length > 23 && iso.charCodeAt(10) === 84 ? iso.slice(0, 23) : iso;
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
