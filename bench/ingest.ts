import { createRequire } from 'node:module';
import { QueryTypes, type Sequelize } from 'sequelize';
import { normalizeEvent, type UsageEvent } from '../src/core/event.js';
import { createPriceCatalog } from '../src/core/prices/catalog.js';
import { SectionRegistry } from '../src/core/sections.js';
import { createTracker } from '../src/core/tracker.js';
import { startBenchServer, type BenchDatabase } from './support/bench-database.js';
import { seedBenchUsers } from './support/seed-users.js';
import { naiveTrack } from './naive-tracker.js';

/**
 * npm run bench:ingest [-- events]: N events through track() and through the naive baseline, 32
 * concurrent callers each, on fresh databases in one run; the tracker also on the log as one plain
 * table (partitioned_vs_plain: the cost of monthly partitions). Prints one JSON line.
 */
const EVENTS = Number(process.argv[2] ?? process.env.BENCH_EVENTS ?? 20_000);
const CALLERS = 32;
const USERS = 100;

function event(userId: number, i: number, createdAt: Date): UsageEvent {
  return { userId, section: 'chat', modelName: 'gemini-2.5-flash', promptTokens: 150 + (i % 50), completionTokens: 80, thoughtsTokens: i % 7, responseTimeMs: 1200, metadata: { conversation_id: 'abc' }, createdAt };
}

async function runConcurrently(count: number, work: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (next < count) await work(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/** Requests in the logs minus requests in the aggregate: increments the aggregate lost. */
async function lostUpdates(sequelize: Sequelize): Promise<number> {
  const [row] = await sequelize.query<{ lost: string }>(
    `SELECT (SELECT count(*) FROM ai_usage_logs) - (SELECT COALESCE(sum(request_count), 0) FROM ai_usage_tracking) AS lost`,
    { type: QueryTypes.SELECT },
  );
  return Number(row!.lost);
}

async function measure(db: BenchDatabase, pick: (users: number[], i: number) => number, naive: boolean) {
  const users = await seedBenchUsers(db.sequelize, USERS);
  const sections = new SectionRegistry();
  const prices = createPriceCatalog(db.sequelize);
  const tracker = createTracker({ sequelize: db.sequelize, sections, prices });
  const createdAt = new Date();
  // Warm the pool and the plan cache so neither side pays connection set-up inside the timing.
  await Promise.all(Array.from({ length: CALLERS }, () => db.sequelize.query('SELECT 1')));
  const perSecond = await runConcurrently(EVENTS, async (i) => {
    const input = event(pick(users, i), i, createdAt);
    if (!naive) return tracker.track(input);
    const normalized = normalizeEvent(input, sections);
    const quote = (await prices.snapshot()).quote(normalized.modelName, normalized.serviceTier, normalized.createdAt, normalized);
    return naiveTrack(db.sequelize, normalized, quote.costUsd);
  });
  return { perSecond, lost: await lostUpdates(db.sequelize) };
}

const require = createRequire(import.meta.url);

/**
 * The log as one plain table again (the partitioning migration's down), keyed (id, created_at) like
 * the partitioned one, so the same record statement runs on both and only the partitioning differs.
 */
async function unpartition(db: BenchDatabase): Promise<void> {
  const migration = require('../migrations/202612040301-partition-usage-logs.cjs') as { down(queryInterface: unknown): Promise<void> };
  await migration.down(db.sequelize.getQueryInterface());
  await db.sequelize.query('ALTER TABLE ai_usage_logs DROP CONSTRAINT ai_usage_logs_pkey, ADD CONSTRAINT ai_usage_logs_pkey PRIMARY KEY (id, created_at)');
}

async function main(): Promise<void> {
  const server = await startBenchServer();
  // Random, like real traffic: concurrent callers sometimes hit the same user, which is where naive loses updates.
  const spread = (users: number[]) => users[Math.floor(Math.random() * users.length)]!;
  const hot = (users: number[]) => users[0]!;
  const results: Record<string, { perSecond: number; lost: number }> = {};
  try {
    // Partitioned and plain alternate twice: on a shared machine, load drifts between runs.
    const runs = [['tracker', spread, false], ['plain', spread, false], ['tracker_2', spread, false], ['plain_2', spread, false], ['tracker_hot', hot, false], ['naive', spread, true]] as const;
    for (const [label, pick, naive] of runs) {
      const db = await server.createDatabase(label, { poolMax: CALLERS });
      try {
        if (label.startsWith('plain')) await unpartition(db);
        results[label] = await measure(db, pick, naive);
      } finally {
        await db.drop();
      }
    }
  } finally {
    await server.close();
  }
  const round = (n: number) => Math.round(n);
  const partitioned = (results.tracker!.perSecond + results.tracker_2!.perSecond) / 2;
  const plain = (results.plain!.perSecond + results.plain_2!.perSecond) / 2;
  console.log(
    JSON.stringify({
      events: EVENTS,
      callers: CALLERS,
      tracker_events_per_s: round(partitioned),
      tracker_plain_table_events_per_s: round(plain),
      partitioned_vs_plain: Number((partitioned / plain).toFixed(2)),
      tracker_hot_row_events_per_s: round(results.tracker_hot!.perSecond),
      naive_events_per_s: round(results.naive!.perSecond),
      ratio: Number((partitioned / results.naive!.perSecond).toFixed(2)),
      tracker_lost_updates: results.tracker!.lost + results.tracker_2!.lost + results.plain!.lost + results.plain_2!.lost,
      tracker_hot_row_lost_updates: results.tracker_hot!.lost,
      naive_lost_updates: results.naive!.lost,
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
