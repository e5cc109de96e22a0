import { formatPico, picoPerToken, picoPerUnit } from '../prices/money.js';
import type { ModelPrice } from '../prices/types.js';

/** What is known of a call before it is sent, as far as its largest possible cost goes. */
export interface CallBounds {
  /** Input tokens, counted (countTokens) or bounded from above (see src/gemini/call-bounds.ts). */
  inputTokens: number;
  /** Output tokens at most: maxOutputTokens plus the thinking budget, or the model's maximum. */
  outputTokens: number;
  /** Tokens that built-in tools (search, code execution, URL context) may feed back as input. */
  toolAllowanceTokens: number;
  /** Whether the call may ground on Google Search (billed per grounded prompt, or per search query). */
  searchGrounding: boolean;
}

/** The hold of one call: never below what the call can really cost. */
export interface WorstCase {
  /** Exact USD; null when the model has no price (a USD limit then refuses the call). */
  usd: string | null;
  tokens: number;
}

/**
 * Search queries a grounded call is assumed to run at most, on models that bill per query: Gemini
 * does not let a request cap them, so this is a documented assumption (README, Budgets).
 */
export const MAX_SEARCH_QUERIES_PER_CALL = 10;

const max = (...values: bigint[]) => values.reduce((a, b) => (b > a ? b : a));
const rate = (perMillion: string | null) => (perMillion === null ? 0n : picoPerToken(perMillion));

/**
 * The largest cost of a call at `price`: every input token at the dearest input rate (no cache
 * discount, audio if dearer), every output token at the dearest output rate (thinking is output),
 * the long-context rates when the input bound passes the threshold, and the grounding units.
 */
export function worstCase(bounds: CallBounds, price: ModelPrice | undefined): WorstCase {
  const inputTokens = bounds.inputTokens + bounds.toolAllowanceTokens;
  const tokens = inputTokens + bounds.outputTokens;
  if (!price) return { usd: null, tokens };
  const long = price.longContextThresholdTokens !== null && inputTokens > price.longContextThresholdTokens;
  const input = max(rate(price.inputPerMillion), rate(price.cachedInputPerMillion), rate(price.audioInputPerMillion), long ? rate(price.longInputPerMillion) : 0n);
  const output = max(rate(price.outputPerMillion), rate(price.audioOutputPerMillion), rate(price.imageOutputPerMillion), long ? rate(price.longOutputPerMillion) : 0n);
  const units = !bounds.searchGrounding ? 0 : price.groundingUnit === 'grounded_prompt' ? 1 : MAX_SEARCH_QUERIES_PER_CALL;
  const grounding = price.groundingPerThousand === null ? 0n : BigInt(units) * picoPerUnit(price.groundingPerThousand);
  return { usd: formatPico(BigInt(inputTokens) * input + BigInt(bounds.outputTokens) * output + grounding), tokens };
}
