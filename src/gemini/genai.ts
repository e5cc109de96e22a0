import type { Chat, Chats, Content, ContentListUnion, CreateChatParameters, GenerateContentConfig, GenerateContentParameters, GenerateContentResponse, GoogleGenAI, Models, PartListUnion } from '@google/genai';
import type { RequestShape } from './call-bounds.js';
import { embeddingUsage } from './embeddings.js';
import type { CallInfo, Instrumentation, StreamAdapter } from './instrumentation.js';
import { hookHttpCalls, outsideHops, usesAutomaticFunctionCalling, withHops, withStreamHops } from './genai-afc.js';
import { observeResponse } from './observations.js';
import { collectText } from './text.js';
import type { TrackingContext } from './types.js';

const SDK = '@google/genai';
type Chunks = AsyncGenerator<GenerateContentResponse>;

/** What a generate call sends (`contents`, with a chat's history) and may write, under `config`. */
function generateShape(models: Models, model: string, contents: unknown[], config: GenerateContentConfig | undefined): RequestShape {
  return {
    input: [contents, config?.systemInstruction, config?.tools, config?.toolConfig],
    maxOutputTokens: config?.maxOutputTokens,
    thinkingBudget: config?.thinkingConfig?.thinkingBudget,
    tools: config?.tools,
    cachedContent: config?.cachedContent,
    countTokens: async () => (await models.countTokens({ model, contents: contents.flat() as ContentListUnion })).totalTokens ?? Number.NaN,
  };
}

/** An AFC hop's own parameters (the SDK's accumulated contents) as a shape. */
const hopShape = (models: Models) => (params: unknown) => {
  const { model, contents, config } = params as GenerateContentParameters;
  return generateShape(models, model, [contents], config);
};

function callInfo(operation: string, model: string, request: unknown, config: GenerateContentConfig | undefined, shape: () => RequestShape, models?: Models): CallInfo {
  return {
    sdk: SDK,
    operation,
    model,
    requestText: () => collectText(request),
    signal: config?.abortSignal,
    serviceTier: config?.serviceTier,
    shape,
    ...(models ? { hopShape: hopShape(models) } : {}),
  };
}

/** A chat message as a user Content, for counting it with the chat's history. */
function messageContent(message: PartListUnion): Content {
  const parts = (Array.isArray(message) ? message : [message]).map((part) => (typeof part === 'string' ? { text: part } : part));
  return { role: 'user', parts };
}

/**
 * A unary generate call: one row per HTTP call when the SDK's automatic function calling makes
 * several (and the client lets us see them), else one row per attempt with retries.
 */
function generate<T>(instrumentation: Instrumentation, context: TrackingContext, call: CallInfo, models: Models, config: GenerateContentConfig | undefined, invoke: () => Promise<T>): Promise<T> {
  const observe = (response: unknown) => observeResponse(response, call.model, call.requestText);
  if (usesAutomaticFunctionCalling(config) && hookHttpCalls(models)) {
    return instrumentation.hops(context, call, (hop) => withHops(hop, invoke), observe);
  }
  return outsideHops(() => instrumentation.unary(context, call, invoke, (response) => observe(response)));
}

/**
 * A streaming generate call: under automatic function calling one row per HTTP stream the SDK
 * opens, else one row for the stream (with retries of its opening).
 */
function generateStream(instrumentation: Instrumentation, context: TrackingContext, call: CallInfo, models: Models, requested: GenerateContentConfig | undefined, open: (config: GenerateContentConfig) => Promise<Chunks>): Promise<Chunks> {
  const { config, adapter } = cancellable(requested);
  if (usesAutomaticFunctionCalling(requested) && hookHttpCalls(models)) {
    return instrumentation.streamHops(context, call, () => open(config), adapter, withStreamHops);
  }
  return outsideHops(() => instrumentation.stream(context, call, () => open(config), adapter));
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
  tracked.generateContent = (params) =>
    generate(instrumentation, context, callInfo('generateContent', params.model, params.contents, params.config, () => generateShape(models, params.model, [params.contents], params.config), models), models, params.config, () => models.generateContent(params));
  tracked.generateContentStream = (params) => {
    const call = callInfo('generateContentStream', params.model, params.contents, params.config, () => generateShape(models, params.model, [params.contents], params.config), models);
    return generateStream(instrumentation, context, call, models, params.config, (config) => models.generateContentStream({ ...params, config }));
  };
  tracked.embedContent = (params) => {
    const call = callInfo('embedContent', params.model, params.contents, params.config, () => ({ input: [params.contents], embedding: true }));
    const inputs = Array.isArray(params.contents) ? params.contents.length : 1;
    const count = async () => (await models.countTokens({ model: params.model, contents: params.contents })).totalTokens ?? Number.NaN;
    const observe = embeddingUsage(instrumentation.embeddingUsage, count, call.requestText, inputs);
    return instrumentation.unary(context, call, () => models.embedContent(params), observe);
  };
  return tracked;
}

/** Tracks sendMessage and sendMessageStream of a Chat; history and the rest are the chat's own. */
function trackChat(chat: Chat, created: CreateChatParameters, models: Models, context: TrackingContext, instrumentation: Instrumentation): Chat {
  const tracked = Object.create(chat) as Chat;
  tracked.sendMessage = (params) => {
    const config = params.config ?? created.config;
    const shape = () => generateShape(models, created.model, [...chat.getHistory(), messageContent(params.message)], config);
    return generate(instrumentation, context, callInfo('sendMessage', created.model, params.message, config, shape, models), models, config, () => chat.sendMessage(params));
  };
  tracked.sendMessageStream = (params) => {
    // A chat uses its per-message config instead of its own, never merged: so is ours.
    const requested = params.config ?? created.config;
    const shape = () => generateShape(models, created.model, [...chat.getHistory(), messageContent(params.message)], requested);
    const call = callInfo('sendMessageStream', created.model, params.message, requested, shape, models);
    return generateStream(instrumentation, context, call, models, requested, (config) => chat.sendMessageStream({ ...params, config }));
  };
  return tracked;
}

/**
 * Instruments a @google/genai client: the returned client has the same API, and every call of
 * `models` (generateContent(Stream), embedContent) and of chats made with `chats.create`
 * is recorded under `context`. Other modules (files, caches, live ...) are the client's own, untracked.
 */
export function trackGoogleGenAI(ai: GoogleGenAI, context: TrackingContext, instrumentation: Instrumentation): GoogleGenAI {
  instrumentation.tracker.sections.get(context.section);
  const models = trackModels(ai.models, context, instrumentation);
  const chats = Object.create(ai.chats) as Chats;
  chats.create = (params) => trackChat(ai.chats.create(params), params, ai.models, context, instrumentation);
  const tracked = Object.create(ai) as GoogleGenAI;
  Object.defineProperties(tracked, { models: { value: models, enumerable: true }, chats: { value: chats, enumerable: true } });
  return tracked;
}
