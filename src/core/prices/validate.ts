import { GROUNDING_UNITS, SERVICE_TIERS, type GroundingUnit, type ModelPrice, type ServiceTier } from './types.js';

/** A price as checked for writing: a ModelPrice without its id, plus where it comes from. */
export interface PriceFields extends Omit<ModelPrice, 'id'> {
  source: string | null;
  note: string | null;
}

/** A price refused, with one message per offending field (the panel shows each beside its input). */
export class PriceValidationError extends Error {
  override name = 'PriceValidationError';
  constructor(
    readonly where: string,
    readonly fieldErrors: Record<string, string>,
  ) {
    super(`${where}: ${Object.entries(fieldErrors).map(([field, message]) => `${field} ${message}`).join('; ')}`);
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^\d+(\.\d+)?$/;
const REQUIRED_RATES = ['inputPerMillion', 'outputPerMillion', 'cachedInputPerMillion'] as const;
const OPTIONAL_RATES = [
  'audioInputPerMillion', 'cachedAudioInputPerMillion', 'audioOutputPerMillion', 'imageOutputPerMillion',
  'longInputPerMillion', 'longOutputPerMillion', 'longCachedInputPerMillion', 'groundingPerThousand',
] as const;
const LONG_CONTEXT = ['longContextThresholdTokens', 'longInputPerMillion', 'longOutputPerMillion', 'longCachedInputPerMillion'] as const;

const blank = (value: unknown) => value === undefined || value === null || value === '';

function isDay(value: string): boolean {
  return DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

/** A rate as an exact decimal string with at most 6 decimals (a whole number of pico-dollars per token), or an error message. */
function rate(value: unknown): string | { error: string } {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : 'NaN') : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || text === '' || !/^-?\d*\.?\d+(e-?\d+)?$/i.test(text)) return { error: `must be a number, got ${JSON.stringify(value)}` };
  if (Number(text) < 0) return { error: `must not be negative, got ${text}` };
  if (!DECIMAL.test(text) || (text.split('.')[1] ?? '').replace(/0+$/, '').length > 6) return { error: `must have at most 6 decimals, got ${text}` };
  return text;
}

/**
 * Checks one price and returns it in canonical form; throws PriceValidationError naming every bad
 * field: rates that are negative or not numbers, an unknown tier, bad dates, half a long-context tier.
 */
export function validatePrice(input: Record<string, unknown>): PriceFields {
  const errors: Record<string, string> = {};
  const model = typeof input.model === 'string' ? input.model.trim().replace(/^models\//, '') : '';
  if (!model) errors.model = 'is required';
  const tier = blank(input.tier) ? 'standard' : String(input.tier);
  if (!SERVICE_TIERS.includes(tier as ServiceTier)) errors.tier = `"${tier}" is not a known tier (${SERVICE_TIERS.join(', ')})`;
  const effectiveFrom = String(input.effectiveFrom ?? '');
  if (!isDay(effectiveFrom)) errors.effectiveFrom = `must be a date YYYY-MM-DD, got ${JSON.stringify(input.effectiveFrom ?? null)}`;
  const effectiveTo = blank(input.effectiveTo) ? null : String(input.effectiveTo);
  if (effectiveTo !== null && !isDay(effectiveTo)) errors.effectiveTo = `must be a date YYYY-MM-DD, got ${JSON.stringify(effectiveTo)}`;
  else if (effectiveTo !== null && !errors.effectiveFrom && effectiveTo <= effectiveFrom) errors.effectiveTo = `${effectiveTo} must be after effectiveFrom ${effectiveFrom}`;

  const rates: Record<string, string | null> = {};
  for (const field of [...REQUIRED_RATES, ...OPTIONAL_RATES]) {
    const optional = (OPTIONAL_RATES as readonly string[]).includes(field);
    if (optional && blank(input[field])) {
      rates[field] = null;
      continue;
    }
    const checked = blank(input[field]) ? { error: 'is required' } : rate(input[field]);
    if (typeof checked === 'string') rates[field] = checked;
    else errors[field] = checked.error;
  }

  let longContextThresholdTokens: number | null = null;
  if (!blank(input.longContextThresholdTokens)) {
    const threshold = Number(input.longContextThresholdTokens);
    if (!Number.isInteger(threshold) || threshold <= 0) errors.longContextThresholdTokens = `must be a positive whole number of tokens, got ${JSON.stringify(input.longContextThresholdTokens)}`;
    else longContextThresholdTokens = threshold;
  }
  const longGiven = LONG_CONTEXT.filter((field) => !blank(input[field]));
  if (longGiven.length > 0 && longGiven.length < LONG_CONTEXT.length) {
    for (const field of LONG_CONTEXT) if (blank(input[field])) errors[field] ??= 'is required with the other long-context fields';
  }

  const groundingUnit = blank(input.groundingUnit) ? null : String(input.groundingUnit);
  if (groundingUnit !== null && !GROUNDING_UNITS.includes(groundingUnit as GroundingUnit)) errors.groundingUnit = `"${groundingUnit}" is not one of ${GROUNDING_UNITS.join(', ')}`;
  if ((groundingUnit === null) !== blank(input.groundingPerThousand)) errors[groundingUnit === null ? 'groundingUnit' : 'groundingPerThousand'] ??= 'is required with the other grounding field';

  if (Object.keys(errors).length > 0) throw new PriceValidationError(`price of ${model || '(no model)'} (${tier}) from ${effectiveFrom || '?'}`, errors);
  return {
    model,
    tier: tier as ServiceTier,
    effectiveFrom,
    effectiveTo,
    inputPerMillion: rates.inputPerMillion!,
    outputPerMillion: rates.outputPerMillion!,
    cachedInputPerMillion: rates.cachedInputPerMillion!,
    audioInputPerMillion: rates.audioInputPerMillion ?? null,
    cachedAudioInputPerMillion: rates.cachedAudioInputPerMillion ?? null,
    audioOutputPerMillion: rates.audioOutputPerMillion ?? null,
    imageOutputPerMillion: rates.imageOutputPerMillion ?? null,
    longContextThresholdTokens,
    longInputPerMillion: rates.longInputPerMillion ?? null,
    longOutputPerMillion: rates.longOutputPerMillion ?? null,
    longCachedInputPerMillion: rates.longCachedInputPerMillion ?? null,
    groundingPerThousand: rates.groundingPerThousand ?? null,
    groundingUnit: groundingUnit as GroundingUnit | null,
    source: blank(input.source) ? null : String(input.source),
    note: blank(input.note) ? null : String(input.note),
  };
}

/** The periods of one model and tier; `id` tells an edited row from the others. */
export interface DatedPrice {
  id?: number;
  model: string;
  tier: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

/**
 * The first overlap among prices of the same model and tier, as a message, or undefined. A price
 * without an end runs until the next one starts; two prices overlap when they start the same day
 * or one's explicit end is after the next one's start.
 */
export function findOverlap(prices: readonly DatedPrice[]): string | undefined {
  const sorted = [...prices].sort((a, b) => `${a.model}\u0000${a.tier}\u0000${a.effectiveFrom}`.localeCompare(`${b.model}\u0000${b.tier}\u0000${b.effectiveFrom}`));
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1]!, sorted[i]!];
    if (a.model !== b.model || a.tier !== b.tier) continue;
    if (a.effectiveFrom === b.effectiveFrom) return `${a.model} (${a.tier}) already has a price from ${a.effectiveFrom}`;
    if (a.effectiveTo !== null && a.effectiveTo > b.effectiveFrom) {
      return `${a.model} (${a.tier}): the price from ${a.effectiveFrom} to ${a.effectiveTo} overlaps the price from ${b.effectiveFrom}`;
    }
  }
  return undefined;
}
