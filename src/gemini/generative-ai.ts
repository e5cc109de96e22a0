import type {
  BatchEmbedContentsRequest,
  ChatSession,
  Content,
  EmbedContentRequest,
  EnhancedGenerateContentResponse,
  GenerateContentRequest,
  GenerateContentStreamResult,
  GenerationConfig,
  GenerativeModel,
  Part,
  SingleRequestOptions,
  StartChatParams,
} from '@google/generative-ai';
import type { RequestShape } from './call-bounds.js';
import { embeddingUsage } from './embeddings.js';
import type { CallInfo, Instrumentation, StreamAdapter } from './instrumentation.js';
import { observeResponse } from './observations.js';
import { collectText } from './text.js';
import type { TrackingContext } from './types.js';

const SDK = '@google/generative-ai';

const streamAdapter: StreamAdapter<GenerateContentStreamResult, EnhancedGenerateContentResponse> = {
  chunks: (opened) => opened.stream,
  // `response` is the SDK's own promise: it aggregates the whole stream whatever the consumer does.
  rebuild: (opened, relay) => ({ stream: relay, response: opened.response }),
  final: (opened) => opened.response,
};

function callInfo(operation: string, model: string, request: unknown, options: SingleRequestOptions | undefined, shape: CallInfo['shape']): CallInfo {
  return { sdk: SDK, operation, model, requestText: () => collectText(request), signal: options?.signal, shape };
}

type GenerateRequest = GenerateContentRequest | string | (string | Part)[];
type ThinkingConfig = { thinkingConfig?: { thinkingBudget?: number } };

/** The request's own fields when it is a whole GenerateContentRequest, else none. */
const requestFields = (request: unknown): Partial<GenerateContentRequest> =>
  typeof request === 'object' && request !== null && !Array.isArray(request) ? (request as GenerateContentRequest) : {};

/**
 * What a generate call sends and may write: the model's system instruction, tools and generation
 * config, overridden by the request's, and `history` before the request for a chat.
 */
function generateShape(
  defaults: Pick<GenerativeModel, 'systemInstruction' | 'tools' | 'toolConfig' | 'generationConfig' | 'cachedContent'> | StartChatParams | undefined,
  request: unknown,
  history: Content[],
  count?: () => Promise<number>,
): RequestShape {
  const own = requestFields(request);
  const config = { ...defaults?.generationConfig, ...own.generationConfig } as GenerationConfig & ThinkingConfig;
  const tools = own.tools ?? defaults?.tools;
  return {
    input: [own.systemInstruction ?? defaults?.systemInstruction, tools, own.toolConfig ?? defaults?.toolConfig, history, request],
    maxOutputTokens: config.maxOutputTokens,
    thinkingBudget: config.thinkingConfig?.thinkingBudget,
    tools,
    cachedContent: own.cachedContent ?? defaults?.cachedContent,
    countTokens: count,
  };
}

/** A request as the user Content it becomes. */
function requestContents(request: GenerateRequest): Content[] {
  if (typeof request === 'string') return [userContent([request])];
  if (Array.isArray(request)) return [userContent(request)];
  return request.contents;
}

function userContent(parts: (string | Part)[]): Content {
  return { role: 'user', parts: parts.map((part) => (typeof part === 'string' ? { text: part } : part)) };
}

function embedContents(request: EmbedContentRequest | string | (string | Part)[]): Content[] {
  if (typeof request === 'string') return [userContent([request])];
  if (Array.isArray(request)) return [userContent(request)];
  return [userContent(request.content.parts)];
}

/** Tracks sendMessage and sendMessageStream of a ChatSession; everything else is the session's own. */
export function trackChatSession(session: ChatSession, context: TrackingContext, instrumentation: Instrumentation, model?: GenerativeModel): ChatSession {
  const tracked = Object.create(session) as ChatSession;
  const shape = (request: string | (string | Part)[]) => async () => {
    const history = await session.getHistory();
    const count = model && (async () => (await model.countTokens({ contents: [...history, ...requestContents(request)] })).totalTokens);
    return generateShape(session.params, request, history, count);
  };
  tracked.sendMessage = (request, options) => {
    const call = callInfo('sendMessage', session.model, request, options, shape(request));
    return instrumentation.unary(context, call, () => session.sendMessage(request, options), (result) => observeResponse(result.response, call.model, call.requestText));
  };
  tracked.sendMessageStream = (request, options) =>
    instrumentation.stream(context, callInfo('sendMessageStream', session.model, request, options, shape(request)), () => session.sendMessageStream(request, options), streamAdapter);
  return tracked;
}

/**
 * Instruments a @google/generative-ai GenerativeModel: the returned model has the same API, and
 * every generateContent(Stream), chat message and embedding call is recorded under
 * `context` (see the README's Gemini section).
 */
export function trackGenerativeModel(model: GenerativeModel, context: TrackingContext, instrumentation: Instrumentation): GenerativeModel {
  instrumentation.tracker.sections.get(context.section);
  const tracked = Object.create(model) as GenerativeModel;

  const shape = (request: GenerateRequest, options?: SingleRequestOptions) => () =>
    generateShape(model, request, [], async () => (await model.countTokens(typeof request === 'object' && !Array.isArray(request) ? { generateContentRequest: request } : request, options)).totalTokens);
  tracked.generateContent = (request, options) => {
    const call = callInfo('generateContent', model.model, request, options, shape(request, options));
    return instrumentation.unary(context, call, () => model.generateContent(request, options), (result) => observeResponse(result.response, call.model, call.requestText));
  };
  tracked.generateContentStream = (request, options) =>
    instrumentation.stream(context, callInfo('generateContentStream', model.model, request, options, shape(request, options)), () => model.generateContentStream(request, options), streamAdapter);
  tracked.startChat = (params) => trackChatSession(model.startChat(params), context, instrumentation, model);

  tracked.embedContent = (request, options) => {
    const call = callInfo('embedContent', model.model, typeof request === 'object' && !Array.isArray(request) ? request.content : request, options, () => ({ input: [request], embedding: true }));
    const count = async () => (await model.countTokens({ contents: embedContents(request) }, options)).totalTokens;
    const observe = embeddingUsage(instrumentation.embeddingUsage, count, call.requestText, 1);
    return instrumentation.unary(context, call, () => model.embedContent(request, options), observe);
  };
  tracked.batchEmbedContents = (request: BatchEmbedContentsRequest, options) => {
    const contents = request.requests.map((r) => r.content);
    const call = callInfo('batchEmbedContents', model.model, contents, options, () => ({ input: [contents], embedding: true }));
    const count = async () => (await model.countTokens({ contents: contents.map((c) => userContent(c.parts)) }, options)).totalTokens;
    const observe = embeddingUsage(instrumentation.embeddingUsage, count, call.requestText, contents.length);
    return instrumentation.unary(context, call, () => model.batchEmbedContents(request, options), observe);
  };
  return tracked;
}
