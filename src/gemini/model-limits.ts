/** The most a model can write in one call: its output limit, and the thinking it may add on top. */
export interface ModelOutputLimits {
  maxOutputTokens: number;
  /** Largest thinking budget; 0 for models that do not think. */
  maxThinkingTokens: number;
}

/**
 * Known Gemini models by name prefix (most specific first), from Google's model pages. A model not
 * listed gets the largest limits of any (DEFAULT_OUTPUT_LIMITS), so an unknown model is never
 * under-reserved; set maxOutputTokens (and a thinking budget) on calls to keep holds small.
 */
const LIMITS: readonly (readonly [prefix: string, limits: ModelOutputLimits])[] = [
  ['gemini-2.5-pro', { maxOutputTokens: 65_536, maxThinkingTokens: 32_768 }],
  ['gemini-2.5-flash', { maxOutputTokens: 65_536, maxThinkingTokens: 24_576 }],
  ['gemini-2.0-flash', { maxOutputTokens: 8_192, maxThinkingTokens: 0 }],
  ['gemini-1.5', { maxOutputTokens: 8_192, maxThinkingTokens: 0 }],
  ['gemini-embedding', { maxOutputTokens: 0, maxThinkingTokens: 0 }],
  ['text-embedding', { maxOutputTokens: 0, maxThinkingTokens: 0 }],
  ['embedding', { maxOutputTokens: 0, maxThinkingTokens: 0 }],
];

export const DEFAULT_OUTPUT_LIMITS: ModelOutputLimits = { maxOutputTokens: 65_536, maxThinkingTokens: 32_768 };

export function outputLimitsOf(model: string): ModelOutputLimits {
  return LIMITS.find(([prefix]) => model.startsWith(prefix))?.[1] ?? DEFAULT_OUTPUT_LIMITS;
}
