import { inspect } from 'node:util';
import type { Sequelize, Transaction } from 'sequelize';
import { TrackingError, TrackingStorageError, UnknownUserError } from './errors.js';
import { checkCallMaxEventAge, checkMaxEventAge, DEFAULT_MAX_EVENT_AGE_MS, normalizeEvent, type NormalizedEvent, type UsageEvent } from './event.js';
import { createPriceCatalog, type PriceCatalog } from './prices/catalog.js';
import type { CostQuote, CostStatus } from './prices/types.js';
import { createRecordBatcher, type RecordBatcherOptions } from './record-batcher.js';
import { createRecordStatement, type RecordedRow } from './record-event-statement.js';
import { SectionRegistry } from './sections.js';
import { recordOrSpool } from './spool/record-or-spool.js';
import { OWN_USERS, type UserReference } from './users/user-reference.cjs';

export interface TrackerLogger {
  warn(message: string, details: Record<string, unknown>): void;
  error(message: string, details: Record<string, unknown>): void;
}

export interface TrackerOptions {
  sequelize: Sequelize;
  /** Defaults to a registry of the ten built-in sections. */
  sections?: SectionRegistry;
  /** Prices from ai_model_prices; defaults to a catalogue over `sequelize` that rereads the table every 2 s. */
  prices?: PriceCatalog;
  /** Where [TRACK_ERROR] and [TRACK_WARNING] lines go; defaults to the console. */
  logger?: TrackerLogger;
  /** Where trackSafe keeps events while the database cannot take them (src/core/spool); without one they fail. */
  spool?: TrackerSpool;
  /** Where user ids point (their type is checked on every event). Defaults to our own users table. */
  users?: UserReference;
  /**
   * Oldest createdAt accepted, in ms before now: an older event is refused (EventTooOldError) so it
   * cannot debit a closed period. Default 7 days. Spooled events replay whatever their age.
   */
  maxEventAgeMs?: number;
  /** How concurrent events are grouped into record statements (src/core/record-batcher.ts). */
  batching?: RecordBatcherOptions;
}

/** A validated event and, once known, its price: what a spooled event replays, unchanged. */
export interface PreparedEvent {
  event: NormalizedEvent;
  /** null when the prices could not be read (the database was down): priced at replay, by the same createdAt. */
  quote: CostQuote | null;
}

/** The spool as the tracker sees it (EventSpool implements it). */
export interface TrackerSpool {
  /** True while the database is known to be down: trackSafe spools at once instead of waiting for it. */
  readonly outage: boolean;
  /** How long trackSafe waits for the database before spooling. */
  readonly writeTimeoutMs: number;
  /** Stores the event durably, `reason` being why the database could not; rejects (SpoolFullError) when it cannot. */
  append(prepared: PreparedEvent, reason: string): Promise<void>;
}

export interface TrackResult {
  /** `duplicate`: an event with this id and createdAt was already recorded, and nothing changed. */
  status: 'recorded' | 'duplicate';
  id: string;
  /** null exactly when costStatus is `unpriced`. */
  costUsd: string | null;
  costStatus: CostStatus;
  warnings: string[];
  /** The subscription debited, when the user had one active at createdAt. */
  subscription?: { id: number; tokensUsed: number; tokenQuota: number; overQuota: boolean };
}

/** The database could not take the event now; it is in the durable spool and the drainer will record it. */
export interface SpooledResult {
  status: 'spooled';
  id: string;
  /** null when not priced yet (priced at replay). */
  costUsd: string | null;
  warnings: string[];
}

export type SafeTrackResult = ({ ok: true } & (TrackResult | SpooledResult)) | { ok: false; status: 'failed'; error: TrackingError };

export interface TrackOptions {
  /** Record inside the caller's transaction, so the event commits or rolls back with its work. */
  transaction?: Transaction;
  /** A deliberate backfill of older history (a seed, an import): this call's window instead of the tracker's. */
  maxEventAgeMs?: number;
}

