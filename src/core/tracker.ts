import { inspect } from 'node:util';
import type { Sequelize, Transaction } from 'sequelize';
import { TrackingError, TrackingStorageError, UnknownUserError } from './errors.js';
import { normalizeEvent, type NormalizedEvent, type UsageEvent } from './event.js';
import { createPriceCatalog, type PriceCatalog } from './prices/catalog.js';
import type { CostQuote, CostStatus } from './prices/types.js';
import { runRecordStatement, type RecordRow } from './record-event-statement.js';
import { SectionRegistry } from './sections.js';

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
}

export interface TrackResult {
  /** `duplicate`: an event with this id was already recorded, and nothing changed. */
  status: 'recorded' | 'duplicate';
  id: string;
  /** null exactly when costStatus is `unpriced`. */
  costUsd: string | null;
  costStatus: CostStatus;
  warnings: string[];
  /** The subscription debited, when the user had one active at createdAt. */
  subscription?: { id: number; tokensUsed: number; tokenQuota: number; overQuota: boolean };
}

export type SafeTrackResult = ({ ok: true } & TrackResult) | { ok: false; status: 'failed'; error: TrackingError };

export interface TrackOptions {
  /** Record inside the caller's transaction, so the event commits or rolls back with its work. */
  transaction?: Transaction;
}

export interface Tracker {
  readonly sections: SectionRegistry;
  readonly prices: PriceCatalog;
  /** Validates and records one event in one statement; throws a TrackingError subclass on any failure. */
  track(event: UsageEvent, options?: TrackOptions): Promise<TrackResult>;
  /** Like track, but never throws: failures are logged as [TRACK_ERROR] with the whole event and returned. */
  trackSafe(event: UsageEvent, options?: TrackOptions): Promise<SafeTrackResult>;
}


const RETRYABLE_CODES = new Set(['40P01', '40001']); // deadlock, serialization failure
const MAX_ATTEMPTS = 3;

// inspect, not JSON.stringify: the event being reported may be the circular one that was refused.
const describe = (details: Record<string, unknown>) => inspect(details, { depth: 8, breakLength: Infinity });
const consoleLogger: TrackerLogger = {
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
  const prices = options.prices ?? createPriceCatalog(sequelize);
  const logger = options.logger ?? consoleLogger;

  async function write(event: NormalizedEvent, quote: CostQuote, transaction?: Transaction): Promise<RecordRow> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await runRecordStatement(sequelize, bindValues(event, quote), transaction);
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
    if (!event.billed) return { status: 'not_billed', costUsd: '0', priceId: null };
    try {
      return (await prices.snapshot()).quote(event.modelName, event.serviceTier, event.createdAt, event);
    } catch (error) {
      throw new TrackingStorageError(error);
    }
  }

  async function track(input: UsageEvent, trackOptions: TrackOptions = {}): Promise<TrackResult> {
    const event = normalizeEvent(input, sections);
    const warnings: string[] = [];
    const quote = await quoteOf(event);
    if (quote.status === 'unpriced') {
      const warning = `no ${event.serviceTier} price for model "${event.modelName}" on ${event.createdAt.toISOString().slice(0, 10)}: recorded as unpriced (cost null) until repriced`;
      warnings.push(warning);
      logger.warn(`[TRACK_WARNING] ${warning}`, { event: input });
    }
    const row = await write(event, quote, trackOptions.transaction);
    const result: TrackResult = { status: row.inserted === 1 ? 'recorded' : 'duplicate', id: event.id, costUsd: quote.costUsd, costStatus: quote.status, warnings };
    if (row.subscription_id !== null) {
      const tokensUsed = Number(row.tokens_used);
      const tokenQuota = Number(row.token_quota);
      result.subscription = { id: row.subscription_id, tokensUsed, tokenQuota, overQuota: tokensUsed > tokenQuota };
      // Warn once, on the event that crosses the quota, not on every event after it.
      if (result.subscription.overQuota && tokensUsed - event.totalTokens <= tokenQuota) {
        const warning = `user ${event.userId} went over quota: ${tokensUsed} of ${tokenQuota} tokens`;
        warnings.push(warning);
        logger.warn(`[TRACK_WARNING] ${warning}`, { event: input });
      }
    }
    return result;
  }

  async function trackSafe(input: UsageEvent, trackOptions: TrackOptions = {}): Promise<SafeTrackResult> {
    try {
      return { ok: true, ...(await track(input, trackOptions)) };
    } catch (caught) {
      const error = caught instanceof TrackingError ? caught : new TrackingStorageError(caught);
      const message = `[TRACK_ERROR] ${error.code}: ${error.message}`;
      try {
        logger.error(message, { event: input });
      } catch (loggerFailure) {
        consoleLogger.error(message, { event: input, loggerFailure });
      }
      return { ok: false, status: 'failed', error };
    }
  }

  return { sections, prices, track, trackSafe };
}
