import { collectText, estimateTokens } from '../text.js';
import type { SimulatedAnswer, SimulatedUsage } from './answer.js';
import { seededRandom } from './determinism.js';

/** Default embedding size, that of text-embedding-004; `outputDimensionality` overrides it. */
export const EMBEDDING_DIMENSIONS = 768;

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const DEFAULT_MESSAGES: Record<number, string> = {
  429: 'Resource has been exhausted (e.g. check quota).',
  500: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  503: 'The model is overloaded. Please try again later.',
};

/** Google's error envelope, as the Gemini API sends it. */
export function errorBody(status: number, message?: string, details?: unknown[]): object {
  return {
    error: {
      code: status,
      message: message ?? DEFAULT_MESSAGES[status] ?? `Simulated error ${status}.`,
      status: STATUS_NAMES[status] ?? 'UNKNOWN',
      ...(details ? { details } : {}),
    },
  };
}

export function rateLimitBody(retryDelaySeconds: number): object {
  return errorBody(429, undefined, [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
    },
    { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryDelaySeconds}s` },
  ]);
}

const SAFETY_RATINGS = [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }];

function candidate(text: string, finishReason?: string): object {
  return {
    ...(text ? { content: { parts: [{ text }], role: 'model' } } : {}),
    ...(finishReason ? { finishReason } : {}),
    ...(finishReason === 'SAFETY' ? { safetyRatings: SAFETY_RATINGS } : {}),
    index: 0,
  };
}

/** The body of a generateContent answer. */
export function generateBody(answer: SimulatedAnswer): object {
  const common = { usageMetadata: answer.usage, modelVersion: answer.modelVersion, responseId: answer.responseId };
  if (answer.blockReason) return { promptFeedback: { blockReason: answer.blockReason, safetyRatings: SAFETY_RATINGS }, ...common };
  return { candidates: [candidate(answer.text, answer.finishReason)], ...common };
}

/** Splits text into at most `parts` pieces at word boundaries, so the pieces join back to it. */
function split(text: string, parts: number): string[] {
  const words = text.split(/(?<= )/);
  const size = Math.max(1, Math.ceil(words.length / parts));
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += size) pieces.push(words.slice(i, i + size).join(''));
  return pieces.length > 0 ? pieces : [''];
}

/**
 * streamGenerateContent chunks: the text in up to four pieces, each with the running usage; the last
 * carries the finish reason and the final usage, as Gemini's last chunk does.
 */
export function streamChunks(answer: SimulatedAnswer): object[] {
  if (answer.blockReason || !answer.text) return [generateBody(answer)];
  const pieces = split(answer.text, 4);
  let sent = '';
  return pieces.map((piece, index) => {
    sent += piece;
    const last = index === pieces.length - 1;
    const candidates = last ? (answer.usage.candidatesTokenCount ?? 0) : estimateTokens(sent);
    const usage: SimulatedUsage = {
      ...answer.usage,
      candidatesTokenCount: candidates,
      totalTokenCount: answer.usage.promptTokenCount + candidates + (answer.usage.thoughtsTokenCount ?? 0),
    };
    return {
      candidates: [candidate(piece, last ? answer.finishReason : undefined)],
      usageMetadata: usage,
      modelVersion: answer.modelVersion,
      responseId: answer.responseId,
    };
  });
}

export function countTokensBody(totalTokens: number, cachedTokens: number): object {
  return {
    totalTokens,
    ...(cachedTokens > 0 ? { cachedContentTokenCount: cachedTokens } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalTokens }],
  };
}

/** A unit vector derived from the model and the text: no usage, as Gemini's embeddings have none. */
export function embedding(model: string, content: unknown, dimensions = EMBEDDING_DIMENSIONS): { values: number[] } {
  const random = seededRandom(`embed\n${model}\n${collectText(content)}`);
  const raw = Array.from({ length: dimensions }, () => random.next() * 2 - 1);
  const norm = Math.sqrt(raw.reduce((sum, x) => sum + x * x, 0)) || 1;
  return { values: raw.map((x) => Math.round((x / norm) * 1e6) / 1e6) };
}
