import { AsyncLocalStorage } from 'node:async_hooks';
import type { GenerateContentConfig, Models } from '@google/genai';
import type { HopRecorder } from './instrumentation.js';

/**
 * Automatic function calling: @google/genai's generateContent runs a loop of HTTP calls (model,
 * the caller's tools, model again ...) and returns only the last response. To record every call,
 * the client's one HTTP method for generateContent is wrapped once; inside a tracked AFC operation
 * (an AsyncLocalStorage scope) each call goes through that operation's HopRecorder.
 */
const currentHop = new AsyncLocalStorage<HopRecorder | undefined>();
const HOOKED = Symbol.for('adminjs-ai-usage.afc-hooked');

type HttpMethod = (params: unknown) => Promise<unknown>;
type Hookable = Record<PropertyKey, unknown> & { generateContentInternal?: HttpMethod };

/** Wraps the client's generateContent HTTP method; false when this SDK version has none (one row per operation then). */
export function hookHttpCalls(models: Models): boolean {
  const target = models as unknown as Hookable;
  if (target[HOOKED]) return true;
  const original = target.generateContentInternal;
  if (typeof original !== 'function') return false;
  target.generateContentInternal = function (this: unknown, params: unknown) {
    const hop = currentHop.getStore();
    return hop ? hop(() => original.call(this, params)) : original.call(this, params);
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

/** Runs `work` outside any AFC scope: a tracked call made from inside a tool records only itself. */
export function outsideHops<T>(work: () => Promise<T>): Promise<T> {
  return currentHop.run(undefined, work);
}
