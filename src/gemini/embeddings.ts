import { describeFailure } from './failure.js';
import { NO_TOKENS, type Observation } from './observations.js';
import { estimateTokens } from './text.js';
import type { EmbeddingUsage } from './types.js';

/**
 * Gemini's embedding responses carry no usage. With `count_tokens` a countTokens request for the same
 * text starts at once, alongside the embedding request, so it adds no latency; it is not a ledger row
 * of its own. Should it fail, or with `estimate`, the prompt tokens are characters / 4. Either way
 * metadata.usage_source says which, so no row holds a silent zero.
 */
export function embeddingUsage(mode: EmbeddingUsage, count: () => Promise<number>, requestText: () => string, inputs: number): () => Promise<Observation> {
  const counting = mode === 'count_tokens' ? count().then((tokens) => ({ tokens }), (error: unknown) => ({ error })) : undefined;
  return async () => {
    const metadata: Record<string, unknown> = { embedding_count: inputs };
    const counted = counting ? await counting : undefined;
    if (counted && 'tokens' in counted && Number.isInteger(counted.tokens)) {
      return { tokens: { ...NO_TOKENS, promptTokens: counted.tokens }, usageSource: 'count_tokens', metadata };
    }
    if (counted && 'error' in counted) metadata.count_tokens_error = describeFailure(counted.error).message;
    return { tokens: { ...NO_TOKENS, promptTokens: estimateTokens(requestText()) }, usageSource: 'estimated', metadata };
  };
}
