import { QueryTypes, type Sequelize } from 'sequelize';
import { transientFailureReason } from './classify.js';
import type { SpoolDrainer } from './drainer.js';
import type { EventSpool } from './event-spool.js';
import { withinTimeout } from './record-or-spool.js';
import type { PartitionsHealth } from '../partitions/health.js';

export interface HealthReport {
  /** `ok`; `degraded` while the database is down, events are spooled or dead letters wait; `spool_full` when trackSafe refuses events. */
  status: 'ok' | 'degraded' | 'spool_full';
  database: 'up' | 'down';
  spool: {
    depth: number;
    oldestAgeSeconds: number | null;
    /** Dead letters not replayed yet: those in ai_usage_dead_letters plus those the spool could not copy there yet. */
    deadLetters: number;
    lastDrainAt: string | null;
    lastError: string | null;
    bytes: number;
    maxBytes: number;
    file: string;
  };
  /** The log's partitions and retention (added by the ledger; null while the database is down). */
  partitions?: PartitionsHealth | null;
}

async function publishedDeadLetters(sequelize: Sequelize, timeoutMs: number): Promise<number | undefined> {
  try {
    const [row] = await withinTimeout(
      sequelize.query<{ n: string }>('SELECT count(*) AS n FROM ai_usage_dead_letters WHERE replayed_at IS NULL', { type: QueryTypes.SELECT }),
      timeoutMs,
    );
    return Number(row?.n ?? 0);
  } catch (error) {
    // Unreachable is "down"; any other failure (the table missing) is not a database outage.
    return transientFailureReason(error) === undefined ? 0 : undefined;
  }
}

/** What /health returns and the dashboard's health line shows; answers from the spool file alone while the database is down. */
export async function spoolHealthReport(spool: EventSpool, drainer: SpoolDrainer, sequelize: Sequelize, now = Date.now()): Promise<HealthReport> {
  const health = spool.health();
  const published = health.outage ? undefined : await publishedDeadLetters(sequelize, Math.min(spool.writeTimeoutMs, 2000));
  const databaseUp = published !== undefined;
  const deadLetters = (published ?? 0) + health.unpublishedDeadLetters;
  const status = health.bytes >= health.maxBytes ? 'spool_full' : !databaseUp || health.depth > 0 || deadLetters > 0 ? 'degraded' : 'ok';
  return {
    status,
    database: databaseUp ? 'up' : 'down',
    spool: {
      depth: health.depth,
      oldestAgeSeconds: health.oldestSpooledAt === null ? null : Math.max(0, Math.round((now - health.oldestSpooledAt) / 1000)),
      deadLetters,
      lastDrainAt: health.lastDrainAt === null ? null : new Date(health.lastDrainAt).toISOString(),
      lastError: drainer.lastError,
      bytes: health.bytes,
      maxBytes: health.maxBytes,
      file: health.file,
    },
  };
}
