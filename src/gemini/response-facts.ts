import { collectText } from './text.js';
import type { GeminiUsageMetadata } from './usage.js';

/** What a generateContent response, or the chunks of a stream so far, tell the ledger. */
export interface ResponseFacts {
  usage?: GeminiUsageMetadata;
  finishReason?: string;
  finishMessage?: string;
  blockReason?: string;
  blockReasonMessage?: string;
  modelVersion?: string;
  /** Search queries Gemini ran to ground the answer (groundingMetadata.webSearchQueries). */
  groundingQueries: number;
  /** Characters of candidate text received, for estimates when a stream ends early. */
  textLength: number;
}

/** Finish reasons meaning the answer was withheld: the call counts as failed. */
const BLOCKING_FINISH_REASONS = new Set([
  'SAFETY', 'RECITATION', 'LANGUAGE', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII',
  'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION',
]);

interface ResponseShape {
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  promptFeedback?: { blockReason?: string; blockReasonMessage?: string };
  candidates?: { finishReason?: string; finishMessage?: string; content?: unknown; groundingMetadata?: { webSearchQueries?: unknown[] } }[];
}

export function emptyFacts(): ResponseFacts {
  return { textLength: 0, groundingQueries: 0 };
}

/** Adds one response (or stream chunk) to `facts`: later usage and finish reasons replace earlier ones. */
export function addResponse(facts: ResponseFacts, response: unknown): ResponseFacts {
  const shape = (response ?? {}) as ResponseShape;
  const first = shape.candidates?.[0];
  if (shape.usageMetadata) facts.usage = shape.usageMetadata;
  if (shape.modelVersion) facts.modelVersion = shape.modelVersion;
  if (shape.promptFeedback?.blockReason) {
    facts.blockReason = shape.promptFeedback.blockReason;
    facts.blockReasonMessage = shape.promptFeedback.blockReasonMessage;
  }
  if (first?.finishReason) {
    facts.finishReason = first.finishReason;
    facts.finishMessage = first.finishMessage;
  }
  if (first?.content) facts.textLength += collectText(first.content).length;
  // A stream repeats or completes the grounding metadata in later chunks: keep the fullest list.
  const queries = first?.groundingMetadata?.webSearchQueries;
  if (Array.isArray(queries)) facts.groundingQueries = Math.max(facts.groundingQueries, queries.length);
  return facts;
}

export function factsOf(response: unknown): ResponseFacts {
  return addResponse(emptyFacts(), response);
}

/** The error message of a safety block, or undefined when the answer was delivered. */
export function blockedMessage(facts: ResponseFacts): string | undefined {
  if (facts.blockReason) {
    return `blocked: prompt blocked (${facts.blockReason})${facts.blockReasonMessage ? `: ${facts.blockReasonMessage}` : ''}`;
  }
  if (facts.finishReason && BLOCKING_FINISH_REASONS.has(facts.finishReason)) {
    return `blocked: response stopped (finishReason ${facts.finishReason})${facts.finishMessage ? `: ${facts.finishMessage}` : ''}`;
  }
  return undefined;
}

/** The metadata a response contributes: finish reason, block reason, model version. */
export function responseMetadata(facts: ResponseFacts, requestedModel: string): Record<string, unknown> {
  return {
    ...(facts.finishReason ? { finish_reason: facts.finishReason } : {}),
    ...(facts.blockReason ? { block_reason: facts.blockReason } : {}),
    ...(facts.modelVersion && facts.modelVersion !== requestedModel ? { model_version: facts.modelVersion } : {}),
  };
}
