/** Exact money: decimal strings in, integer pico-dollars (bigint) for arithmetic, decimal strings out. */

const PICO_DIGITS = 12;
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * `amount` (a non-negative decimal string) times 10^`shift`, which must be a whole number: a rate in
 * USD per 1M tokens with shift 6 is pico-dollars per token; USD per 1,000 with shift 9 is pico per unit.
 */
export function scaledInteger(amount: string, shift: number): bigint {
  const match = DECIMAL.exec(amount);
  if (!match) throw new RangeError(`"${amount}" is not a non-negative decimal`);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > shift) throw new RangeError(`"${amount}" has more than ${shift} decimals`);
  return BigInt(match[1]! + fraction.padEnd(shift, '0'));
}

/** Pico-dollars per token for a rate in USD per 1M tokens. */
export const picoPerToken = (perMillion: string): bigint => scaledInteger(perMillion, 6);

/** Pico-dollars per unit for a rate in USD per 1,000 units. */
export const picoPerUnit = (perThousand: string): bigint => scaledInteger(perThousand, 9);

export const usdToPico = (usd: string): bigint => scaledInteger(usd, PICO_DIGITS);

/** Pico-dollars as an exact USD decimal with 12 places (negative for deltas). */
export function formatPico(pico: bigint): string {
  const sign = pico < 0n ? '-' : '';
  const digits = (pico < 0n ? -pico : pico).toString().padStart(PICO_DIGITS + 1, '0');
  return `${sign}${digits.slice(0, -PICO_DIGITS)}.${digits.slice(-PICO_DIGITS)}`;
}
