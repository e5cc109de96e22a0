import type { Tracker, TrackerLogger } from '../core/tracker.js';
import type { RetryPolicy } from './retry.js';
import type { UserId } from '../core/users/user-id.js';
import type { BudgetGate } from '../core/budgets/budget-gate.js';

/** Who and what a Gemini call is for: copied into every row the call writes. */
export interface TrackingContext {
  /** The user the call is made for; null or absent for system work. */
  userId?: UserId | null;
  /** Section the usage is recorded under; must be registered with the tracker. */
  section: string;
  /** Merged into every row's metadata, e.g. `{ conversation_id }`. */
  metadata?: Record<string, unknown>;
  /**
   * Checks a successful result of a unary call (not a stream) before it is recorded. A throw
   * (e.g. the model's JSON does not parse) records the call as failed with that reason, tokens
   * kept since they were billed, and the error reaches the caller instead of the result.
   */
  validateResult?: (result: unknown) => void;
}

/** How embedding calls, which Gemini reports no usage for, get their prompt tokens. */
export type EmbeddingUsage = 'count_tokens' | 'estimate';

export interface InstrumentationOptions {
  /** Records every call (trackSafe: a tracking failure is logged, never thrown). */
  tracker: Tracker;
  /** Retries with exponential backoff; none when absent or false. */
  retry?: RetryPolicy | false;
  /** `count_tokens` (default): a countTokens call alongside each embedding call; `estimate`: characters / 4. */
  embeddingUsage?: EmbeddingUsage;
  /**
   * Budgets enforced before each call (src/core/budgets): the call's worst case is reserved first,
   * and a call that does not fit is refused with BudgetExceededError, never sent. None when absent.
   */
  budgets?: BudgetGate;
  /** Where the instrumentation reports its own unexpected failures; defaults to the console. */
  logger?: Pick<TrackerLogger, 'error'>;
}

/** Where a row's token counts come from, recorded as metadata.usage_source. */
export type UsageSource = 'response' | 'partial_stream' | 'count_tokens' | 'estimated' | 'none';
