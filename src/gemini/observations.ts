import { normalizeModelName } from '../core/pricing.js';
import type { FailureFacts } from './failure.js';
import { blockedMessage, factsOf, responseMetadata, type ResponseFacts } from './response-facts.js';
import { estimateTokens, tokensForCharacters } from './text.js';
import type { UsageSource } from './types.js';
import { tokensFromUsage, type TokenCounts } from './usage.js';

/** What one attempt's result says, for its row. */
export interface Observation {
  tokens: TokenCounts;
  usageSource: UsageSource;
  /** Set when the call returned but counts as failed (a safety block). */
  failure?: FailureFacts;
  metadata: Record<string, unknown>;
}

export const NO_TOKENS: TokenCounts = { promptTokens: 0, completionTokens: 0, thoughtsTokens: 0, cachedTokens: 0 };

/**
 * Tokens from the usage Gemini reported. A response without usage (or a stream that ended early,
 * without its final chunk) has the missing parts estimated from the text sent and received.
 */
function tokensOf(facts: ResponseFacts, requestText: () => string, complete: boolean): { tokens: TokenCounts; usageSource: UsageSource } {
  const received = tokensForCharacters(facts.textLength);
  if (!facts.usage) {
    return { tokens: { ...NO_TOKENS, promptTokens: estimateTokens(requestText()), completionTokens: received }, usageSource: 'estimated' };
  }
  const tokens = tokensFromUsage(facts.usage);
  if (complete) return { tokens, usageSource: 'response' };
  if (facts.usage.candidatesTokenCount === undefined && received > 0) {
    return { tokens: { ...tokens, completionTokens: received, totalTokens: undefined }, usageSource: 'estimated' };
  }
  return { tokens, usageSource: 'partial_stream' };
}

function blockFailure(facts: ResponseFacts): FailureFacts | undefined {
  const message = blockedMessage(facts);
  return message ? { message, kind: 'blocked' } : undefined;
}

/** A generateContent / sendMessage response. */
export function observeResponse(response: unknown, model: string, requestText: () => string): Observation {
  const facts = factsOf(response);
  return { ...tokensOf(facts, requestText, true), failure: blockFailure(facts), metadata: responseMetadata(facts, normalizeModelName(model)) };
}

export interface StreamSummary {
  facts: ResponseFacts;
  status: 'completed' | 'failed' | 'abandoned';
  chunks: number;
  firstChunkMs?: number;
}

/** A stream at its end; a failed one gets its failure from the error, not from here. */
export function observeStream(summary: StreamSummary, model: string, requestText: () => string): Observation {
  const { facts, status } = summary;
  return {
    ...tokensOf(facts, requestText, status === 'completed'),
    failure: status === 'completed' ? blockFailure(facts) : undefined,
    metadata: {
      ...responseMetadata(facts, normalizeModelName(model)),
      stream_status: status,
      stream_chunks: summary.chunks,
      ...(summary.firstChunkMs !== undefined ? { time_to_first_chunk_ms: Math.round(summary.firstChunkMs) } : {}),
    },
  };
}

/** countTokens is free: its row bills nothing and keeps the count in metadata. */
export function observeCount(response: { totalTokens?: number } | undefined): Observation {
  return { tokens: NO_TOKENS, usageSource: 'not_billed', metadata: { counted_tokens: response?.totalTokens ?? 0 } };
}
