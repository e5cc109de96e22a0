import { maintainLogPartitions } from '../src/core/partitions/index.js';
import type { App } from '../src/app.js';
import { hashPassword } from '../src/admin/authenticate.js';
import { issueApiToken } from '../src/core/api-tokens.js';
import { createRandom } from './demo-random.js';
import { demoUsageEvent } from './demo-usage.js';
import { seedDemoBudgets, type DemoBudgetsResult } from './demo-budgets.js';

export interface DemoCredentials {
  adminEmail: string;
  adminPassword: string;
  viewerEmail: string;
  viewerPassword: string;
  /** demo@example.com, a customer (role `user`): signs into the usage page at /usage. */
  demoEmail: string;
  demoPassword: string;
  /** Bearer token of demo@example.com for the JSON API; shown once. */
  demoApiToken: string;
  logRows: number;
  /** Budgets created (besides each subscription's quota) and calls they refused. */
  budgets: DemoBudgetsResult;
}

/** The demo customer taken over quota (their calls are refused, so refusals show in the panel). */
export const DEMO_OVER_QUOTA_EMAIL = 'dennis@example.com';

export const DEMO_ADMIN_EMAIL = 'admin@example.com';
export const DEMO_VIEWER_EMAIL = 'viewer@example.com';
export const DEMO_API_EMAIL = 'demo@example.com';
const DEFAULT_ADMIN_PASSWORD = 'admin-demo-password';
const DEFAULT_VIEWER_PASSWORD = 'viewer-demo-password';
const DEFAULT_DEMO_PASSWORD = 'demo-user-password';
const LOG_ROWS = 5_200;
const DAYS = 60;
const CONCURRENCY = 16;

const CUSTOMERS: readonly [string, string, string][] = [
  ['Ada Lovelace', 'ada', 'business'],
  ['Grace Hopper', 'grace', 'pro'],
  ['Alan Turing', 'alan', 'pro'],
  ['Katherine Johnson', 'katherine', 'business'],
  ['Linus Torvalds', 'linus', 'free'],
  ['Margaret Hamilton', 'margaret', 'pro'],
  ['Dennis Ritchie', 'dennis', 'free'],
];
const QUOTAS: Record<string, number> = { free: 1_000_000, pro: 5_000_000, business: 50_000_000 };

/** True on a database without users: the first start. */
export async function needsDemoSeed(app: App): Promise<boolean> {
  return (await app.core.User.count()) === 0;
}

function monthStart(now: Date, offset: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
}

/**
 * Demo data for a fresh database: panel logins, customers with monthly subscriptions, usage over
 * the last 60 days written through the tracker, so aggregates and billing match the logs, and
 * budgets: the demo API user well under all of theirs, one customer over quota and refused.
 */
export async function seedDemo(app: App, env: NodeJS.ProcessEnv = process.env): Promise<DemoCredentials> {
  const { User, Subscription, ApiToken } = app.core;
  const adminPassword = env.ADMIN_PASSWORD || DEFAULT_ADMIN_PASSWORD;
  const viewerPassword = env.VIEWER_PASSWORD || DEFAULT_VIEWER_PASSWORD;
  const demoPassword = env.DEMO_USER_PASSWORD || DEFAULT_DEMO_PASSWORD;
  await User.create({ email: DEMO_ADMIN_EMAIL, username: 'admin', name: 'Demo admin', role: 'admin', passwordHash: await hashPassword(adminPassword) });
  await User.create({ email: DEMO_VIEWER_EMAIL, username: 'viewer', name: 'Demo viewer (read-only)', role: 'viewer', passwordHash: await hashPassword(viewerPassword) });
  const demo = await User.create({ email: DEMO_API_EMAIL, username: 'demo', name: 'Demo API user', role: 'user', passwordHash: await hashPassword(demoPassword) });
  const demoApiToken = await issueApiToken(ApiToken, demo.id, 'demo');

  const now = new Date();
  // The months of the demo's past usage get their partitions first (not the default partition).
  await maintainLogPartitions(app.sequelize, { from: new Date(now.getTime() - (DAYS + 1) * 86_400_000), monthsAhead: app.config.partitions.monthsAhead });
  const customerIds = [demo.id];
  for (const [name, username] of CUSTOMERS) {
    const user = await User.create({ email: `${username}@example.com`, username, name, role: 'user' });
    customerIds.push(user.id);
  }
  const overQuota = customerIds[1 + CUSTOMERS.findIndex(([, username]) => `${username}@example.com` === DEMO_OVER_QUOTA_EMAIL)]!;
  for (const [index, userId] of customerIds.entries()) {
    const plan = index === 0 ? 'pro' : CUSTOMERS[index - 1]![2];
    for (const offset of [-2, -1, 0]) {
      await Subscription.create({ userId, plan, tokenQuota: QUOTAS[plan]!, periodStart: monthStart(now, offset), periodEnd: monthStart(now, offset + 1) });
    }
  }

  const random = createRandom(20261124);
  const events = Array.from({ length: LOG_ROWS }, () => demoUsageEvent(random, customerIds, DAYS, now));
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < events.length) await app.tracker.track(events[next++]!, { maxEventAgeMs: (DAYS + 1) * 86_400_000 });
    }),
  );

  const budgets = await seedDemoBudgets(app, { demo: demo.id, overQuota });
  for (const { plugin, context } of app.plugins) await plugin.seed?.({ ...context, demoUserId: demo.id });
  return { adminEmail: DEMO_ADMIN_EMAIL, adminPassword, viewerEmail: DEMO_VIEWER_EMAIL, viewerPassword, demoEmail: DEMO_API_EMAIL, demoPassword, demoApiToken, logRows: LOG_ROWS, budgets };
}
