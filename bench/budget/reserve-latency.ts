import { randomUUID } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { createBudgetGate, DEFAULT_BUDGET_CONFIG } from '../../src/core/index.js';
import { withPgClient } from '../../src/core/pg-client.js';

/** Nearest-rank percentile `p` of `values` in ms, to the microsecond; null without values. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 1000) / 1000;
}

/** `calls` runs of `work` (which returns the ms it measured), by `callers` concurrent callers, each after a SELECT 1 round trip through the pool. */
async function timed(sequelize: Sequelize, callers: number, calls: number, work: () => Promise<number>) {
  const workMs: number[] = [];
  const roundTripMs: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next++ < calls) {
        const t0 = performance.now();
        await withPgClient(sequelize, (client) => client.query({ name: 'bench_round_trip', text: 'SELECT 1', values: [] }));
        roundTripMs.push(performance.now() - t0);
        workMs.push(await work());
      }
    }),
  );
  return { workMs, roundTripMs };
}

/**
 * What the reserve adds to one call when the machine is not saturated by the bench's own streams:
 * `calls` reserves (each released after) on one budget of `userId` with room for all, by `callers`
 * concurrent callers of one process. Two baselines, run the same way just before: a SELECT 1 round
 * trip through the same pool, and the cheapest exact counter there is, one UPDATE of one row of a
 * table of its own (`hotRowUpdate`): what any durable locking write on one budget costs here.
 */
export async function measureReserveLatency(sequelize: Sequelize, userId: number, callers: number, calls = 2000) {
  await sequelize.query('CREATE TABLE IF NOT EXISTS bench_hot_row (id int PRIMARY KEY, n bigint NOT NULL); INSERT INTO bench_hot_row VALUES (1, 0) ON CONFLICT DO NOTHING');
  const updateOnce = async () => {
    const t0 = performance.now();
    await withPgClient(sequelize, (client) => client.query({ name: 'bench_hot_row_update', text: 'UPDATE bench_hot_row SET n = n + 1 WHERE id = 1', values: [] }));
    return performance.now() - t0;
  };
  const gate = createBudgetGate({ sequelize, config: DEFAULT_BUDGET_CONFIG, logger: { warn: () => {} } });
  const hold = { usd: '0.000100000000', tokens: 300 };
  const reserveOnce = async () => {
    const eventId = randomUUID();
    const t0 = performance.now();
    await gate.reserve({ eventId, userId, section: 'knowledge_qa', modelName: 'gemini-2.5-flash', at: new Date(), hold });
    const ms = performance.now() - t0;
    await gate.release(eventId);
    return ms;
  };
  // Warmed up first: the figures are of a running application, not of its first calls.
  await timed(sequelize, callers, calls / 10, updateOnce);
  await timed(sequelize, callers, calls / 10, reserveOnce);
  const update = await timed(sequelize, callers, calls, updateOnce);
  const reserve = await timed(sequelize, callers, calls, reserveOnce);
  return {
    p50: percentile(reserve.workMs, 50),
    p99: percentile(reserve.workMs, 99),
    roundTripP50: percentile(reserve.roundTripMs, 50),
    roundTripP99: percentile(reserve.roundTripMs, 99),
    hotRowUpdateP50: percentile(update.workMs, 50),
    hotRowUpdateP99: percentile(update.workMs, 99),
  };
}
