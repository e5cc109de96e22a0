import { setTimeout as sleep } from 'node:timers/promises';
import type { FailureFacts } from './failure.js';

/** Retries of failed Gemini calls; every attempt is its own ledger row. */
export interface RetryPolicy {
  /** Attempts in all, the first included; 1 means no retry. Default 3. */
  attempts?: number;
  /** Wait before the first retry, doubled before each next one. Default 1000 ms. */
  initialDelayMs?: number;
  /** Upper bound of any wait, a server's RetryInfo delay included (tests set it low). Default 60000 ms. */
  maxDelayMs?: number;
  /** HTTP statuses worth another attempt. Default 408, 429, 500, 502, 503, 504. */
  retryOn?: readonly number[];
  /** Spread each backoff wait randomly over 50-100% of it, so clients do not retry in step. Default true. */
  jitter?: boolean;
}

export type ResolvedRetryPolicy = Required<RetryPolicy>;

export const NO_RETRY: ResolvedRetryPolicy = { attempts: 1, initialDelayMs: 0, maxDelayMs: 0, retryOn: [], jitter: false };

export function resolveRetryPolicy(policy: RetryPolicy | false | undefined): ResolvedRetryPolicy {
  if (!policy) return NO_RETRY;
  const resolved: ResolvedRetryPolicy = {
    attempts: policy.attempts ?? 3,
    initialDelayMs: policy.initialDelayMs ?? 1000,
    maxDelayMs: policy.maxDelayMs ?? 60_000,
    retryOn: policy.retryOn ?? [408, 429, 500, 502, 503, 504],
    jitter: policy.jitter ?? true,
  };
  if (!Number.isInteger(resolved.attempts) || resolved.attempts < 1) throw new TypeError(`gemini retry: attempts must be a positive integer, got ${resolved.attempts}`);
  for (const key of ['initialDelayMs', 'maxDelayMs'] as const) {
    if (!Number.isFinite(resolved[key]) || resolved[key] < 0) throw new TypeError(`gemini retry: ${key} must be a non-negative number, got ${resolved[key]}`);
  }
  return resolved;
}

/**
 * The wait before the attempt after `attempt` (1-based), or undefined when there is none: the
 * failure is not retryable or the attempts are used up. A server's RetryInfo delay is honoured
 * in place of the backoff, within maxDelayMs.
 */
export function retryDelay(policy: ResolvedRetryPolicy, attempt: number, failure: FailureFacts): number | undefined {
  if (attempt >= policy.attempts || failure.httpStatus === undefined || !policy.retryOn.includes(failure.httpStatus)) return undefined;
  if (failure.retryDelayMs !== undefined) return Math.min(failure.retryDelayMs, policy.maxDelayMs);
  const backoff = policy.initialDelayMs * 2 ** (attempt - 1);
  const spread = policy.jitter ? backoff * (0.5 + Math.random() / 2) : backoff;
  return Math.round(Math.min(spread, policy.maxDelayMs));
}

/** Waits `ms`; false when the caller's signal aborted the wait. */
export async function waitBeforeRetry(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return false;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch (error) {
    if (signal?.aborted) return false;
    throw error;
  }
}
