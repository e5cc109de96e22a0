import type { Chat, Chats, CreateChatParameters, GenerateContentConfig, GenerateContentResponse, GoogleGenAI, Models } from '@google/genai';
import { embeddingUsage } from './embeddings.js';
import type { CallInfo, Instrumentation, StreamAdapter } from './instrumentation.js';
import { observeCount, observeResponse } from './observations.js';
import { collectText } from './text.js';
import type { TrackingContext } from './types.js';

const SDK = '@google/genai';
type Chunks = AsyncGenerator<GenerateContentResponse>;

function callInfo(operation: string, model: string, request: unknown, signal?: AbortSignal): CallInfo {
  return { sdk: SDK, operation, model, requestText: () => collectText(request), signal };
}

/**
 * The config to stream with: the caller's, plus a signal of ours so that a stream the consumer
 * abandons closes its connection. The caller's own signal still aborts it.
 */
function cancellable(config: GenerateContentConfig | undefined): { config: GenerateContentConfig; adapter: StreamAdapter<Chunks, GenerateContentResponse> } {
  const controller = new AbortController();
  const signal = config?.abortSignal ? AbortSignal.any([config.abortSignal, controller.signal]) : controller.signal;
  return {
    config: { ...config, abortSignal: signal },
    adapter: { chunks: (opened) => opened, rebuild: (_opened, relay) => relay, cancel: () => controller.abort() },
  };
}

function trackModels(models: Models, context: TrackingContext, instrumentation: Instrumentation): Models {
  const tracked = Object.create(models) as Models;
  tracked.generateContent = (params) => {
    const call = callInfo('generateContent', params.model, params.contents, params.config?.abortSignal);
    return instrumentation.unary(context, call, () => models.generateContent(params), (response) => observeResponse(response, call.model, call.requestText));
  };
  tracked.generateContentStream = (params) => {
    const { config, adapter } = cancellable(params.config);
    const call = callInfo('generateContentStream', params.model, params.contents, params.config?.abortSignal);
    return instrumentation.stream(context, call, () => models.generateContentStream({ ...params, config }), adapter);
  };
  tracked.countTokens = (params) =>
    instrumentation.unary(context, callInfo('countTokens', params.model, params.contents, params.config?.abortSignal), () => models.countTokens(params), observeCount);
  tracked.embedContent = (params) => {
    const call = callInfo('embedContent', params.model, params.contents, params.config?.abortSignal);
    const inputs = Array.isArray(params.contents) ? params.contents.length : 1;
    const count = async () => (await models.countTokens({ model: params.model, contents: params.contents })).totalTokens ?? Number.NaN;
    const observe = embeddingUsage(instrumentation.embeddingUsage, count, call.requestText, inputs);
    return instrumentation.unary(context, call, () => models.embedContent(params), observe);
  };
  return tracked;
}

/** Tracks sendMessage and sendMessageStream of a Chat; history and the rest are the chat's own. */
function trackChat(chat: Chat, created: CreateChatParameters, context: TrackingContext, instrumentation: Instrumentation): Chat {
  const tracked = Object.create(chat) as Chat;
  tracked.sendMessage = (params) => {
    const call = callInfo('sendMessage', created.model, params.message, (params.config ?? created.config)?.abortSignal);
    return instrumentation.unary(context, call, () => chat.sendMessage(params), (response) => observeResponse(response, call.model, call.requestText));
  };
  tracked.sendMessageStream = (params) => {
    // A chat uses its per-message config instead of its own, never merged: so is ours.
    const { config, adapter } = cancellable(params.config ?? created.config);
    const call = callInfo('sendMessageStream', created.model, params.message, (params.config ?? created.config)?.abortSignal);
    return instrumentation.stream(context, call, () => chat.sendMessageStream({ ...params, config }), adapter);
  };
  return tracked;
}

/**
 * Instruments a @google/genai client: the returned client has the same API, and every call of
 * `models` (generateContent(Stream), countTokens, embedContent) and of chats made with `chats.create`
 * is recorded under `context`. Other modules (files, caches, live ...) are the client's own, untracked.
 */
export function trackGoogleGenAI(ai: GoogleGenAI, context: TrackingContext, instrumentation: Instrumentation): GoogleGenAI {
  instrumentation.tracker.sections.get(context.section);
  const models = trackModels(ai.models, context, instrumentation);
  const chats = Object.create(ai.chats) as Chats;
  chats.create = (params) => trackChat(ai.chats.create(params), params, context, instrumentation);
  const tracked = Object.create(ai) as GoogleGenAI;
  Object.defineProperties(tracked, { models: { value: models, enumerable: true }, chats: { value: chats, enumerable: true } });
  return tracked;
}
