import type { PreparedEvent, SpooledResult, TrackerSpool, TrackResult } from '../tracker.js';
import { transientFailureReason } from './classify.js';

/** The database did not answer within the spool's write timeout. */
export class TrackWriteTimeoutError extends Error {
  override name = 'TrackWriteTimeoutError';
  constructor(ms: number) {
    super(`the database did not answer within ${ms} ms`);
  }
}

export function withinTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TrackWriteTimeoutError(ms)), ms);
  });
  // A write that outlives the timeout may still commit; the spooled copy then replays as a duplicate.
  work.catch(() => {});
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * trackSafe's path with a spool: record directly unless the database is known to be down; when the
 * write fails for a reason that is not the event's fault, spool the prepared event instead. Other
 * failures (the event's own) are thrown to trackSafe, which reports them.
 */
export async function recordOrSpool(
  spool: TrackerSpool,
  prepared: PreparedEvent,
  warnings: string[],
  store: () => Promise<TrackResult>,
): Promise<TrackResult | SpooledResult> {
  const spooled = async (reason: string): Promise<SpooledResult> => {
    await spool.append(prepared, reason);
    return { status: 'spooled', id: prepared.event.id, costUsd: prepared.quote?.costUsd ?? null, warnings };
  };
  if (spool.outage) return spooled('the database is down');
  try {
    return await withinTimeout(store(), spool.writeTimeoutMs);
  } catch (error) {
    const reason = transientFailureReason(error);
    if (reason === undefined) throw error;
    return spooled(reason);
  }
}
