import { jest } from '@jest/globals';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createApp, type App } from '../../src/app.js';
import { hashPassword } from '../../src/admin/authenticate.js';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { issueApiToken } from '../../src/core/api-tokens.js';
import type { UsageEvent } from '../../src/core/event.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertSubscription, insertUser } from '../support/fixtures.js';
import { listenOnFreePort } from '../support/http.js';

export const PASSWORD = 'usage-page-pass-1';
const DAY = 86_400_000;
const SECTIONS = ['chat', 'knowledge_qa', 'embedding_generation', 'intent_detection'];
const MODELS = ['gemini-2.5-flash', 'gemini-2.5-pro', 'not-a-priced-model'];

export interface UsageCustomer {
  id: number;
  email: string;
  token: string;
}

export interface UsageWorld {
  db: TestDatabase;
  app: App;
  baseUrl: string;
  alice: UsageCustomer;
  bob: UsageCustomer;
  adminEmail: string;
  close(): Promise<void>;
}

export const utcDay = (date: Date) => date.toISOString().slice(0, 10);
export const daysAgo = (days: number) => utcDay(new Date(Date.now() - days * DAY));

async function customer(db: TestDatabase, app: App, role: 'user' | 'admin' = 'user'): Promise<UsageCustomer> {
  const id = await insertUser(db.sequelize, role);
  await db.sequelize.query('UPDATE users SET password_hash = $1 WHERE id = $2', { bind: [await hashPassword(PASSWORD), id] });
  const [{ email }] = await db.sequelize.query<{ email: string }>('SELECT email FROM users WHERE id = $1', { bind: [id], type: QueryTypes.SELECT }) as [{ email: string }];
  return { id, email, token: await issueApiToken(app.core.ApiToken, id, 'usage test') };
}

/**
 * Usage over the last 70 days for two customers (on the same days, sections and models, so a
 * report that mixes users is off), with failures, thinking tokens, cached tokens and an unpriced
 * model; a subscription for alice only.
 */
async function seedUsage(app: App, alice: UsageCustomer, bob: UsageCustomer): Promise<void> {
  const now = Date.now();
  const events: UsageEvent[] = [];
  for (let n = 0; n < 280; n += 1) {
    const base = { section: SECTIONS[n % SECTIONS.length]!, modelName: MODELS[n % MODELS.length]!, responseTimeMs: 100 + n, createdAt: new Date(now - Math.floor(n / 4) * DAY - (n % 4) * 3_600_000 - 1000) };
    events.push({ ...base, userId: alice.id, promptTokens: 100 + n, completionTokens: 20 + (n % 7), thoughtsTokens: n % 3 === 0 ? 50 : 0, cachedTokens: n % 5 === 0 ? 10 : 0, success: n % 6 !== 0, errorMessage: n % 6 === 0 ? 'quota exhausted upstream' : null, metadata: { prompt: `secret prompt ${n}` } });
    if (n % 2 === 0) events.push({ ...base, userId: bob.id, promptTokens: 1000 + n, completionTokens: 300, success: n % 4 !== 0 });
  }
  // The unpriced model's warnings are expected here.
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    await Promise.all(Array.from({ length: 4 }, async (_, worker) => {
      for (let i = worker; i < events.length; i += 4) await app.tracker.track(events[i]!, { maxEventAgeMs: 71 * DAY }); // a backfill of 70 days
    }));
  } finally {
    warn.mockRestore();
  }
}

/** A running app with alice (subscribed) and bob, their usage, API tokens and passwords, and an admin. */
export async function startUsageWorld(config: Partial<AppConfig> = {}): Promise<UsageWorld> {
  const db = await createTestDatabase();
  const app = await createApp({ databaseUrl: db.url, config: { ...loadConfig({ NODE_ENV: 'test' }), usageShowCost: true, ...config }, logger: { info: () => {}, error: (message, error) => console.error(message, error) } });
  const baseUrl = await listenOnFreePort(app);
  const alice = await customer(db, app);
  const bob = await customer(db, app);
  const admin = await customer(db, app, 'admin');
  await insertSubscription(db.sequelize, alice.id, { quota: 200_000, from: new Date(now0() - 20 * DAY), to: new Date(now0() + 10 * DAY) });
  await seedUsage(app, alice, bob);
  return {
    db,
    app,
    baseUrl,
    alice,
    bob,
    adminEmail: admin.email,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

/** Today's UTC midnight. */
function now0(): number {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

export interface LedgerSums {
  requests: number;
  failures: number;
  tokens: number;
  cost_usd: string;
  unpriced_requests: number;
}

/** The same sums straight from the ledger (ai_usage_logs), grouped by `key` (a SQL expression) or in total. */
export function ledgerSums(sequelize: Sequelize, userId: number, from: string, to: string, key = "'total'"): Promise<(LedgerSums & { key: string })[]> {
  return sequelize.query<LedgerSums & { key: string }>(
    `SELECT ${key} AS key, count(*)::int AS requests, (count(*) FILTER (WHERE NOT success))::int AS failures,
            sum(total_tokens)::int AS tokens, trim_scale(COALESCE(sum(cost_usd), 0))::text AS cost_usd,
            (count(*) FILTER (WHERE cost_usd IS NULL))::int AS unpriced_requests
     FROM ai_usage_logs
     WHERE user_id = $1 AND (created_at AT TIME ZONE 'UTC')::date BETWEEN $2::date AND $3::date
     GROUP BY 1 ORDER BY 1`,
    { bind: [userId, from, to], type: QueryTypes.SELECT },
  );
}

export async function getJson<T = any>(baseUrl: string, path: string, token: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as T };
}
