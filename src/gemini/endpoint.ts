import { startGeminiSimulator, type GeminiSimulator } from './simulator/server.js';

export interface GeminiEndpoint {
  apiKey: string;
  /** Undefined means Google's own endpoint. */
  baseUrl?: string;
  /** Set when the built-in simulator was started: close it on shutdown. */
  simulator?: GeminiSimulator;
}

/**
 * Where Gemini calls go: the configured endpoint when an API key is set (GEMINI_API_KEY, with
 * GEMINI_BASE_URL for any Gemini-compatible endpoint), otherwise a freshly started simulator.
 */
export async function resolveGeminiEndpoint(config: { apiKey?: string; baseUrl?: string }): Promise<GeminiEndpoint> {
  if (config.apiKey) return { apiKey: config.apiKey, baseUrl: config.baseUrl };
  const simulator = await startGeminiSimulator();
  return { apiKey: simulator.apiKey, baseUrl: simulator.url, simulator };
}
