import { collectText, estimateTokens } from '../text.js';
import { responseId, seededRandom, sentences } from './determinism.js';
import type { RequestPlan } from './faults.js';
import { brokenJson, jsonAnswer } from './json-output.js';

/** Tokens of a context cache referenced with `cachedContent` (unless `[[sim:cached=N]]` says otherwise). */
export const CACHED_CONTENT_TOKENS = 1024;

export interface SimulatedUsage {
  promptTokenCount: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  totalTokenCount: number;
  promptTokensDetails: { modality: 'TEXT'; tokenCount: number }[];
}

export interface SimulatedAnswer {
  text: string;
  finishReason?: 'STOP' | 'MAX_TOKENS' | 'SAFETY';
  blockReason?: string;
  usage: SimulatedUsage;
  modelVersion: string;
  responseId: string;
}

interface GenerationConfig {
  maxOutputTokens?: number;
  responseMimeType?: string;
  responseSchema?: unknown;
  responseJsonSchema?: unknown;
  thinkingConfig?: { thinkingBudget?: number };
}

export interface GenerateRequestBody {
  contents?: unknown;
  systemInstruction?: unknown;
  cachedContent?: string;
  generationConfig?: GenerationConfig;
}

/** Models that think by default, as 2.5 Pro does. */
export function thinks(model: string): boolean {
  return /pro|thinking/.test(model);
}

export function promptText(body: GenerateRequestBody): string {
  return collectText({ system: body.systemInstruction, contents: body.contents });
}

/** Prompt tokens as Gemini counts them: cached-content tokens included. */
export function promptUsage(body: GenerateRequestBody, plan: Pick<RequestPlan, 'cachedTokens'>): { prompt: number; cached: number } {
  const cached = plan.cachedTokens ?? (body.cachedContent ? CACHED_CONTENT_TOKENS : 0);
  return { prompt: estimateTokens(promptText(body)) + cached, cached };
}

/** The deterministic answer to a generateContent request: same model and body, same text and counts. */
export function answer(model: string, body: GenerateRequestBody, plan: RequestPlan): SimulatedAnswer {
  const text = promptText(body);
  const config = body.generationConfig ?? {};
  const random = seededRandom(`${model}\n${text}`);
  const { prompt, cached } = promptUsage(body, plan);
  const promptOnly = (): SimulatedUsage => ({
    promptTokenCount: prompt,
    ...(cached > 0 ? { cachedContentTokenCount: cached } : {}),
    totalTokenCount: prompt,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
  });
  const base = { modelVersion: model, responseId: responseId(`${model}\n${text}`) };

  if (plan.fault?.kind === 'blocked') return { ...base, text: '', blockReason: plan.fault.reason ?? 'SAFETY', usage: promptOnly() };
  if (plan.fault?.kind === 'safety') return { ...base, text: '', finishReason: 'SAFETY', usage: promptOnly() };

  let output: string;
  if (config.responseMimeType === 'application/json') {
    output = plan.fault?.kind === 'bad-json' ? brokenJson(text, random) : jsonAnswer(text, config.responseSchema ?? config.responseJsonSchema, random);
  } else {
    output = sentences(random, random.int(20, 60));
  }
  let finishReason: SimulatedAnswer['finishReason'] = 'STOP';
  if (config.maxOutputTokens !== undefined && estimateTokens(output) > config.maxOutputTokens) {
    output = output.slice(0, config.maxOutputTokens * 4);
    finishReason = 'MAX_TOKENS';
  }

  const budget = config.thinkingConfig?.thinkingBudget;
  let thoughts = thinks(model) && budget !== 0 ? random.int(64, 256) : 0;
  if (budget !== undefined && budget > 0) thoughts = Math.min(thoughts, budget);
  const candidates = estimateTokens(output);
  return {
    ...base,
    text: output,
    finishReason,
    usage: {
      promptTokenCount: prompt,
      candidatesTokenCount: candidates,
      ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
      ...(cached > 0 ? { cachedContentTokenCount: cached } : {}),
      totalTokenCount: prompt + candidates + thoughts,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
    },
  };
}
