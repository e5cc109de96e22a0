import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { UsageEvent } from '../core/event.js';
import { serviceTierOf } from './usage.js';
import type { Tracker } from '../core/tracker.js';
import { describeFailure, type FailureFacts } from './failure.js';
import { NO_TOKENS, observeStream, type Observation } from './observations.js';
import { addResponse, emptyFacts } from './response-facts.js';
import { resolveRetryPolicy, retryDelay, waitBeforeRetry, type ResolvedRetryPolicy } from './retry.js';
import { relayStream } from './stream-relay.js';
import type { EmbeddingUsage, InstrumentationOptions, TrackingContext } from './types.js';
import type { RequestShape } from './call-bounds.js';
import { createBudgetCheck, isRefusal, type BudgetCheck } from './budget-check.js';
import { createHopRecorder, createStreamHopRecorder, type HopRecording } from './hop-recorders.js';

/** One SDK call, as the instrumentation needs to know it. */
export interface CallInfo {
  sdk: '@google/generative-ai' | '@google/genai';
  /** The SDK method: generateContent, sendMessageStream, embedContent ... */
  operation: string;
  model: string;
  /** The request's text, for estimates when Gemini reports no usage. */
  requestText(): string;
  /** The caller's own AbortSignal, to tell its aborts from timeouts. */
  signal?: AbortSignal;
  /** The service tier the request asked for (config.serviceTier), if any. */
  serviceTier?: unknown;
  /** What the request sends and may write: its worst case is reserved on the budgets before it is sent. */
  shape(): RequestShape | Promise<RequestShape>;
  /** The same for one HTTP call of an automatic-function-calling loop, from the parameters the SDK sends (history and tool results included). */
  hopShape?(params: unknown): RequestShape;
}

/** How to take a stream result apart and put it back together around the relay. */
export interface StreamAdapter<T, C> {
  chunks(opened: T): AsyncIterable<C>;
  rebuild(opened: T, relay: AsyncGenerator<C>): T;
  /** Releases the request when the consumer gives the stream up. */
  cancel?(): void;
  /** The whole answer even when the consumer stopped reading, where the SDK still receives it. */
  final?(opened: T): Promise<unknown>;
}

/** Wraps one underlying HTTP call of a multi-call SDK operation, so that it gets a row of its own. */
export type HopRecorder = <R>(httpCall: () => Promise<R>, params?: unknown) => Promise<R>;
/** The same for an HTTP call that answers with a stream: its row is written when that stream ends. */
export type StreamHopRecorder = <C>(httpCall: () => Promise<AsyncIterable<C>>, params?: unknown) => Promise<AsyncIterable<C>>;
/** Runs `work` (and every later read of what it opens) with the SDK's HTTP streams routed through `hop`. */
export type StreamHopScope = <R>(hop: StreamHopRecorder, work: () => R) => R;

export interface Instrumentation {
  readonly tracker: Tracker;
  readonly embeddingUsage: EmbeddingUsage;
  /** Runs `invoke` (with retries), records each attempt, returns the result or rethrows the last error unchanged. */
  unary<T>(context: TrackingContext, call: CallInfo, invoke: () => Promise<T>, observe: (result: T) => Observation | Promise<Observation>): Promise<T>;
  /** Opens a stream (with retries) and records it once, when it ends, fails or is abandoned. */
  stream<T, C>(context: TrackingContext, call: CallInfo, open: () => Promise<T>, adapter: StreamAdapter<T, C>): Promise<T>;
  /**
   * An operation the SDK makes of several HTTP calls (automatic function calling): `invoke` routes
   * each HTTP call through `hop`, and each is recorded as a row of its own (one request_id,
   * metadata.afc_call 1, 2, ...). Not retried: between the calls the SDK runs the caller's tools.
   */
  hops<T>(context: TrackingContext, call: CallInfo, invoke: (hop: HopRecorder) => Promise<T>, observe: (response: unknown) => Observation): Promise<T>;
  /** The streaming form of `hops`: one row per HTTP stream the SDK opens, each written when it ends. */
  streamHops<T, C>(context: TrackingContext, call: CallInfo, open: () => Promise<T>, adapter: StreamAdapter<T, C>, scope: StreamHopScope): Promise<T>;
  /** Waits for the rows still being written (streams that end in the background). */
  flush(): Promise<void>;
}

