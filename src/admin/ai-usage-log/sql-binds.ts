/** Collects bind values and hands out their `$n` placeholders. */
export class SqlBinds {
  readonly values: unknown[] = [];

  /** @param first number of the first placeholder, to append to a statement that already has binds. */
  constructor(private readonly first = 1) {}

  /** Adds a value and returns its placeholder, e.g. `$3`. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.first + this.values.length - 1}`;
  }
}

/** `%term%` for LIKE/ILIKE with the term's own `%`, `_` and `\` taken literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const UUID_TEMPLATE = 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx';

/** Whether `text` can start a uuid: hex digits with dashes where a uuid has them, or hex digits alone. */
function startsAUuid(text: string): boolean {
  if (!text.includes('-')) return /^[0-9a-f]{1,32}$/.test(text);
  if (text.length > UUID_TEMPLATE.length) return false;
  return [...text].every((c, i) => (UUID_TEMPLATE[i] === '-' ? c === '-' : /[0-9a-f]/.test(c)));
}

/**
 * The inclusive uuid range of every id starting with `prefix` (as typed, with or without dashes), or
 * undefined when the text cannot start a uuid. A whole uuid gives a range of one.
 */
export function uuidPrefixRange(prefix: string): { low: string; high: string } | undefined {
  const text = prefix.trim().toLowerCase();
  if (!text || !startsAUuid(text)) return undefined;
  const hex = text.replace(/-/g, '');
  const format = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  return { low: format(hex.padEnd(32, '0')), high: format(hex.padEnd(32, 'f')) };
}
