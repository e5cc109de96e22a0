// One OS process of npm run bench:budget: `calls` streamed Gemini calls, `concurrency` at a time,
// through the instrumented @google/genai client with budgets, every 5th aborted after its first
// chunk. Prints `start`, then one line per call (made | refused | aborted | failed), then `done`.
// Reserves wait up to 60 s for PostgreSQL: this measures exactness, not the outage policy.
import { BudgetExceededError, createBudgetGate, createSequelize, createTracker, DEFAULT_BUDGET_CONFIG } from '../../src/core/index.js';
import { createGeminiFactory } from '../../src/gemini/index.js';

const [databaseUrl, simulatorUrl, apiKey, userIdArg, callsArg, concurrencyArg, ttlArg, tag] = process.argv.slice(2);
const calls = Number(callsArg);
const concurrency = Number(concurrencyArg);
const quiet = { warn: () => {}, error: () => {} };

const sequelize = createSequelize(databaseUrl!, { poolMax: 8 });
const tracker = createTracker({ sequelize, logger: quiet });
const budgets = createBudgetGate({ sequelize, config: { ...DEFAULT_BUDGET_CONFIG, holdTtlSeconds: Number(ttlArg), timeoutMs: 60_000 }, logger: quiet });
const gemini = createGeminiFactory({ tracker, budgets, apiKey: apiKey!, baseUrl: simulatorUrl, logger: quiet });
const ai = gemini.genai({ userId: Number(userIdArg), section: 'chat', metadata: { bench: tag } });

async function one(i: number): Promise<string> {
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
