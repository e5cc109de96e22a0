/** Formatting shared by the panel's components (runs in the browser). */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234567 -> "1,234,567"; accepts the decimal strings bigint sums arrive as. */
export function formatInt(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string' && /^-?\d+$/.test(value) && value.length > 15) return value.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const n = Number(value);
  return Number.isFinite(n) ? integer.format(n) : String(value);
}

/** USD with enough digits for sub-cent calls: "$0.000123", "$12.50"; "—" when unknown. */
export function formatCost(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  if (n === 0) return '$0';
  const digits = Math.abs(n) >= 1 ? 2 : Math.min(8, Math.max(2, 2 - Math.floor(Math.log10(Math.abs(n))) + 2));
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: digits })}`;
}

/** 850 -> "850 ms", 2400 -> "2.40 s". */
export function formatMs(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`;
}

/** 0.9612 -> "96.1%". */
export function formatRate(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/** Speed class of a response time under the panel's thresholds. */
export function speedOf(ms: number, thresholds: { fastMs: number; slowMs: number }): 'fast' | 'medium' | 'slow' {
  if (ms < thresholds.fastMs) return 'fast';
  return ms < thresholds.slowMs ? 'medium' : 'slow';
}

export const SPEED_COLORS = { fast: '#15803d', medium: '#c2410c', slow: '#b91c1c' } as const;

/** Section id -> label and colour, as the resource's section property carries them (`custom.sections`). */
export type SectionColors = Record<string, { label: string; color: string }>;

/** Black or white text, whichever reads better on a #rrggbb background. */
export function textOn(background: string): string {
  const hex = background.replace('#', '');
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return (r! * 299 + g! * 587 + b! * 114) / 1000 > 150 ? '#111827' : '#ffffff';
}
