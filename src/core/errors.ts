/** Base class of every error the tracking core throws on purpose. `code` is stable for callers. */
export class TrackingError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The event itself is malformed: a field has a value the ledger must not store. */
export class InvalidEventError extends TrackingError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('INVALID_EVENT', `${field}: ${message}`);
  }
}

/**
 * createdAt lies before the tracker's window (maxEventAgeMs, default 7 days): a late or forged event
 * must not debit a period that is already closed. Still an INVALID_EVENT on the field createdAt.
 */
export class EventTooOldError extends InvalidEventError {
  constructor(
    readonly createdAt: Date,
    readonly maxEventAgeMs: number,
  ) {
    super('createdAt', `${createdAt.toISOString()} is older than the ${describeAge(maxEventAgeMs)} window the tracker accepts`);
  }
}

function describeAge(ms: number): string {
  const days = ms / 86_400_000;
  if (Number.isInteger(days)) return `${days}-day`;
  return `${Math.round(ms / 1000)}-second`;
}

export class UnknownSectionError extends TrackingError {
  constructor(readonly section: string) {
    super('UNKNOWN_SECTION', `section "${section}" is not registered`);
  }
}

export class UnknownUserError extends TrackingError {
  constructor(readonly userId: number | string) {
    super('UNKNOWN_USER', `user ${userId} does not exist`);
  }
}

export class DuplicateSectionError extends TrackingError {
  constructor(readonly section: string) {
    super('DUPLICATE_SECTION', `section "${section}" is already registered`);
  }
}

/** The database refused or failed the write; nothing of the event was stored. */
export class TrackingStorageError extends TrackingError {
  constructor(cause: unknown) {
    super('STORAGE_FAILED', `could not store the event: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}

/** The spool reached AI_USAGE_SPOOL_MAX_MB (or its disk is full) while the database was down: the event was not stored. */
export class SpoolFullError extends TrackingError {
  constructor(message: string) {
    super('SPOOL_FULL', message);
  }
}

/** The budget that refused a call and its state at that moment (src/core/budgets). Money in exact USD strings. */
export interface BudgetRefusal {
  budgetId: number;
  budgetName: string;
  /** `limit`: the worst case did not fit; `unpriced`: the model has no price, so a USD limit cannot be checked. */
  reason: 'limit' | 'unpriced';
  limitUsd: string | null;
  limitTokens: string | null;
  usedUsd: string;
  usedTokens: string;
  reservedUsd: string;
  reservedTokens: string;
  /** The call's worst case that did not fit (null USD: unpriced model). */
  holdUsd: string | null;
  holdTokens: string;
  periodStart: Date;
  /** When the period ends and the budget starts again. */
  resetsAt: Date;
}

/** An enforced budget has no room for the call's worst case: the call was not sent (HTTP 429 budget_exceeded). */
export class BudgetExceededError extends TrackingError {
  readonly budget: { id: number; name: string };
  readonly limit: { usd: string | null; tokens: string | null };
  readonly used: { usd: string; tokens: string };
  readonly reserved: { usd: string; tokens: string };
  readonly resetsAt: Date;

  constructor(readonly refusal: BudgetRefusal) {
    const limit = [refusal.limitUsd !== null ? `$${refusal.limitUsd}` : null, refusal.limitTokens !== null ? `${refusal.limitTokens} tokens` : null].filter(Boolean).join(' and ');
    const why =
      refusal.reason === 'unpriced'
        ? 'the model has no price, so its cost cannot be checked against the USD limit'
        : `used $${refusal.usedUsd} / ${refusal.usedTokens} tokens, reserved $${refusal.reservedUsd} / ${refusal.reservedTokens} tokens, this call may cost up to $${refusal.holdUsd ?? '?'} / ${refusal.holdTokens} tokens`;
    super('BUDGET_EXCEEDED', `budget "${refusal.budgetName}" (${limit}) has no room for this call: ${why}; it resets at ${refusal.resetsAt.toISOString()}`);
    this.budget = { id: refusal.budgetId, name: refusal.budgetName };
    this.limit = { usd: refusal.limitUsd, tokens: refusal.limitTokens };
    this.used = { usd: refusal.usedUsd, tokens: refusal.usedTokens };
    this.reserved = { usd: refusal.reservedUsd, tokens: refusal.reservedTokens };
    this.resetsAt = refusal.resetsAt;
  }
}

/** PostgreSQL could not be reached to reserve the call on its budgets, and the policy is fail-closed: the call was not sent (HTTP 503). */
export class BudgetUnavailableError extends TrackingError {
  constructor(cause: unknown) {
    super('BUDGET_UNAVAILABLE', `the call was not sent: its budgets could not be checked (${cause instanceof Error ? cause.message : String(cause)}); AI_USAGE_BUDGET_FAIL_MODE=closed`, { cause });
  }
}
