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
  /** Search queries run for grounding, billed per query or per grounded prompt. */
  groundingQueries?: number;
  /** The tier the response says it was served at (Vertex trafficType), when it says. */
  trafficType?: string;
  /** false: Gemini billed nothing (the call failed before any response). */
  billed?: boolean;
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
  return { ...tokensOf(facts, requestText, true), ...billedFacts(facts), failure: blockFailure(facts), metadata: responseMetadata(facts, normalizeModelName(model)) };
}

function billedFacts(facts: ResponseFacts): Pick<Observation, 'groundingQueries' | 'trafficType'> {
  return { groundingQueries: facts.groundingQueries, trafficType: facts.usage?.trafficType };
}

export interface StreamSummary {
  facts: ResponseFacts;
  status: 'completed' | 'failed' | 'abandoned';
  chunks: number;
  firstChunkMs?: number;
  /** The facts hold the whole answer's usage even though the consumer stopped reading (@google/generative-ai). */
  finalUsage?: boolean;
}

/** A stream at its end; a failed one gets its failure from the error, not from here. */
export function observeStream(summary: StreamSummary, model: string, requestText: () => string): Observation {
  const { facts, status } = summary;
  const complete = status === 'completed' || summary.finalUsage === true;
  return {
    ...tokensOf(facts, requestText, complete),
    ...billedFacts(facts),
    failure: status === 'completed' ? blockFailure(facts) : undefined,
    metadata: {
      ...responseMetadata(facts, normalizeModelName(model)),
      // Gemini bills what it generated, not what was read: an abandoned stream's usage may be short.
      ...(complete ? {} : { usage_complete: false }),
      stream_status: status,
      stream_chunks: summary.chunks,
      ...(summary.firstChunkMs !== undefined ? { time_to_first_chunk_ms: Math.round(summary.firstChunkMs) } : {}),
    },
  };
}
