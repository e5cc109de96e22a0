import { randomUUID } from 'node:crypto';
import { EventTooOldError, InvalidEventError } from './errors.js';
import { normalizeModelName } from './pricing.js';
import { SERVICE_TIERS, type ServiceTier, type UsageDetails } from './prices/types.js';
import type { SectionRegistry } from './sections.js';
import { checkUserId, type UserId } from './users/user-id.js';
import type { UserReference } from './users/user-reference.cjs';

/** One AI request (attempt) as a caller reports it. Only `section` and `responseTimeMs` are required. */
export interface UsageEvent {
  /** Idempotency key, with createdAt (the log is partitioned by it): replaying the same id and createdAt changes nothing. Generated when absent. */
  id?: string;
  /** The user the request was made for; null or absent for system work. */
  userId?: UserId | null;
  section: string;
  /** Defaults to the section's default model. */
  modelName?: string;
  /** Gemini promptTokenCount: includes cached tokens. */
  promptTokens?: number;
  /** Gemini candidatesTokenCount. */
  completionTokens?: number;
  /** Gemini thoughtsTokenCount, billed at the output rate. */
  thoughtsTokens?: number;
  /** Gemini cachedContentTokenCount, a part of promptTokens. */
  cachedTokens?: number;
  /** Gemini toolUsePromptTokenCount: tool results fed back, billed as input, outside promptTokens. */
  toolUsePromptTokens?: number;
  /** Gemini totalTokenCount; computed from the parts when absent. */
  totalTokens?: number;
  /** Modality breakdown (promptTokensDetails, cacheTokensDetails, candidatesTokensDetails, toolUsePromptTokensDetails). */
  usageDetails?: UsageDetails | null;
  /** standard (default), flex, batch or priority: each has its own price. */
  serviceTier?: ServiceTier;
  /** Search queries run for grounding (groundingMetadata.webSearchQueries). */
  groundingQueries?: number;
  /** false: Gemini bills nothing for this attempt (it failed before any response); cost_status not_billed. */
  billed?: boolean;
  responseTimeMs: number;
  /** Defaults to true. */
  success?: boolean;
  errorMessage?: string | null;
  metadata?: Record<string, unknown>;
  /** When the call happened; a replay must carry the same value. Defaults to now. */
  createdAt?: Date | string;
}

/** A validated event with every column decided, ready to be written. */
export interface NormalizedEvent {
  id: string;
  userId: UserId | null;
  section: string;
  modelName: string;
  promptTokens: number;
  completionTokens: number;
  thoughtsTokens: number;
  cachedTokens: number;
  totalTokens: number;
  toolUsePromptTokens: number;
  usageDetails: UsageDetails | null;
  serviceTier: ServiceTier;
  groundingQueries: number;
  billed: boolean;
  responseTimeMs: number;
  success: boolean;
  errorMessage: string | null;
  /** Serialized JSON, checked against the size cap. */
  metadataJson: string;
  createdAt: Date;
}

/** Gemini's largest context is 2M tokens; anything far above is a unit or parsing error. */
export const MAX_TOKENS_PER_FIELD = 10_000_000;
/** One hour: longer than any Gemini call or stream we would keep open. */
export const MAX_RESPONSE_TIME_MS = 3_600_000;
export const MAX_METADATA_BYTES = 16 * 1024;
export const MAX_ERROR_MESSAGE_CHARS = 16 * 1024;
const MAX_MODEL_NAME_CHARS = 200;
/** How far ahead of this process's clock a createdAt may be (the caller's clock may run a little fast). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Default oldest createdAt a tracker accepts: 7 days (TrackerOptions.maxEventAgeMs). */
export const DEFAULT_MAX_EVENT_AGE_MS = 7 * 86_400_000;
/** Largest window a tracker may be given: 100 years, so every accepted date is one PostgreSQL can store. */
export const MAX_EVENT_AGE_LIMIT_MS = 100 * 365 * 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUL = '\u0000';

function count(field: string, value: unknown, max: number): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidEventError(field, `must be a finite number, got ${String(value)}`);
  if (!Number.isInteger(value)) throw new InvalidEventError(field, `must be a whole number, got ${value}`);
  if (value < 0) throw new InvalidEventError(field, `must not be negative, got ${value}`);
  if (value > max) throw new InvalidEventError(field, `${value} exceeds the limit of ${max}`);
  return value;
}

