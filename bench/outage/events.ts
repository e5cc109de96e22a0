import { createHash } from 'node:crypto';
import type { UsageEvent } from '../../src/core/event.js';
import type { SafeTrackResult } from '../../src/core/tracker.js';

/** Events and callers of bench:outage: 10,000 events from 32 callers, paced over ~20 s. */
export const EVENTS = Number(process.env.BENCH_OUTAGE_EVENTS ?? 10_000);
export const CALLERS = 32;
export const PACE_MS = Number(process.env.BENCH_OUTAGE_PACE_MS ?? 2); // one event every 2 ms: 500 events/s
export const USERS = 50;

/** The same id for the same run and index in every process: a restarted caller resends with the same id. */
export function eventId(run: string, index: number): string {
  const h = createHash('sha256').update(`${run}:${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function benchEvent(run: string, index: number, userIds: number[]): UsageEvent {
  return {
    id: eventId(run, index),
    userId: userIds[index % userIds.length]!,
    section: 'chat',
    modelName: 'gemini-2.5-flash',
    promptTokens: 100 + (index % 50),
    completionTokens: 40 + (index % 13),
    thoughtsTokens: index % 7,
    responseTimeMs: 300 + (index % 100),
    metadata: { bench: 'outage' },
  };
}

export interface CallerTally {
  thrown: number;
  spooled: number;
  recorded: number;
  failed: number;
}

/**
 * 32 callers sending events `from`..`to` at the bench's pace (event i is due at start + i * PACE_MS
 * from the first), each result handed to `onResult`.
 */
export async function runCallers(from: number, to: number, send: (index: number) => Promise<SafeTrackResult>, onResult: (index: number, result: SafeTrackResult | 'thrown') => void = () => {}): Promise<CallerTally> {
  const tally: CallerTally = { thrown: 0, spooled: 0, recorded: 0, failed: 0 };
  const started = Date.now();
  let next = from;
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (next < to) {
        const index = next++;
        const due = started + (index - from) * PACE_MS - Date.now();
        if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
        try {
          const result = await send(index);
          if (!result.ok) tally.failed++;
          else if (result.status === 'spooled') tally.spooled++;
          else tally.recorded++;
          onResult(index, result);
        } catch {
          tally.thrown++;
          onResult(index, 'thrown');
        }
      }
    }),
  );
  return tally;
}
