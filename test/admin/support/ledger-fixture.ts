import { QueryTypes } from 'sequelize';
import { hashPassword } from '../../../src/admin/authenticate.js';
import type { App } from '../../../src/app.js';

export const PASSWORD = 's3cret-panel-pass';
export const ADMIN_EMAIL = 'root@example.com';
export const VIEWER_EMAIL = 'viewer@example.com';
/** Shown as text wherever it appears: never run, never parsed as markup. */
export const XSS_ERROR = `<script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2"> upstream said <b>no</b>`;
export const XSS_METADATA = { note: '<script>window.__xss = 3</script>', nested: { html: '<i>x</i>' } };

export interface LedgerFixture {
  adminId: number;
  viewerId: number;
  alice: number;
  bob: number;
  /** Ids of every log row, newest first. */
  logIds: string[];
  xssLogId: string;
}

const DAY = 86_400_000;

async function insertUser(app: App, email: string, username: string, role: string, password?: string): Promise<number> {
  const [row] = await app.sequelize.query<{ id: number }>(
    'INSERT INTO users (email, username, name, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    { bind: [email, username, `${username} (name)`, role, password ? await hashPassword(password) : null], type: QueryTypes.SELECT },
  );
  return row!.id;
}

/**
 * A small ledger through the real tracker: two panel users (admin, viewer), two customers with
 * mixed-case names, 36 logs over 45 days across sections, models, outcomes and latencies, one
 * system row, and one row whose error and metadata carry markup.
 */
export async function seedLedger(app: App, now = new Date()): Promise<LedgerFixture> {
  const adminId = await insertUser(app, ADMIN_EMAIL, 'root', 'admin', PASSWORD);
  const viewerId = await insertUser(app, VIEWER_EMAIL, 'watcher', 'viewer', PASSWORD);
  const alice = await insertUser(app, 'alice@Shop.test', 'Alice.Wonder', 'user');
  const bob = await insertUser(app, 'bob@example.org', 'bob_builder', 'user');
  await app.sequelize.query(
    `INSERT INTO subscriptions (user_id, plan, token_quota, period_start, period_end) VALUES ($1, 'pro', 20000, $2, $3)`,
    { bind: [alice, new Date(now.getTime() - 60 * DAY), new Date(now.getTime() + 30 * DAY)] },
  );
  // Weeks of history: older than the tracker's default 7-day window, so a deliberate backfill.
  const HISTORY = { maxEventAgeMs: 60 * DAY };
  const plan: [string, string, number][] = [
    ['chat', 'gemini-2.5-flash', 0],
    ['chat', 'gemini-2.5-flash', 1],
    ['knowledge_qa', 'gemini-2.5-pro', 3],
    ['embedding_generation', 'gemini-embedding-001', 8],
    ['intent_detection', 'gemini-2.5-flash-lite', 20],
    ['chat', 'gemini-1.5-flash', 44],
  ];
  for (let i = 0; i < 35; i++) {
    const [section, modelName, daysAgo] = plan[i % plan.length]!;
    await app.tracker.track({
      userId: i % 3 === 0 ? alice : i % 3 === 1 ? bob : adminId,
      section,
      modelName,
      promptTokens: 100 + i * 10,
      completionTokens: 20 + i,
      thoughtsTokens: i % 4 === 0 ? 7 : 0,
      cachedTokens: i % 5 === 0 ? 50 : 0,
      responseTimeMs: [420, 1500, 3600, 900, 2999][i % 5]!,
      success: i % 6 !== 5,
      errorMessage: i % 6 === 5 ? `[503 Service Unavailable] overloaded, attempt ${i}` : null,
      metadata: { attempt: i, conversation_id: `conv-${i % 4}` },
      createdAt: new Date(now.getTime() - daysAgo * DAY - i * 60_000),
    }, HISTORY);
  }
  await app.tracker.track({ userId: null, section: 'rag_pipeline', modelName: 'gemini-2.5-flash', promptTokens: 10, responseTimeMs: 100, createdAt: new Date(now.getTime() - 2 * DAY) });
  const xss = await app.tracker.track({
    userId: bob,
    section: 'chat',
    modelName: 'gemini-2.5-flash',
    promptTokens: 5,
    responseTimeMs: 250,
    success: false,
    errorMessage: XSS_ERROR,
    metadata: XSS_METADATA,
    createdAt: new Date(now.getTime() - 30_000),
  });
  const ids = await app.sequelize.query<{ id: string }>('SELECT id FROM ai_usage_logs ORDER BY created_at DESC, id DESC', { type: QueryTypes.SELECT });
  return { adminId, viewerId, alice, bob, logIds: ids.map((r) => r.id), xssLogId: xss.id };
}
