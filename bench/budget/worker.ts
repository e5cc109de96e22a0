// One OS process of npm run bench:budget: `calls` streamed Gemini calls, `concurrency` at a time,
// through the instrumented @google/genai client with budgets, every 5th aborted after its first
// chunk. Prints `start`, then per call a `round-trip <ms>` line (a SELECT 1 through the same pool just
// before it) and its outcome (made | refused | aborted | failed), then `done`.
// Reserves wait up to 60 s for PostgreSQL: this measures exactness, not the outage policy.
import { BudgetExceededError, createBudgetGate, createSequelize, createTracker, DEFAULT_BUDGET_CONFIG } from '../../src/core/index.js';
import { withPgClient } from '../../src/core/pg-client.js';
import { createGeminiFactory } from '../../src/gemini/index.js';

const [databaseUrl, simulatorUrl, apiKey, userIdArg, callsArg, concurrencyArg, ttlArg, tag] = process.argv.slice(2);
const calls = Number(callsArg);
const concurrency = Number(concurrencyArg);
const quiet = { warn: () => {}, error: () => {} };

const POOL_MAX = 8;
const sequelize = createSequelize(databaseUrl!, { poolMax: POOL_MAX });
const tracker = createTracker({ sequelize, logger: quiet });
const budgets = createBudgetGate({ sequelize, config: { ...DEFAULT_BUDGET_CONFIG, holdTtlSeconds: Number(ttlArg), timeoutMs: 60_000 }, logger: quiet });
const gemini = createGeminiFactory({ tracker, budgets, apiKey: apiKey!, baseUrl: simulatorUrl, logger: quiet });
const ai = gemini.genai({ userId: Number(userIdArg), section: 'chat', metadata: { bench: tag } });

/** The baseline: one round trip to PostgreSQL through the same pool, under the same load, just before the call. */
async function roundTripMs(): Promise<number> {
  const t0 = performance.now();
  await withPgClient(sequelize, (client) => client.query({ name: 'bench_round_trip', text: 'SELECT 1', values: [] }));
  return performance.now() - t0;
}

async function one(i: number): Promise<string> {
  console.log(`round-trip ${await roundTripMs()}`);
  const abort = i % 5 === 4;
  const controller = new AbortController();
  try {
    // A chunk every 100 ms keeps calls in flight long enough to overlap (and to be killed midway).
    const stream = await ai.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: `Bench call ${tag}-${i}: tell a short story [[sim:chunk-delay=100]]`,
      config: { maxOutputTokens: 256, thinkingConfig: { thinkingBudget: 0 }, abortSignal: controller.signal },
    });
    for await (const chunk of stream) {
      void chunk;
      if (abort) controller.abort();
    }
    return 'made';
  } catch (error) {
    if (error instanceof BudgetExceededError) return 'refused';
    if (abort) return 'aborted';
    return `failed ${error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 200) : String(error)}`;
  }
}

// A running application's pool is open and its prices loaded: the reserve is measured, not set-up.
await Promise.all(Array.from({ length: POOL_MAX }, () => sequelize.query('SELECT 1')));
await tracker.prices.snapshot();
console.log('start');
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < calls) {
      const i = next++;
      console.log(await one(i));
    }
  }),
);
await gemini.flush();
await sequelize.close();
console.log('done');
