/**
 * Dated Gemini price table. Prices are USD per 1M tokens, as Google publishes them; a model's price
 * at a moment is the entry with the latest `effectiveFrom` not after it. Figures from the Gemini API
 * pricing page (paid tier, text input), checked Nov 2026: verify before billing and override with
 * configuration (AI_USAGE_PRICING_FILE) when Google changes them.
 */
export interface ModelPrice {
  /** Model name as stored in ai_usage_logs.model_name, without the `models/` prefix. */
  model: string;
  /** First UTC day (YYYY-MM-DD) this price applies. */
  effectiveFrom: string;
  /** Uncached input tokens. */
  inputPerMillion: number;
  /** Candidate and thinking tokens: thinking is billed at the output rate. */
  outputPerMillion: number;
  /** Input tokens served from the context cache. */
  cachedInputPerMillion: number;
  /** Prompts above this many tokens are billed entirely at the `longContext` rates. */
  longContext?: { thresholdTokens: number; inputPerMillion: number; outputPerMillion: number; cachedInputPerMillion: number };
}

export const DEFAULT_PRICES: readonly ModelPrice[] = [
  {
    model: 'gemini-2.5-pro',
    effectiveFrom: '2025-06-17',
    inputPerMillion: 1.25,
    outputPerMillion: 10,
    cachedInputPerMillion: 0.125,
    longContext: { thresholdTokens: 200_000, inputPerMillion: 2.5, outputPerMillion: 15, cachedInputPerMillion: 0.25 },
  },
  { model: 'gemini-2.5-flash', effectiveFrom: '2025-06-17', inputPerMillion: 0.3, outputPerMillion: 2.5, cachedInputPerMillion: 0.03 },
  { model: 'gemini-2.5-flash-lite', effectiveFrom: '2025-07-22', inputPerMillion: 0.1, outputPerMillion: 0.4, cachedInputPerMillion: 0.01 },
  { model: 'gemini-embedding-001', effectiveFrom: '2025-07-14', inputPerMillion: 0.15, outputPerMillion: 0, cachedInputPerMillion: 0 },
  {
    model: 'gemini-1.5-flash',
    effectiveFrom: '2024-08-12',
    inputPerMillion: 0.075,
    outputPerMillion: 0.3,
    cachedInputPerMillion: 0.01875,
    longContext: { thresholdTokens: 128_000, inputPerMillion: 0.15, outputPerMillion: 0.6, cachedInputPerMillion: 0.0375 },
  },
];

export interface TokenUsage {
  /** Includes cached tokens, as Gemini's promptTokenCount does. */
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  thoughtsTokens: number;
}

export interface PriceTable {
  /** Cost in USD as an exact decimal string, or null when the model has no price. */
  costUsd(model: string, usage: TokenUsage, at: Date): string | null;
  /** The price entry in force for `model` at `at`, if any. */
  priceAt(model: string, at: Date): ModelPrice | undefined;
}

const PICO_PER_USD = 1_000_000_000_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** USD per 1M tokens -> integer pico-USD per token, so costs add up exactly. */
function picoPerToken(perMillion: number, where: string): number {
  const pico = Math.round(perMillion * 1_000_000);
  if (!Number.isFinite(perMillion) || perMillion < 0 || Math.abs(pico - perMillion * 1_000_000) > 1e-6) {
    throw new TypeError(`${where}: price ${perMillion} must be a non-negative USD amount with at most 6 decimals`);
  }
  return pico;
}

function formatPico(pico: number): string {
  const whole = Math.floor(pico / PICO_PER_USD);
  const fraction = String(pico % PICO_PER_USD).padStart(12, '0');
  return `${whole}.${fraction}`;
}

function validate(entry: ModelPrice): void {
  const where = `price of ${entry.model} from ${entry.effectiveFrom}`;
  if (!entry.model || !DAY.test(entry.effectiveFrom)) throw new TypeError(`${where}: model and effectiveFrom (YYYY-MM-DD) are required`);
  for (const rate of [entry.inputPerMillion, entry.outputPerMillion, entry.cachedInputPerMillion]) picoPerToken(rate, where);
  if (entry.longContext) {
    const { thresholdTokens, inputPerMillion, outputPerMillion, cachedInputPerMillion } = entry.longContext;
    if (!Number.isInteger(thresholdTokens) || thresholdTokens <= 0) throw new TypeError(`${where}: longContext.thresholdTokens must be a positive integer`);
    for (const rate of [inputPerMillion, outputPerMillion, cachedInputPerMillion]) picoPerToken(rate, where);
  }
}

/** Strips the REST resource prefix so `models/gemini-2.5-pro` and `gemini-2.5-pro` price alike. */
export function normalizeModelName(model: string): string {
  return model.trim().replace(/^models\//, '');
}

/**
 * Builds a price table from the defaults plus `overrides`; an override with the same model and
 * effectiveFrom replaces the default entry, any other adds a dated price.
 */
export function createPriceTable(overrides: readonly ModelPrice[] = [], base: readonly ModelPrice[] = DEFAULT_PRICES): PriceTable {
  const byModel = new Map<string, ModelPrice[]>();
  for (const entry of [...base, ...overrides]) {
    validate(entry);
    const entries = (byModel.get(entry.model) ?? []).filter((e) => e.effectiveFrom !== entry.effectiveFrom);
    entries.push(entry);
    entries.sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
    byModel.set(entry.model, entries);
  }

  function priceAt(model: string, at: Date): ModelPrice | undefined {
    const entries = byModel.get(normalizeModelName(model));
    if (!entries) return undefined;
    const day = at.toISOString().slice(0, 10);
    // Rows older than the first known price use the earliest price rather than none.
    return entries.filter((e) => e.effectiveFrom <= day).at(-1) ?? entries[0];
  }

  function costUsd(model: string, usage: TokenUsage, at: Date): string | null {
    const price = priceAt(model, at);
    if (!price) return null;
    const where = `price of ${price.model}`;
    const rates = price.longContext && usage.promptTokens > price.longContext.thresholdTokens ? price.longContext : price;
    const uncached = usage.promptTokens - usage.cachedTokens;
    const pico =
      uncached * picoPerToken(rates.inputPerMillion, where) +
      usage.cachedTokens * picoPerToken(rates.cachedInputPerMillion, where) +
      (usage.completionTokens + usage.thoughtsTokens) * picoPerToken(rates.outputPerMillion, where);
    return formatPico(pico);
  }

  return { costUsd, priceAt };
}
