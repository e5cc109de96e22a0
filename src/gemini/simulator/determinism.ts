import { createHash } from 'node:crypto';

/** A pseudo-random generator seeded from text: the same text always gives the same sequence. */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

export function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** mulberry32 over the first four bytes of the text's SHA-256. */
export function seededRandom(text: string): SeededRandom {
  let state = digest(text).readUInt32LE(0);
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

const WORDS = [
  'usage', 'ledger', 'token', 'model', 'request', 'answer', 'context', 'budget', 'latency', 'stream',
  'gemini', 'record', 'section', 'billing', 'quota', 'daily', 'aggregate', 'prompt', 'response', 'cache',
  'thinking', 'output', 'input', 'cost', 'panel', 'filter', 'export', 'admin', 'feature', 'plugin',
  'reliable', 'exact', 'simple', 'careful', 'fast', 'clear', 'useful', 'small', 'steady', 'honest',
  'measures', 'explains', 'returns', 'keeps', 'counts', 'shows', 'tracks', 'writes', 'reads', 'sends',
];

/** `count` words as sentences of 6 to 12 words, capitalised and full-stopped. */
export function sentences(random: SeededRandom, count: number): string {
  const out: string[] = [];
  let remaining = count;
  while (remaining > 0) {
    const length = Math.min(remaining, random.int(6, 12));
    const words = Array.from({ length }, () => random.pick(WORDS));
    const first = words[0]!;
    words[0] = first[0]!.toUpperCase() + first.slice(1);
    out.push(`${words.join(' ')}.`);
    remaining -= length;
  }
  return out.join(' ');
}

/** A stable id in Gemini's responseId style. */
export function responseId(text: string): string {
  return digest(`id:${text}`).toString('base64url').slice(0, 22);
}