export interface Attempt {
  requestId: string;
  /** The ledger row's id: also the key of the attempt's budget holds. */
  eventId: string;
  number: number;
  startedAt: Date;
  elapsedMs: number;
  /** What reserving on the budgets took and found, recorded in the row's metadata. */
  budget?: Record<string, unknown>;
}

export interface Outcome extends Observation {
  retryInMs?: number;
}

/** The caller's verdict on a successful result: the error it threw, if it refused it. */
function validationError(context: TrackingContext, result: unknown): Error | undefined {
  try {
    context.validateResult?.(result);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export function createInstrumentation(options: InstrumentationOptions): Instrumentation {
  const { tracker } = options;
  const logger = options.logger ?? console;
  const retry: ResolvedRetryPolicy = resolveRetryPolicy(options.retry);
  const embeddingUsage = options.embeddingUsage ?? 'count_tokens';
  const pending = new Set<Promise<void>>();
  const budgets: BudgetCheck = createBudgetCheck(options.budgets, tracker, (context, call, attempt, outcome) => record(context, call, attempt, outcome));

  function event(context: TrackingContext, call: CallInfo, attempt: Attempt, outcome: Outcome): UsageEvent {
    const { failure } = outcome;
    const serviceTier = serviceTierOf(call.serviceTier, outcome.trafficType ? { trafficType: outcome.trafficType } : undefined);
    return {
      id: attempt.eventId,
      userId: context.userId ?? null,
      section: context.section,
      modelName: call.model,
      ...outcome.tokens,
      responseTimeMs: Math.round(attempt.elapsedMs),
      success: !failure,
      errorMessage: failure?.message ?? null,
      // A tier we do not know is recorded as asked, and priced as standard until someone adds it.
      serviceTier: serviceTier ?? 'standard',
      groundingQueries: outcome.groundingQueries ?? 0,
      billed: outcome.billed ?? true,
      metadata: {
        ...context.metadata,
        sdk: call.sdk,
        operation: call.operation,
        request_id: attempt.requestId,
        attempt: attempt.number,
        usage_source: outcome.usageSource,
        ...outcome.metadata,
        ...(failure ? { error_kind: failure.kind } : {}),
        ...(failure?.httpStatus !== undefined ? { http_status: failure.httpStatus } : {}),
        ...(outcome.retryInMs !== undefined ? { retry_in_ms: outcome.retryInMs } : {}),
        ...(serviceTier === undefined ? { service_tier_requested: String(call.serviceTier) } : {}),
        ...attempt.budget,
      },
      createdAt: attempt.startedAt,
    };
  }

  /** Never throws: the tracker logs its own failures, and ours are logged here. */
  async function record(context: TrackingContext, call: CallInfo, attempt: Attempt, outcome: Outcome): Promise<void> {
    try {
      const result = await tracker.trackSafe(event(context, call, attempt, outcome));
      // No ledger row, so no settle: the holds are given back now rather than at their expiry.
      if (!result.ok && attempt.budget) await budgets.release(attempt.eventId);
    } catch (error) {
      logger.error('[TRACK_ERROR] gemini instrumentation could not record a call', { error, call: { sdk: call.sdk, operation: call.operation, model: call.model } });
    }
  }

  function background(work: Promise<void>): Promise<void> {
    pending.add(work);
    return work.finally(() => pending.delete(work));
  }

  async function observeSafely<T>(call: CallInfo, observe: (result: T) => Observation | Promise<Observation>, result: T): Promise<Observation> {
    try {
      return await observe(result);
    } catch (error) {
      logger.error('[TRACK_ERROR] gemini instrumentation could not read a response; recording it without usage', { error, operation: call.operation });
      return { tokens: NO_TOKENS, usageSource: 'none', metadata: { observe_error: error instanceof Error ? error.message : String(error) } };
    }
  }

  const recording: HopRecording = { record, background, observeSafely, budgets };

  /** Runs attempts of `start` until one succeeds or the failure is final; each failure gets its row. */
  async function attempts<T>(context: TrackingContext, call: CallInfo, start: (attempt: Omit<Attempt, 'elapsedMs'>, t0: number) => Promise<T>): Promise<T> {
    const requestId = randomUUID();
    const bounds = budgets.boundsOnce(call);
    for (let number = 1; ; number++) {
      const attempt: Omit<Attempt, 'elapsedMs'> = { requestId, eventId: randomUUID(), number, startedAt: new Date() };
      let t0 = performance.now();
      try {
        await budgets.reserve(context, call, attempt, bounds);
        t0 = performance.now();
        return await start(attempt, t0);
      } catch (error) {
        if (isRefusal(error)) throw error;
        const failure: FailureFacts = describeFailure(error, call.signal);
        const retryInMs = retryDelay(retry, number, failure);
        await record(context, call, { ...attempt, elapsedMs: performance.now() - t0 }, { tokens: NO_TOKENS, usageSource: 'none', failure, metadata: {}, retryInMs, billed: false });
        if (retryInMs === undefined || !(await waitBeforeRetry(retryInMs, call.signal))) throw error;
      }
    }
  }

  return {
    tracker,
    embeddingUsage,

    async unary(context, call, invoke, observe) {
      const { result, rejection } = await attempts(context, call, async (attempt, t0) => {
        const result = await invoke();
        const elapsedMs = performance.now() - t0;
        const observation = await observeSafely(call, observe, result);
        const rejection = observation.failure ? undefined : validationError(context, result);
        if (rejection) observation.failure = { message: `invalid output: ${rejection.message}`, kind: 'invalid_output' };
        await record(context, call, { ...attempt, elapsedMs }, observation);
        return { result, rejection };
      });
      // Thrown outside the attempts: a rejected answer is recorded once and never retried.
      if (rejection) throw rejection;
      return result;
    },

    stream<T, C>(context: TrackingContext, call: CallInfo, open: () => Promise<T>, adapter: StreamAdapter<T, C>) {
      return attempts(context, call, async (attempt, t0) => {
        const opened = await open();
        const facts = emptyFacts();
        let chunks = 0;
        let firstChunkMs: number | undefined;
        const relay = relayStream<C>(adapter.chunks(opened), {
          onChunk(chunk) {
            firstChunkMs ??= performance.now() - t0;
            chunks += 1;
            addResponse(facts, chunk);
          },
          onEnd: (end) => {
            const elapsedMs = performance.now() - t0;
            const finish = async () => {
              let finalUsage = false;
              if (end.status === 'abandoned' && adapter.final) {
                try {
                  addResponse(facts, await adapter.final(opened));
                  finalUsage = true;
                } catch {
                  // The SDK's aggregate failed too: the usage read so far is all there is (usage_complete: false).
                }
              }
              const observation = observeStream({ facts, status: end.status, chunks, firstChunkMs, finalUsage }, call.model, call.requestText);
              if (end.status === 'failed') observation.failure = describeFailure(end.error, call.signal);
              await record(context, call, { ...attempt, elapsedMs }, observation);
            };
            return background(finish());
          },
          onAbandon: adapter.cancel,
        });
        return adapter.rebuild(opened, relay);
      });
    },

    hops(context, call, invoke, observe) {
      return invoke(createHopRecorder(recording, context, call, observe));
    },

    streamHops<T, C>(context: TrackingContext, call: CallInfo, open: () => Promise<T>, adapter: StreamAdapter<T, C>, scope: StreamHopScope) {
      let abandoned = false;
      const hops = createStreamHopRecorder(recording, context, call, () => abandoned);
      return scope(hops.hop, async () => {
        const opened = await open();
        const relay = relayStream<C>(adapter.chunks(opened), {
          onChunk() {},
          // Each HTTP stream is its own row; the operation ends when they are written.
          onEnd: hops.allWritten,
          onAbandon() {
            abandoned = true;
            adapter.cancel?.();
          },
        });
        return adapter.rebuild(opened, relay);
      });
    },

    async flush() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
