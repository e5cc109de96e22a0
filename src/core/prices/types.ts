/** Gemini's service tiers; each has its own rows in ai_model_prices. */
export const SERVICE_TIERS = ['standard', 'flex', 'batch', 'priority'] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

/** How a model's search grounding is billed: per grounded prompt (2.5 and older) or per search query (3.x). */
export const GROUNDING_UNITS = ['grounded_prompt', 'search_query'] as const;
export type GroundingUnit = (typeof GROUNDING_UNITS)[number];

/**
 * One row of ai_model_prices. Rates are exact decimal strings (USD per 1M tokens; grounding USD per
 * 1,000 units); a null modality rate falls back to the text rate of the same kind.
 */
export interface ModelPrice {
  id: number;
  model: string;
  tier: ServiceTier;
  /** First UTC day (YYYY-MM-DD) the price applies. */
  effectiveFrom: string;
  /** First UTC day it no longer applies; null while in force. */
  effectiveTo: string | null;
  /** Text, image and video input. */
  inputPerMillion: string;
  /** Candidate and thinking tokens. */
  outputPerMillion: string;
  cachedInputPerMillion: string;
  audioInputPerMillion: string | null;
  cachedAudioInputPerMillion: string | null;
  audioOutputPerMillion: string | null;
  imageOutputPerMillion: string | null;
  /** Requests whose input (prompt + tool-use prompt) exceeds this many tokens pay the long rates throughout. */
  longContextThresholdTokens: number | null;
  longInputPerMillion: string | null;
  longOutputPerMillion: string | null;
  longCachedInputPerMillion: string | null;
  groundingPerThousand: string | null;
  groundingUnit: GroundingUnit | null;
}

/** Token counts by modality (TEXT, IMAGE, VIDEO, AUDIO, DOCUMENT), as Gemini's *TokensDetails report them. */
export type ModalityCounts = Record<string, number>;

/** ai_usage_logs.usage_details: the modality breakdown of each token kind that has one. */
export interface UsageDetails {
  prompt?: ModalityCounts;
  cache?: ModalityCounts;
  candidates?: ModalityCounts;
  toolUse?: ModalityCounts;
}

/** What a request used, as far as its price is concerned. */
export interface BillableUsage {
  /** Includes cached tokens, as Gemini's promptTokenCount does. */
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  thoughtsTokens: number;
  /** Tool results fed back to the model: input, outside promptTokens. */
  toolUsePromptTokens: number;
  /** Search queries the model ran for grounding. */
  groundingQueries: number;
  usageDetails: UsageDetails | null;
}

export type CostStatus = 'priced' | 'unpriced' | 'not_billed';

/** The price decision for one request. */
export interface CostQuote {
  status: CostStatus;
  /** Exact decimal USD; null exactly when unpriced. */
  costUsd: string | null;
  priceId: number | null;
}