export interface Tracker {
  readonly sections: SectionRegistry;
  readonly prices: PriceCatalog;
  /** Validates and records one event in one statement; throws a TrackingError subclass on any failure. */
  track(event: UsageEvent, options?: TrackOptions): Promise<TrackResult>;
  /**
   * Like track, but never throws: failures are logged as [TRACK_ERROR] with the whole event and returned.
   * With a spool, an event the database cannot take now (down, overloaded, timed out) is spooled instead.
   */
  trackSafe(event: UsageEvent, options?: TrackOptions): Promise<SafeTrackResult>;
  /** Records a prepared (spooled) event through the same idempotent statement; `duplicate` when it already was. */
  replay(prepared: PreparedEvent): Promise<TrackResult>;
}


const RETRYABLE_CODES = new Set(['40P01', '40001']); // deadlock, serialization failure
const MAX_ATTEMPTS = 3;

// inspect, not JSON.stringify: the event being reported may be the circular one that was refused.
const describe = (details: Record<string, unknown>) => inspect(details, { depth: 8, breakLength: Infinity });
export const consoleTrackerLogger: TrackerLogger = {
  warn: (message, details) => console.warn(message, describe(details)),
  error: (message, details) => console.error(message, describe(details)),
};

type PgError = { code?: string; constraint?: string; parent?: PgError };

function pgCode(error: unknown): string | undefined {
  const e = error as PgError | undefined;
  return e?.code ?? e?.parent?.code;
}

function pgConstraint(error: unknown): string | undefined {
  const e = error as PgError | undefined;
  return e?.constraint ?? e?.parent?.constraint;
}

function bindValues(event: NormalizedEvent, quote: CostQuote): unknown[] {
  return [
    event.id,
    event.userId,
    event.section,
    event.modelName,
    event.promptTokens,
    event.completionTokens,
    event.thoughtsTokens,
    event.cachedTokens,
    event.totalTokens,
    event.responseTimeMs,
    event.success,
    event.errorMessage,
    event.metadataJson,
    quote.costUsd,
    event.createdAt,
    quote.status,
    event.toolUsePromptTokens,
    event.groundingQueries,
    event.serviceTier,
    event.usageDetails === null ? null : JSON.stringify(event.usageDetails),
    quote.priceId,
  ];
}

