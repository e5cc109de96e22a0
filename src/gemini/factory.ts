import { GoogleGenerativeAI, type GenerativeModel, type ModelParams, type RequestOptions } from '@google/generative-ai';
import { GoogleGenAI } from '@google/genai';
import { trackGoogleGenAI } from './genai.js';
import { trackGenerativeModel } from './generative-ai.js';
import { createInstrumentation } from './instrumentation.js';
import type { InstrumentationOptions, TrackingContext } from './types.js';

export interface GeminiFactoryOptions extends InstrumentationOptions {
  /** Gemini API key (GEMINI_API_KEY), or the simulator's. */
  apiKey: string;
  /** A Gemini-compatible endpoint (GEMINI_BASE_URL), such as the simulator; Google's when absent. */
  baseUrl?: string;
  /** REST API version for both SDKs; defaults to v1beta, where every feature they use exists. */
  apiVersion?: string;
}

export interface GeminiFactory {
  /** A @google/generative-ai GenerativeModel whose every call is recorded under the context. */
  model(params: ModelParams & TrackingContext, requestOptions?: RequestOptions): GenerativeModel;
  /** A @google/genai client whose `models` and `chats` calls are recorded under the context. */
  genai(context: TrackingContext): GoogleGenAI;
  /** Waits until the rows of streams that ended in the background are written (shutdown, tests). */
  flush(): Promise<void>;
}

/** What plugins get: instrumented Gemini clients, all sharing one tracker, endpoint and retry policy. */
export function createGeminiFactory(options: GeminiFactoryOptions): GeminiFactory {
  if (!options.apiKey) throw new TypeError('createGeminiFactory: apiKey is required (GEMINI_API_KEY, or the simulator key)');
  const apiVersion = options.apiVersion ?? 'v1beta';
  const instrumentation = createInstrumentation(options);
  const generativeAI = new GoogleGenerativeAI(options.apiKey);
  const genAI = new GoogleGenAI({
    apiKey: options.apiKey,
    httpOptions: { apiVersion, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) },
  });

  return {
    model({ userId, section, metadata, validateResult, ...params }, requestOptions) {
      const model = generativeAI.getGenerativeModel(params, { apiVersion, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}), ...requestOptions });
      return trackGenerativeModel(model, { userId, section, metadata, validateResult }, instrumentation);
    },
    genai(context) {
      return trackGoogleGenAI(genAI, context, instrumentation);
    },
    flush: () => instrumentation.flush(),
  };
}
