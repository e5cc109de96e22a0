import { QueryTypes } from 'sequelize';
import { createTracker, type Tracker, type TrackerLogger } from '../../src/core/index.js';
import { createGeminiFactory, startGeminiSimulator, type GeminiFactory, type GeminiFactoryOptions, type GeminiSimulator } from '../../src/gemini/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * Jest runs each test file in a vm context whose globalThis is not Node's. @google/genai dispatches
 * through the undici dispatcher stored on Node's globalThis, which the sandbox lacks ("Undici
 * globalDispatcher is not available"). Node's fetch is shared with the sandbox, so its Function
 * constructor reaches Node's real global, whose dispatcher is then made visible here. Plain Node
 * (production, tsx) has one realm and needs nothing of this.
 */
export function shareUndiciDispatcher(): void {
  const key = Symbol.for('undici.globalDispatcher.1');
  const sandbox = globalThis as Record<symbol, unknown>;
  if (sandbox[key]) return;
  const realm = (fetch.constructor as FunctionConstructor)('return globalThis')() as Record<symbol, unknown> & { Headers: typeof Headers };
  if (!realm[key]) new realm.Headers(); // undici installs its dispatcher lazily
  Object.defineProperty(sandbox, key, { get: () => realm[key], configurable: true });
}
shareUndiciDispatcher();

export interface LogRow {
  user_id: number | null;
  section: string;
  model_name: string;
  prompt_tokens: number;
  completion_tokens: number;
  thoughts_tokens: number;
  cached_tokens: number;
  total_tokens: number;
  response_time_ms: number;
  success: boolean;
  error_message: string | null;
  metadata: Record<string, any>;
  cost_usd: string | null;
  created_at: Date;
}

export interface GeminiHarness {
  db: TestDatabase;
  tracker: Tracker;
  simulator: GeminiSimulator;
  gemini: GeminiFactory;
  /** [TRACK_ERROR] / [TRACK_WARNING] lines the tracker logged. */
  logged: { level: string; message: string }[];
  /** Another factory on the same tracker and simulator, e.g. with retries. */
  factory(options?: Partial<GeminiFactoryOptions>): GeminiFactory;
  /** The rows of one test, tagged with metadata.test, in call order. */
  rows(test: string): Promise<LogRow[]>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<GeminiHarness> {
  const db = await createTestDatabase();
  const logged: { level: string; message: string }[] = [];
  const logger: TrackerLogger = {
    warn: (message) => logged.push({ level: 'warn', message }),
    error: (message) => logged.push({ level: 'error', message }),
  };
  const tracker = createTracker({ sequelize: db.sequelize, logger });
  const simulator = await startGeminiSimulator();
  const factory = (options: Partial<GeminiFactoryOptions> = {}) => createGeminiFactory({ tracker, apiKey: simulator.apiKey, baseUrl: simulator.url, ...options });
  return {
    db,
    tracker,
    simulator,
    gemini: factory(),
    logged,
    factory,
    rows: (test) =>
      db.sequelize.query<LogRow>(
        `SELECT user_id, section, model_name, prompt_tokens, completion_tokens, thoughts_tokens, cached_tokens, total_tokens,
                response_time_ms, success, error_message, metadata, cost_usd, created_at
           FROM ai_usage_logs WHERE metadata->>'test' = $1 ORDER BY created_at, (metadata->>'attempt')::int`,
        { bind: [test], type: QueryTypes.SELECT },
      ),
    async close() {
      await simulator.close();
      await db.drop();
    },
  };
}

/** USD per 1M tokens (input, output, cached input), copied from Google's price list, not from src/core. */
const PRICES: Record<string, [number, number, number]> = {
  'gemini-2.5-flash': [0.3, 2.5, 0.03],
  'gemini-2.5-pro': [1.25, 10, 0.125],
  'gemini-embedding-001': [0.15, 0, 0],
};

/** The cost a row must carry, as numeric(…, 12) text. */
export function expectedCost(model: string, t: { prompt: number; completion?: number; thoughts?: number; cached?: number }): string {
  const [input, output, cachedInput] = PRICES[model]!;
  const cached = t.cached ?? 0;
  // Integer micro-dollar-per-million arithmetic = pico-dollars per token, so the sum is exact.
  const pico = (t.prompt - cached) * input * 1e6 + cached * cachedInput * 1e6 + ((t.completion ?? 0) + (t.thoughts ?? 0)) * output * 1e6;
  const rounded = Math.round(pico);
  return `${Math.floor(rounded / 1e12)}.${String(rounded % 1e12).padStart(12, '0')}`;
}

/** Gemini's rule the simulator follows: about four characters per token. */
export const tokensOf = (text: string) => Math.ceil(text.length / 4);

export const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);
