import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { issueApiToken } from '../../src/core/api-tokens.js';
import { startGeminiSimulator, type GeminiSimulator } from '../../src/gemini/index.js';
import type { Plugin } from '../../src/plugin.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { insertUser } from './fixtures.js';
import { listenOnFreePort } from './http.js';

export interface PluginApp {
  db: TestDatabase;
  app: App;
  simulator: GeminiSimulator;
  baseUrl: string;
  userId: number;
  /** Calls the JSON API as the test user (bearer token); returns status and parsed body. */
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any; headers: Headers }>;
  /** A token of another user, for ownership checks. */
  otherUserToken(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The whole application with the given plugins on a fresh database, its Gemini calls going to a
 * simulator the test controls (faults, requests), retries off unless `env` turns them on.
 */
export async function startPluginApp(plugins: Plugin[], env: Record<string, string> = {}): Promise<PluginApp> {
  const db = await createTestDatabase();
  const simulator = await startGeminiSimulator();
  const config = loadConfig({ NODE_ENV: 'test', GEMINI_RETRY_ATTEMPTS: '1', ...env });
  const app = await createApp({ databaseUrl: db.url, plugins, config, gemini: { apiKey: simulator.apiKey, baseUrl: simulator.url, simulator }, logger: { info: () => {}, error: () => {} } });
  const baseUrl = await listenOnFreePort(app);
  const userId = await insertUser(db.sequelize);
  const token = await issueApiToken(app.core.ApiToken, userId);
  return {
    db,
    app,
    simulator,
    baseUrl,
    userId,
    async api(method, path, body, asToken = token) {
      const response = await fetch(`${baseUrl}/api${path}`, {
        method,
        headers: { authorization: `Bearer ${asToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
    },
    async otherUserToken() {
      return issueApiToken(app.core.ApiToken, await insertUser(db.sequelize));
    },
    async close() {
      await app.close();
      await simulator.close();
      await db.drop();
    },
  };
}

/** The ledger rows of a user, oldest first, with the columns the plugin tests assert on. */
export async function usageRows(app: PluginApp, where = 'true', bind: unknown[] = []) {
  return app.db.sequelize.query<Record<string, any>>(
    `SELECT user_id, section, model_name, prompt_tokens, completion_tokens, thoughts_tokens, cached_tokens, total_tokens,
            success, error_message, metadata, cost_usd
     FROM ai_usage_logs WHERE ${where} ORDER BY created_at, (metadata->>'attempt')::int NULLS FIRST`,
    { bind, type: 'SELECT' as never },
  );
}