/** Throws unless `value` survives JSON.stringify and JSON.parse unchanged and fits in jsonb. */
function assertJsonValue(value: unknown, path: string, seen: Set<object>): void {
  switch (typeof value) {
    case 'string':
      if (value.includes(NUL)) throw new InvalidEventError(path, 'contains a NUL character, which PostgreSQL cannot store');
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidEventError(path, `${value} is not representable in JSON`);
      return;
    case 'object': {
      if (value === null) return;
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new InvalidEventError(path, 'is an invalid Date');
        return;
      }
      if (seen.has(value)) throw new InvalidEventError(path, 'is a circular reference');
      const proto = Object.getPrototypeOf(value);
      if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
        throw new InvalidEventError(path, `is a ${proto?.constructor?.name ?? 'non-plain'} object, not plain JSON`);
      }
      seen.add(value);
      for (const [key, child] of Object.entries(value)) {
        if (key.includes(NUL)) throw new InvalidEventError(path, 'has a key with a NUL character');
        assertJsonValue(child, `${path}.${key}`, seen);
      }
      seen.delete(value);
      return;
    }
    default:
      throw new InvalidEventError(path, `a ${typeof value} is not JSON-serialisable`);
  }
}

function metadataJson(metadata: unknown): string {
  if (metadata === undefined || metadata === null) return '{}';
  if (typeof metadata !== 'object' || Array.isArray(metadata)) throw new InvalidEventError('metadata', 'must be a plain object');
  assertJsonValue(metadata, 'metadata', new Set());
  const json = JSON.stringify(metadata);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_METADATA_BYTES) throw new InvalidEventError('metadata', `is ${bytes} bytes as JSON, over the ${MAX_METADATA_BYTES}-byte cap`);
  return json;
}

const MAX_EVENT_AGE_RULE = `a whole number of milliseconds from 1 to ${MAX_EVENT_AGE_LIMIT_MS} (100 years)`;
const isMaxEventAge = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= MAX_EVENT_AGE_LIMIT_MS;

/** The tracker's window (createTracker's maxEventAgeMs): a bad one is a configuration error (TypeError). */
export function checkMaxEventAge(value: unknown, name = 'maxEventAgeMs'): number {
  if (!isMaxEventAge(value)) throw new TypeError(`${name} must be ${MAX_EVENT_AGE_RULE}, got ${String(value)}`);
  return value;
}

/** One call's own window (track's maxEventAgeMs option): a bad one is that call's INVALID_EVENT, which trackSafe reports and never spools. */
export function checkCallMaxEventAge(value: unknown): number {
  if (!isMaxEventAge(value)) throw new InvalidEventError('maxEventAgeMs', `must be ${MAX_EVENT_AGE_RULE}, got ${String(value)}`);
  return value;
}

function createdAt(value: unknown, now: Date, maxEventAgeMs: number): Date {
  if (value === undefined || value === null) return now;
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new InvalidEventError('createdAt', `is not a valid date: ${String(value)}`);
  if (date.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) throw new InvalidEventError('createdAt', `${date.toISOString()} is in the future (more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead)`);
  if (date.getTime() < now.getTime() - maxEventAgeMs) throw new EventTooOldError(date, maxEventAgeMs);
  return date;
}

function errorMessage(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new InvalidEventError('errorMessage', 'must be a string');
  const clean = value.replaceAll(NUL, '');
  return clean.length > MAX_ERROR_MESSAGE_CHARS ? `${clean.slice(0, MAX_ERROR_MESSAGE_CHARS)}… [truncated]` : clean;
}

const DETAIL_KINDS = ['prompt', 'cache', 'candidates', 'toolUse'] as const;
const MODALITY = /^[A-Z_]{1,40}$/;

/** The modality breakdown, checked: known kinds, modality names in Gemini's spelling, token counts. */
function usageDetails(value: unknown): UsageDetails | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidEventError('usageDetails', 'must be an object');
  const details: UsageDetails = {};
  for (const [kind, counts] of Object.entries(value)) {
    if (!(DETAIL_KINDS as readonly string[]).includes(kind)) throw new InvalidEventError('usageDetails', `has an unknown kind "${kind}" (${DETAIL_KINDS.join(', ')})`);
    if (typeof counts !== 'object' || counts === null || Array.isArray(counts)) throw new InvalidEventError(`usageDetails.${kind}`, 'must map modalities to token counts');
    const checked: Record<string, number> = {};
    for (const [modality, tokens] of Object.entries(counts)) {
      if (!MODALITY.test(modality)) throw new InvalidEventError(`usageDetails.${kind}`, `has an invalid modality "${modality}"`);
      checked[modality] = count(`usageDetails.${kind}.${modality}`, tokens, MAX_TOKENS_PER_FIELD);
    }
    details[kind as (typeof DETAIL_KINDS)[number]] = checked;
  }
  return Object.keys(details).length > 0 ? details : null;
}

