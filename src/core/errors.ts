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
