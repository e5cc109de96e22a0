import type { PreparedEvent } from '../tracker.js';
import type { SpoolRecord } from './spool-store.js';

/** Bumped when PreparedEvent changes shape, so a spool written by an older version is still read right. */
const PAYLOAD_VERSION = 1;

/** A prepared event as a spool row: everything the record statement needs, decided before spooling. */
export function encodePrepared(prepared: PreparedEvent): SpoolRecord {
  return {
    id: prepared.event.id,
    createdAt: prepared.event.createdAt.toISOString(),
    payload: JSON.stringify({ v: PAYLOAD_VERSION, ...prepared }),
  };
}

export function decodePrepared(payload: string): PreparedEvent {
  const { v, ...prepared } = JSON.parse(payload) as PreparedEvent & { v: number };
  if (v !== PAYLOAD_VERSION) throw new Error(`spooled event has payload version ${v}; this version reads ${PAYLOAD_VERSION}`);
  // The one non-JSON field: a replay must carry the same createdAt, to the millisecond.
  return { ...prepared, event: { ...prepared.event, createdAt: new Date(prepared.event.createdAt) } };
}
