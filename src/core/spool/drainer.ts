import type { Sequelize } from 'sequelize';
import type { Tracker, TrackerLogger } from '../tracker.js';
import { transientFailureReason } from './classify.js';
import { publishDeadLetters } from './dead-letters.js';
import type { EventSpool } from './event-spool.js';
import { decodePrepared } from './payload.js';
import { withinTimeout } from './record-or-spool.js';
import type { SpoolRow } from './spool-store.js';

export interface SpoolDrainerOptions {
  spool: EventSpool;
  tracker: Pick<Tracker, 'replay'>;
  sequelize: Sequelize;
  logger: TrackerLogger;
  /** Replays of one event that fail on the event's merits before it becomes a dead letter (AI_USAGE_SPOOL_MAX_ATTEMPTS). Default 5. */
  maxAttempts?: number;
  /** Rows leased and replayed per round. Default 200. */
  batchSize?: number;
  /** Replays in flight at once; keep it well below the pool size (live events share it). Default 8. */
  concurrency?: number;
  /** How often an idle drainer looks for rows (spooled by other processes, left by killed ones). Default 1000 ms. */
  idleIntervalMs?: number;
  /** Backoff while the database is down, doubling from `initialMs` to `maxMs`. Default 250 ms to 2000 ms. */
  backoff?: { initialMs: number; maxMs: number };
  /** Lease of a batch; past it another process may take the rows. Default 60 s. */
  leaseMs?: number;
  /** Run rounds in the background from now on. Default true; false drains only through drainOnce and flush. */
  background?: boolean;
}

export interface DrainRound {
  replayed: number;
  /** The database went away during the round (or stayed away): back off. */
  databaseDown: boolean;
  /** Rows were leased: there may be more. */
  more: boolean;
}

export interface SpoolDrainer {
  /** One round: probe when down, else lease a batch, replay it oldest first, delete what committed. */
  drainOnce(): Promise<DrainRound>;
  /** Runs rounds until the spool is empty, the database is down, or `deadlineMs` passes; true when empty. */
  flush(deadlineMs: number): Promise<boolean>;
  /** Stops the background loop (after its current round). */
  stop(): Promise<void>;
  readonly lastError: string | null;
}

/** Replays spooled events into the database, in the background of every process that tracks. */
export function startSpoolDrainer(options: SpoolDrainerOptions): SpoolDrainer {
  const { spool, tracker, sequelize, logger } = options;
  const store = spool.store;
  const maxAttempts = options.maxAttempts ?? 5;
  const batchSize = options.batchSize ?? 200;
  const concurrency = options.concurrency ?? 8;
  const idleIntervalMs = options.idleIntervalMs ?? 1000;
  const backoff = options.backoff ?? { initialMs: 250, maxMs: 2000 };
  const leaseMs = options.leaseMs ?? 60_000;
  let lastError: string | null = null;
  let replayedSinceEmpty = 0;
  let drainStartedAt = 0;

  async function probe(): Promise<boolean> {
    try {
      await withinTimeout(sequelize.query('SELECT 1'), spool.writeTimeoutMs);
      spool.databaseUp();
      return true;
    } catch (error) {
      lastError = String((error as Error).message ?? error);
      return false;
    }
  }

  function bury(row: SpoolRow, reason: string, attempts: number): void {
    store.bury(row.seq, reason, attempts);
    logger.error(`[TRACK_ERROR] spooled event ${row.id} is a dead letter after ${attempts} failed replay(s): ${reason}`, { event: row.payload });
  }

  /** Replays one row; returns false when the database went away (the row is given back). */
  async function replayRow(row: SpoolRow, done: number[]): Promise<boolean> {
    let prepared;
    try {
      prepared = decodePrepared(row.payload);
    } catch (error) {
      bury(row, `unreadable spooled event: ${(error as Error).message}`, row.attempts + 1);
      return true;
    }
    try {
      await withinTimeout(tracker.replay(prepared), spool.writeTimeoutMs);
      done.push(row.seq);
      return true;
    } catch (error) {
      const transient = transientFailureReason(error);
      if (transient !== undefined) {
        spool.databaseDown(transient);
        lastError = transient;
        return false;
      }
      const reason = (error as Error).message ?? String(error);
      const attempts = row.attempts + 1;
      if (attempts >= maxAttempts) bury(row, reason, attempts);
      else store.recordFailure(row.seq, reason, Date.now() + backoff.maxMs * 2 ** attempts);
      return true;
    }
  }

  async function drainOnce(): Promise<DrainRound> {
    if (spool.outage && !(await probe())) return { replayed: 0, databaseDown: true, more: false };
    store.freeLeasesOfDeadProcesses();
    const rows = store.lease(batchSize, leaseMs);
    if (rows.length === 0) {
      if (replayedSinceEmpty > 0) {
        const seconds = ((Date.now() - drainStartedAt) / 1000).toFixed(1);
        logger.warn(`[TRACK_WARNING] spool drained: ${replayedSinceEmpty} event(s) replayed in ${seconds} s`, { replayed: replayedSinceEmpty });
        replayedSinceEmpty = 0;
      }
      await publishDeadLetters(store, sequelize).catch((error) => {
        lastError = `publishing dead letters: ${(error as Error).message}`;
      });
      return { replayed: 0, databaseDown: false, more: false };
    }
    if (replayedSinceEmpty === 0) drainStartedAt = Date.now();
    const done: number[] = [];
    let next = 0;
    let down = false;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, rows.length) }, async () => {
        while (!down && next < rows.length) {
          if (!(await replayRow(rows[next++]!, done))) down = true;
        }
      }),
    );
    // Deleted only after their commit; a crash before this line replays them as duplicates, never twice counted.
    store.remove(done);
    const doneSet = new Set(done);
    store.release(rows.filter((r) => !doneSet.has(r.seq)).map((r) => r.seq));
    if (done.length > 0) {
      replayedSinceEmpty += done.length;
      store.setLastDrain(Date.now());
      if (!down) lastError = null;
    }
    return { replayed: done.length, databaseDown: down, more: !down };
  }

  let stopped = options.background === false;
  let wake: (() => void) | undefined;
  let delay = 0;
  const loop = (async () => {
    while (!stopped) {
      try {
        const round = await drainOnce();
        delay = round.databaseDown ? Math.min(backoff.maxMs, Math.max(backoff.initialMs, delay * 2)) : round.more ? 0 : idleIntervalMs;
      } catch (error) {
        lastError = (error as Error).message;
        logger.error(`[TRACK_ERROR] spool drainer: ${lastError}`, { error });
        delay = backoff.maxMs;
      }
      if (!stopped && delay > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  })();

  return {
    drainOnce,
    async flush(deadlineMs) {
      const deadline = Date.now() + deadlineMs;
      while (Date.now() < deadline) {
        const round = await drainOnce();
        if (round.databaseDown) return false;
        if (!round.more) return store.stats().depth === 0;
      }
      return false;
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
    get lastError() {
      return lastError;
    },
  };
}
