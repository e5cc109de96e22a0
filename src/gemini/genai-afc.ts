import { AsyncLocalStorage } from 'node:async_hooks';
import type { GenerateContentConfig, Models } from '@google/genai';
import type { HopRecorder, StreamHopRecorder } from './instrumentation.js';

/**
 * Automatic function calling: @google/genai's generateContent(Stream) runs a loop of HTTP calls
 * (model, the caller's tools, model again ...) and returns only the last response (or one stream
 * of them all). To record every call, the client's two HTTP methods are wrapped once; inside a
 * tracked AFC operation (an AsyncLocalStorage scope) each call goes through that operation's recorder.
 * The scope follows whoever reads the SDK's stream, so a streaming operation must be read inside it.
 */
const currentHop = new AsyncLocalStorage<HopRecorder | undefined>();
const currentStreamHop = new AsyncLocalStorage<StreamHopRecorder | undefined>();
const HOOKED = Symbol.for('adminjs-ai-usage.afc-hooked');

type HttpMethod = (params: unknown) => Promise<unknown>;
type Hookable = Record<PropertyKey, unknown> & { generateContentInternal?: HttpMethod; generateContentStreamInternal?: HttpMethod };

/** Wraps the client's generateContent HTTP methods; false when this SDK version has none (one row per operation then). */
export function hookHttpCalls(models: Models): boolean {
  const target = models as unknown as Hookable;
  if (target[HOOKED]) return true;
  const unary = target.generateContentInternal;
  const stream = target.generateContentStreamInternal;
  if (typeof unary !== 'function' || typeof stream !== 'function') return false;
  target.generateContentInternal = function (this: unknown, params: unknown) {
    const hop = currentHop.getStore();
    return hop ? hop(() => unary.call(this, params), params) : unary.call(this, params);
  };
  target.generateContentStreamInternal = function (this: unknown, params: unknown) {
    const hop = currentStreamHop.getStore();
    return hop ? hop(() => stream.call(this, params) as Promise<AsyncIterable<unknown>>, params) : stream.call(this, params);
  };
  target[HOOKED] = true;
  return true;
}

/** Whether the SDK will run its AFC loop for this config: a callable tool, and AFC not disabled. */
export function usesAutomaticFunctionCalling(config: GenerateContentConfig | undefined): boolean {
  const callable = (config?.tools ?? []).some((tool) => typeof (tool as { callTool?: unknown }).callTool === 'function');
  return callable && !config?.automaticFunctionCalling?.disable;
}

/** Runs `work` with its HTTP calls recorded through `hop`. */
export function withHops<T>(hop: HopRecorder, work: () => Promise<T>): Promise<T> {
  return currentHop.run(hop, work);
}

/** Runs `work`, and every read of the streams it opens, with their HTTP streams recorded through `hop`. */
export function withStreamHops<T>(hop: StreamHopRecorder, work: () => T): T {
  return currentStreamHop.run(hop, work);
}

/** Runs `work` outside any AFC scope: a tracked call made from inside a tool records only itself. */
export function outsideHops<T>(work: () => Promise<T>): Promise<T> {
  return currentHop.run(undefined, () => currentStreamHop.run(undefined, work));
}
