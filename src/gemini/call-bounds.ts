import type { CallBounds } from '../core/budgets/worst-case.js';
import { outputLimitsOf } from './model-limits.js';

/** What a request sends and asks for, gathered by each SDK wrapper from the model, chat and call. */
export interface RequestShape {
  /** Everything sent as input: contents (chat history included), system instruction, tools, tool config. */
  input: unknown[];
  maxOutputTokens?: number;
  thinkingBudget?: number;
  tools?: unknown;
  /** Set when a context cache is used: its tokens are input too. */
  cachedContent?: unknown;
  /** Counts the input tokens with Gemini's countTokens (used when the input has media or a cache). */
  countTokens?: () => Promise<number>;
  /** Embedding calls write nothing. */
  embedding?: boolean;
}

/** Tool results that built-in tools (search, code execution, URL context) feed back as input cannot be known before the call: this many tokens are held for them. */
export const BUILT_IN_TOOL_ALLOWANCE_TOKENS = 32_768;

const MEDIA_KEY = /"(inlineData|inline_data|fileData|file_data)"\s*:/;
const BUILT_IN_TOOL = /"(googleSearch|googleSearchRetrieval|google_search|google_search_retrieval|codeExecution|code_execution|urlContext|url_context)"\s*:/;
const SEARCH_TOOL = /"(googleSearch|googleSearchRetrieval|google_search|google_search_retrieval)"\s*:/;

/**
 * Upper bounds of a call's tokens. Text input: its UTF-8 bytes as JSON, since every token stands for
 * at least one byte of text (structure and escapes only add bytes). Media or a context cache:
 * counted exactly with countTokens. Output: maxOutputTokens (else the model's limit) plus the
 * thinking budget (else the model's largest), all priced at the output rate by worstCase.
 */
export async function callBounds(model: string, shape: RequestShape): Promise<CallBounds> {
  const json = JSON.stringify(shape.input) ?? '';
  const counted = (MEDIA_KEY.test(json) || shape.cachedContent) && shape.countTokens;
  const inputTokens = counted ? await shape.countTokens!() : Buffer.byteLength(json, 'utf8');
  if (!Number.isFinite(inputTokens) || inputTokens < 0) throw new Error(`countTokens gave no count for ${model}`);
  const limits = outputLimitsOf(model);
  // A cap above the model's own is held as asked: holding more than can be spent is safe, less never.
  const output = shape.embedding ? 0 : (shape.maxOutputTokens ?? limits.maxOutputTokens);
  const budget = shape.thinkingBudget;
  const thinking = shape.embedding ? 0 : budget !== undefined && budget >= 0 ? budget : limits.maxThinkingTokens;
  const tools = JSON.stringify(shape.tools ?? null) ?? '';
  return {
    inputTokens,
    outputTokens: output + thinking,
    toolAllowanceTokens: BUILT_IN_TOOL.test(tools) ? BUILT_IN_TOOL_ALLOWANCE_TOKENS : 0,
    searchGrounding: SEARCH_TOOL.test(tools),
  };
}
