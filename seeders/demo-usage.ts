import type { UsageEvent } from '../src/core/event.js';
import type { Random } from './demo-random.js';

interface SectionProfile {
  section: string;
  /** Relative share of the requests. */
  weight: number;
  models: readonly string[];
  promptMedian: number;
  completionMedian: number;
  /** Thinking tokens per completion token, for thinking models. */
  thinkingRatio: number;
  latencyMedianMs: number;
  metadata: (random: Random) => Record<string, unknown>;
}

const PROFILES: readonly SectionProfile[] = [
  { section: 'chat', weight: 40, models: ['gemini-2.5-flash'], promptMedian: 900, completionMedian: 220, thinkingRatio: 0.4, latencyMedianMs: 1100, metadata: (r) => ({ conversation_id: `conv-${r.int(1, 400)}`, message_id: `msg-${r.int(1, 99999)}` }) },
  { section: 'knowledge_qa', weight: 8, models: ['gemini-2.5-pro'], promptMedian: 6000, completionMedian: 1400, thinkingRatio: 1.2, latencyMedianMs: 9000, metadata: (r) => ({ page_id: r.int(1, 120), page_title: r.pick(['Pricing', 'Shipping policy', 'About us', 'FAQ', 'Returns']), content_length: r.int(2000, 40000) }) },
  { section: 'prompt_generation', weight: 5, models: ['gemini-2.5-pro'], promptMedian: 450, completionMedian: 700, thinkingRatio: 1.5, latencyMedianMs: 7000, metadata: (r) => ({ business_type: r.pick(['restaurant', 'dental clinic', 'bookshop', 'gym', 'law firm']), async: r.next() < 0.3 }) },
  { section: 'marketing_workflow', weight: 4, models: ['gemini-2.5-flash'], promptMedian: 1200, completionMedian: 600, thinkingRatio: 0.3, latencyMedianMs: 2500, metadata: (r) => ({ workflow: r.pick(['newsletter', 'social-post', 'campaign-brief']) }) },
  { section: 'product_recommendation', weight: 6, models: ['gemini-2.5-flash', 'gemini-2.5-flash-lite'], promptMedian: 1500, completionMedian: 150, thinkingRatio: 0, latencyMedianMs: 800, metadata: (r) => ({ catalog_size: r.int(50, 5000) }) },
  { section: 'rag_pipeline', weight: 10, models: ['gemini-2.5-flash'], promptMedian: 4000, completionMedian: 300, thinkingRatio: 0.2, latencyMedianMs: 1800, metadata: (r) => ({ retrieved_chunks: r.int(3, 12) }) },
  { section: 'web_knowledge', weight: 4, models: ['gemini-2.5-flash-lite'], promptMedian: 8000, completionMedian: 400, thinkingRatio: 0, latencyMedianMs: 1500, metadata: (r) => ({ url: `https://shop.example.com/${r.pick(['faq', 'about', 'pricing', 'blog'])}` }) },
  { section: 'session_memory', weight: 6, models: ['gemini-2.5-flash-lite'], promptMedian: 2500, completionMedian: 180, thinkingRatio: 0, latencyMedianMs: 700, metadata: (r) => ({ conversation_id: `conv-${r.int(1, 400)}`, summarised_messages: r.int(10, 40) }) },
  { section: 'intent_detection', weight: 9, models: ['gemini-2.5-flash-lite'], promptMedian: 300, completionMedian: 12, thinkingRatio: 0, latencyMedianMs: 350, metadata: (r) => ({ intent: r.pick(['order_status', 'refund', 'product_question', 'small_talk']) }) },
  { section: 'embedding_generation', weight: 8, models: ['gemini-embedding-001'], promptMedian: 350, completionMedian: 0, thinkingRatio: 0, latencyMedianMs: 250, metadata: (r) => ({ usage_source: 'count_tokens', batch_size: r.int(1, 32) }) },
];

const FAILURES: readonly { message: string; status: number }[] = [
  { message: '[429 Too Many Requests] Resource has been exhausted (e.g. check quota).', status: 429 },
  { message: '[500 Internal Server Error] An internal error has occurred. Please retry or report.', status: 500 },
  { message: '[503 Service Unavailable] The model is overloaded. Please try again later.', status: 503 },
  { message: 'Request timed out after 30000 ms', status: 0 },
  { message: 'Candidate was blocked due to SAFETY', status: 200 },
];

const TOTAL_WEIGHT = PROFILES.reduce((sum, p) => sum + p.weight, 0);

function pickProfile(random: Random): SectionProfile {
  let roll = random.next() * TOTAL_WEIGHT;
  for (const profile of PROFILES) {
    roll -= profile.weight;
    if (roll < 0) return profile;
  }
  return PROFILES[0]!;
}

const clampInt = (value: number, max: number) => Math.max(0, Math.min(max, Math.round(value)));

/** One realistic usage event within the last `days` days; about 4% fail, 5% are system work. */
export function demoUsageEvent(random: Random, userIds: readonly number[], days: number, now: Date): UsageEvent {
  const profile = pickProfile(random);
  const ageMs = random.next() * days * 86_400_000;
  const createdAt = new Date(now.getTime() - ageMs);
  // Before the 2.5 migration, six weeks ago, chat still ran on gemini-1.5-flash.
  const legacy = profile.section === 'chat' && ageMs > 42 * 86_400_000;
  const modelName = legacy ? 'gemini-1.5-flash' : random.pick(profile.models);
  const failure = random.next() < 0.04 ? random.pick(FAILURES) : undefined;
  const promptTokens = clampInt(random.logNormal(profile.promptMedian, 0.6), 1_000_000);
  const cachedTokens = random.next() < 0.15 ? clampInt(promptTokens * random.next() * 0.8, promptTokens) : 0;
  const completionTokens = failure ? 0 : clampInt(random.logNormal(Math.max(profile.completionMedian, 1), 0.5), 60_000) * (profile.completionMedian ? 1 : 0);
  const thoughtsTokens = failure || legacy ? 0 : clampInt(completionTokens * profile.thinkingRatio * random.next() * 2, 60_000);
  return {
    userId: random.next() < 0.05 ? null : random.pick(userIds),
    section: profile.section,
    modelName,
    promptTokens: failure && failure.status !== 200 ? 0 : promptTokens,
    cachedTokens: failure && failure.status !== 200 ? 0 : cachedTokens,
    completionTokens,
    thoughtsTokens,
    responseTimeMs: clampInt(random.logNormal(profile.latencyMedianMs, 0.45), 120_000),
    success: !failure,
    errorMessage: failure?.message ?? null,
    metadata: { ...profile.metadata(random), ...(failure ? { http_status: failure.status } : { finish_reason: 'STOP' }) },
    createdAt,
  };
}
