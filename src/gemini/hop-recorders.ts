import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { BudgetCheck } from './budget-check.js';
import { isRefusal } from './budget-check.js';
import { describeFailure } from './failure.js';
import type { Attempt, CallInfo, HopRecorder, Outcome, StreamHopRecorder } from './instrumentation.js';
import { observeChunks } from './observed-stream.js';
import { NO_TOKENS, observeStream, type Observation } from './observations.js';
import { addResponse, emptyFacts } from './response-facts.js';
import type { TrackingContext } from './types.js';

/**
 * The recorders of automatic function calling: each HTTP call the SDK makes inside one operation is
 * reserved on the budgets and recorded as a row of its own (one request_id, afc_call 1, 2, ...).
 */

/** What the recorders use of the instrumentation that made them. */
export interface HopRecording {
  record(context: TrackingContext, call: CallInfo, attempt: Attempt, outcome: Outcome): Promise<void>;
  background(work: Promise<void>): Promise<void>;
  observeSafely<T>(call: CallInfo, observe: (result: T) => Observation | Promise<Observation>, result: T): Promise<Observation>;
  budgets: BudgetCheck;
}

/** One HTTP call of an AFC loop, bounded by the parameters the SDK sends in it when they are known. */
function hopCall(call: CallInfo, params: unknown): CallInfo {
  return params !== undefined && call.hopShape ? { ...call, shape: () => call.hopShape!(params) } : call;
}

/** Numbers the hops of one operation and starts each one's attempt. */
function hopCounter() {
  const requestId = randomUUID();
  let calls = 0;
  return () => {
    calls += 1;
    const attempt: Omit<Attempt, 'elapsedMs'> = { requestId, eventId: randomUUID(), number: 1, startedAt: new Date() };
    return { attempt, afc: { afc_call: calls } };
  };
}

/** Unary HTTP calls: each reserved, made, and recorded with the response's usage (or its failure, not billed). */
export function createHopRecorder(recording: HopRecording, context: TrackingContext, call: CallInfo, observe: (response: unknown) => Observation): HopRecorder {
  const { record, observeSafely, budgets } = recording;
  const nextHop = hopCounter();
  return async (httpCall, params) => {
    const { attempt, afc } = nextHop();
    let t0 = performance.now();
    try {
      await budgets.reserve(context, call, attempt, budgets.boundsOnce(hopCall(call, params)));
      t0 = performance.now();
      const response = await httpCall();
      const observation = await observeSafely(call, observe, response);
      await record(context, call, { ...attempt, elapsedMs: performance.now() - t0 }, { ...observation, metadata: { ...observation.metadata, ...afc } });
      return response;
    } catch (error) {
      if (isRefusal(error)) throw error;
      const failure = describeFailure(error, call.signal);
      await record(context, call, { ...attempt, elapsedMs: performance.now() - t0 }, { tokens: NO_TOKENS, usageSource: 'none', failure, metadata: afc, billed: false });
      throw error;
    }
  };
}

/**
 * HTTP calls that answer with a stream: each is recorded when its stream ends, with that stream's
 * latest usage. `abandoned` says whether the consumer gave the operation up: the abort that follows
 * ends the open stream as abandoned, not failed. `allWritten` settles once every opened stream's row is written.
 */
export function createStreamHopRecorder(recording: HopRecording, context: TrackingContext, call: CallInfo, abandoned: () => boolean): { hop: StreamHopRecorder; allWritten(): Promise<void> } {
  const { record, background, budgets } = recording;
  const nextHop = hopCounter();
  const openHops: Promise<void>[] = [];
  const hop: StreamHopRecorder = async <H>(httpCall: () => Promise<AsyncIterable<H>>, params?: unknown) => {
    const { attempt, afc } = nextHop();
    let t0 = performance.now();
    const elapsed = () => ({ ...attempt, elapsedMs: performance.now() - t0 });
    let opened: AsyncIterable<H>;
    try {
      await budgets.reserve(context, call, attempt, budgets.boundsOnce(hopCall(call, params)));
      t0 = performance.now();
      opened = await httpCall();
    } catch (error) {
      if (isRefusal(error)) throw error;
      await record(context, call, elapsed(), { tokens: NO_TOKENS, usageSource: 'none', failure: describeFailure(error, call.signal), metadata: afc, billed: false });
      throw error;
    }
    const facts = emptyFacts();
    let chunks = 0;
    let firstChunkMs: number | undefined;
    let written!: () => void;
    openHops.push(new Promise<void>((resolve) => (written = resolve)));
    return observeChunks(opened, {
      onChunk(chunk) {
        firstChunkMs ??= performance.now() - t0;
        chunks += 1;
        addResponse(facts, chunk);
      },
      async onEnd(end) {
        const status = end.status === 'failed' && abandoned() ? 'abandoned' : end.status;
        const observation = observeStream({ facts, status, chunks, firstChunkMs }, call.model, call.requestText);
        if (end.status === 'failed' && status === 'failed') observation.failure = describeFailure(end.error, call.signal);
        await background(record(context, call, elapsed(), { ...observation, metadata: { ...observation.metadata, ...afc } }));
        written();
      },
    });
  };
  return { hop, allWritten: async () => void (await Promise.all(openHops)) };
}
