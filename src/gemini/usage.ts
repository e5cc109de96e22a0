/** The token fields of Gemini's usageMetadata, as both SDKs return them. */
export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  totalTokenCount?: number;
}

/** The UsageEvent token fields. */
export interface TokenCounts {
  promptTokens: number;
  completionTokens: number;
  thoughtsTokens: number;
  cachedTokens: number;
  totalTokens?: number;
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0);

/**
 * promptTokenCount (cached tokens included) -> promptTokens, candidatesTokenCount -> completionTokens,
 * thoughtsTokenCount -> thoughtsTokens, cachedContentTokenCount -> cachedTokens, totalTokenCount ->
 * totalTokens. A total below the sum of its parts is dropped, so the tracker computes it instead.
 */
export function tokensFromUsage(usage: GeminiUsageMetadata | undefined): TokenCounts {
  const counts: TokenCounts = {
    promptTokens: count(usage?.promptTokenCount),
    completionTokens: count(usage?.candidatesTokenCount),
    thoughtsTokens: count(usage?.thoughtsTokenCount),
    cachedTokens: 0,
  };
  // Cached tokens are a part of the prompt; more would be refused by the tracker.
  counts.cachedTokens = Math.min(count(usage?.cachedContentTokenCount), counts.promptTokens);
  const total = count(usage?.totalTokenCount);
  if (total >= counts.promptTokens + counts.completionTokens + counts.thoughtsTokens) counts.totalTokens = total;
  return counts;
}
