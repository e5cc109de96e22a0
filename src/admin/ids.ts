/** How a primary or foreign key is spelled: a uuid, a positive integer (serial), or any text. */
export type IdKind = 'uuid' | 'integer' | 'text';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGER = /^\d{1,18}$/;

/** Whether `value` can be an id of that kind, checked before it reaches PostgreSQL (where a bad one is an error). */
export function isIdOf(kind: IdKind, value: string): boolean {
  if (kind === 'uuid') return UUID.test(value);
  if (kind === 'integer') return INTEGER.test(value);
  return value.length > 0;
}

/** Escapes LIKE's `%`, `_` and `\` so the text matches literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIMIT and OFFSET that PostgreSQL accepts whatever the query string said (AdminJS passes NaN for `perPage=abc`). */
export function safePage(limit: unknown, offset: unknown): { limit: number; offset: number } {
  const whole = (value: unknown, fallback: number) => (Number.isFinite(Number(value)) ? Math.floor(Number(value)) : fallback);
  return { limit: Math.min(500, Math.max(1, whole(limit, 10))), offset: Math.max(0, whole(offset, 0)) };
}
