import type { ServiceTier, UsageDetails } from '../core/prices/types.js';

interface ModalityTokenCount {
  modality?: string;
  tokenCount?: number;
}

/** The token fields of Gemini's usageMetadata, as both SDKs return them. */
export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
  promptTokensDetails?: ModalityTokenCount[];
  cacheTokensDetails?: ModalityTokenCount[];
  candidatesTokensDetails?: ModalityTokenCount[];
  toolUsePromptTokensDetails?: ModalityTokenCount[];
  /** Vertex AI: ON_DEMAND, ON_DEMAND_FLEX, ON_DEMAND_PRIORITY ... */
  trafficType?: string;
}

/** The UsageEvent token fields. */
export interface TokenCounts {
  promptTokens: number;
  completionTokens: number;
  thoughtsTokens: number;
  cachedTokens: number;
  toolUsePromptTokens?: number;
  totalTokens?: number;
  usageDetails?: UsageDetails | null;
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
  counts.toolUsePromptTokens = count(usage?.toolUsePromptTokenCount);
  const total = count(usage?.totalTokenCount);
  if (total >= counts.promptTokens + counts.toolUsePromptTokens + counts.completionTokens + counts.thoughtsTokens) counts.totalTokens = total;
  counts.usageDetails = usageDetails(usage);
  return counts;
}

function byModality(details: ModalityTokenCount[] | undefined): Record<string, number> | undefined {
  if (!Array.isArray(details)) return undefined;
  const counts: Record<string, number> = {};
  for (const { modality, tokenCount } of details) {
    if (typeof modality === 'string' && /^[A-Z_]{1,40}$/.test(modality)) counts[modality] = (counts[modality] ?? 0) + count(tokenCount);
  }
  return Object.keys(counts).length > 0 ? counts : undefined;
}

/** promptTokensDetails, cacheTokensDetails, candidatesTokensDetails, toolUsePromptTokensDetails by modality; null when none. */
export function usageDetails(usage: GeminiUsageMetadata | undefined): UsageDetails | null {
  const details: UsageDetails = {};
  const kinds = [['prompt', usage?.promptTokensDetails], ['cache', usage?.cacheTokensDetails], ['candidates', usage?.candidatesTokensDetails], ['toolUse', usage?.toolUsePromptTokensDetails]] as const;
  for (const [kind, list] of kinds) {
    const counts = byModality(list);
    if (counts) details[kind] = counts;
  }
  return Object.keys(details).length > 0 ? details : null;
}

const TRAFFIC_TIERS: Record<string, ServiceTier> = { ON_DEMAND: 'standard', ON_DEMAND_FLEX: 'flex', ON_DEMAND_PRIORITY: 'priority' };
const REQUEST_TIERS: Record<string, ServiceTier> = { standard: 'standard', unspecified: 'standard', flex: 'flex', priority: 'priority', batch: 'batch' };

/**
 * The tier a call was served (and is billed) at: the response's own word (Vertex trafficType) when
 * it has one, else the tier the request asked for (config.serviceTier). Undefined when neither names
 * a tier we know; the caller records the raw value.
 */
export function serviceTierOf(requested: unknown, usage: GeminiUsageMetadata | undefined): ServiceTier | undefined {
  const served = usage?.trafficType ? TRAFFIC_TIERS[usage.trafficType] : undefined;
  if (served) return served;
  if (requested === undefined || requested === null) return 'standard';
  return REQUEST_TIERS[String(requested).toLowerCase()];
}
