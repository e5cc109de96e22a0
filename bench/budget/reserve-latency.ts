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

/**
 * What the reserve adds to one call when the machine is not saturated by the bench's own streams:
 * `calls` reserves (each released after) on one budget of `userId` with room for all, by `callers`
 * concurrent callers of one process, against the baseline of a SELECT 1 round trip through the same pool.
 */
export async function measureReserveLatency(sequelize: Sequelize, userId: number, callers: number, calls = 600) {
  const gate = createBudgetGate({ sequelize, config: DEFAULT_BUDGET_CONFIG, logger: { warn: () => {} } });
  const hold = { usd: '0.000100000000', tokens: 300 };
  const reserveMs: number[] = [];
  const roundTripMs: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next++ < calls) {
        let t0 = performance.now();
        await withPgClient(sequelize, (client) => client.query({ name: 'bench_round_trip', text: 'SELECT 1', values: [] }));
        roundTripMs.push(performance.now() - t0);
        const eventId = randomUUID();
        t0 = performance.now();
        await gate.reserve({ eventId, userId, section: 'knowledge_qa', modelName: 'gemini-2.5-flash', at: new Date(), hold });
        reserveMs.push(performance.now() - t0);
        await gate.release(eventId);
      }
    }),
  );
  return { p50: percentile(reserveMs, 50), p99: percentile(reserveMs, 99), roundTripP50: percentile(roundTripMs, 50), roundTripP99: percentile(roundTripMs, 99) };
}