function serviceTier(value: unknown): ServiceTier {
  if (value === undefined || value === null) return 'standard';
  if (!SERVICE_TIERS.includes(value as ServiceTier)) throw new InvalidEventError('serviceTier', `must be one of ${SERVICE_TIERS.join(', ')}, got ${String(value)}`);
  return value as ServiceTier;
}

/**
 * Validates a caller's event and decides every column; throws InvalidEventError (EventTooOldError
 * for a createdAt more than `maxEventAgeMs` before `now`) or UnknownSectionError.
 */
export function normalizeEvent(
  event: UsageEvent,
  sections: SectionRegistry,
  now = new Date(),
  userIdType: UserReference['idType'] = 'integer',
  maxEventAgeMs = DEFAULT_MAX_EVENT_AGE_MS,
): NormalizedEvent {
  if (typeof event !== 'object' || event === null) throw new InvalidEventError('event', 'must be an object');
  if (typeof event.section !== 'string') throw new InvalidEventError('section', 'is required');
  const section = sections.get(event.section);

  const id = event.id ?? randomUUID();
  if (typeof id !== 'string' || !UUID.test(id)) throw new InvalidEventError('id', `must be a uuid, got ${String(id)}`);

  const userId = event.userId === undefined || event.userId === null ? null : checkUserId(event.userId, userIdType);

  if (event.modelName !== undefined && typeof event.modelName !== 'string') throw new InvalidEventError('modelName', 'must be a string');
  const modelName = normalizeModelName(event.modelName ?? section.defaultModel);
  if (!modelName || modelName.length > MAX_MODEL_NAME_CHARS || modelName.includes(NUL)) {
    throw new InvalidEventError('modelName', `must be 1 to ${MAX_MODEL_NAME_CHARS} characters`);
  }

  const promptTokens = count('promptTokens', event.promptTokens, MAX_TOKENS_PER_FIELD);
  const completionTokens = count('completionTokens', event.completionTokens, MAX_TOKENS_PER_FIELD);
  const thoughtsTokens = count('thoughtsTokens', event.thoughtsTokens, MAX_TOKENS_PER_FIELD);
  const cachedTokens = count('cachedTokens', event.cachedTokens, MAX_TOKENS_PER_FIELD);
  const toolUsePromptTokens = count('toolUsePromptTokens', event.toolUsePromptTokens, MAX_TOKENS_PER_FIELD);
  const parts = promptTokens + toolUsePromptTokens + completionTokens + thoughtsTokens;
  const totalTokens = event.totalTokens === undefined || event.totalTokens === null ? parts : count('totalTokens', event.totalTokens, 4 * MAX_TOKENS_PER_FIELD);
  if (cachedTokens > promptTokens) throw new InvalidEventError('cachedTokens', `${cachedTokens} exceeds promptTokens ${promptTokens}, which include them`);
  if (totalTokens < parts) throw new InvalidEventError('totalTokens', `${totalTokens} is lower than prompt + tool use + completion + thoughts = ${parts}`);
  if (event.billed !== undefined && typeof event.billed !== 'boolean') throw new InvalidEventError('billed', 'must be a boolean');

  if (event.responseTimeMs === undefined || event.responseTimeMs === null) throw new InvalidEventError('responseTimeMs', 'is required');
  const responseTimeMs = count('responseTimeMs', event.responseTimeMs, MAX_RESPONSE_TIME_MS);

  if (event.success !== undefined && typeof event.success !== 'boolean') throw new InvalidEventError('success', 'must be a boolean');

  return {
    id: id.toLowerCase(),
    userId,
    section: section.id,
    modelName,
    promptTokens,
    completionTokens,
    thoughtsTokens,
    cachedTokens,
    totalTokens,
    toolUsePromptTokens,
    usageDetails: usageDetails(event.usageDetails),
    serviceTier: serviceTier(event.serviceTier),
    groundingQueries: count('groundingQueries', event.groundingQueries, MAX_TOKENS_PER_FIELD),
    billed: event.billed ?? true,
    responseTimeMs,
    success: event.success ?? true,
    errorMessage: errorMessage(event.errorMessage),
    metadataJson: metadataJson(event.metadata),
    createdAt: createdAt(event.createdAt, now, maxEventAgeMs),
  };
}