export function createTracker(options: TrackerOptions): Tracker {
  const { sequelize } = options;
  const sections = options.sections ?? new SectionRegistry();
  const userIdType = (options.users ?? OWN_USERS).idType;
  const prices = options.prices ?? createPriceCatalog(sequelize);
  const logger = options.logger ?? consoleTrackerLogger;
  const maxEventAgeMs = checkMaxEventAge(options.maxEventAgeMs ?? DEFAULT_MAX_EVENT_AGE_MS);
  const normalize = (input: UsageEvent, trackOptions: TrackOptions) =>
    normalizeEvent(input, sections, new Date(), userIdType, trackOptions.maxEventAgeMs === undefined ? maxEventAgeMs : checkCallMaxEventAge(trackOptions.maxEventAgeMs));

  const statement = createRecordStatement(sequelize, userIdType);
  const batcher = createRecordBatcher(statement, options.batching);

  /** The inserted row, or null when the event was already recorded. */
  async function write(event: NormalizedEvent, quote: CostQuote, transaction?: Transaction): Promise<RecordedRow | null> {
    const values = bindValues(event, quote);
    for (let attempt = 1; ; attempt++) {
      try {
        // Inside a caller's transaction the event goes alone, on that transaction's connection.
        if (transaction) return (await statement.run([values], transaction))[0] ?? null;
        return await batcher.submit(event.id, { id: event.id, values });
      } catch (error) {
        if (pgCode(error) === '23503' && pgConstraint(error) === 'ai_usage_logs_user_id_fkey' && event.userId !== null) {
          throw new UnknownUserError(event.userId);
        }
        // Inside a caller's transaction a failed statement aborts it; only a standalone statement is retried.
        if (!transaction && attempt < MAX_ATTEMPTS && RETRYABLE_CODES.has(pgCode(error) ?? '')) continue;
        throw new TrackingStorageError(error);
      }
    }
  }

  async function quoteOf(event: NormalizedEvent): Promise<CostQuote> {
    if (!event.billed) return { status: 'not_billed', costUsd: '0.000000000000', priceId: null };
    try {
      return (await prices.snapshot()).quote(event.modelName, event.serviceTier, event.createdAt, event);
    } catch (error) {
      throw new TrackingStorageError(error);
    }
  }

  async function record(prepared: PreparedEvent, warnings: string[], transaction?: Transaction): Promise<TrackResult> {
    const { event } = prepared;
    if (!prepared.quote) {
      const quote = await quoteOf(event);
      if (quote.status === 'unpriced') {
        const warning = `no ${event.serviceTier} price for model "${event.modelName}" on ${event.createdAt.toISOString().slice(0, 10)}: recorded as unpriced (cost null) until repriced`;
        warnings.push(warning);
        logger.warn(`[TRACK_WARNING] ${warning}`, { event });
      }
      // Kept on the prepared event: if the write then fails, the spooled copy carries this price.
      prepared.quote = quote;
    }
    const { quote } = prepared;
    const row = await write(event, quote, transaction);
    const result: TrackResult = { status: row ? 'recorded' : 'duplicate', id: event.id, costUsd: quote.costUsd, costStatus: quote.status, warnings };
    if (row && row.subscription_id !== null) {
      const tokensUsed = Number(row.tokens_used);
      const tokenQuota = Number(row.token_quota);
      result.subscription = { id: row.subscription_id, tokensUsed, tokenQuota, overQuota: tokensUsed > tokenQuota };
      // Warn once, on the event that crosses the quota, not on every event after it.
      if (result.subscription.overQuota && tokensUsed - event.totalTokens <= tokenQuota) {
        const warning = `user ${event.userId} went over quota: ${tokensUsed} of ${tokenQuota} tokens`;
        warnings.push(warning);
        logger.warn(`[TRACK_WARNING] ${warning}`, { event });
      }
    }
    return result;
  }

  async function track(input: UsageEvent, trackOptions: TrackOptions = {}): Promise<TrackResult> {
    return record({ event: normalize(input, trackOptions), quote: null }, [], trackOptions.transaction);
  }

  function failed(caught: unknown, input: UsageEvent): SafeTrackResult {
    const error = caught instanceof TrackingError ? caught : new TrackingStorageError(caught);
    const message = `[TRACK_ERROR] ${error.code}: ${error.message}`;
    try {
      logger.error(message, { event: input });
    } catch (loggerFailure) {
      consoleTrackerLogger.error(message, { event: input, loggerFailure });
    }
    return { ok: false, status: 'failed', error };
  }

  async function trackSafe(input: UsageEvent, trackOptions: TrackOptions = {}): Promise<SafeTrackResult> {
    try {
      // Validation comes first: an event refused on its merits is never spooled.
      const prepared: PreparedEvent = { event: normalize(input, trackOptions), quote: null };
      const warnings: string[] = [];
      const store = () => record(prepared, warnings, trackOptions.transaction);
      // Inside a caller's transaction the event must commit or roll back with it: never spooled.
      if (!options.spool || trackOptions.transaction) return { ok: true, ...(await store()) };
      return { ok: true, ...(await recordOrSpool(options.spool, prepared, warnings, store)) };
    } catch (caught) {
      return failed(caught, input);
    }
  }

  // Validated (the age window included) when it was spooled: a long outage must not make it too old now.
  const replay = (prepared: PreparedEvent) => record(prepared, []);

  return { sections, prices, track, trackSafe, replay };
}
