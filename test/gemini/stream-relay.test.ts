import { relayStream, type RelayEnd } from '../../src/gemini/stream-relay.js';

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

async function* numbers(count: number, options: { delayMs?: number; failAfter?: number } = {}): AsyncGenerator<number> {
  for (let i = 1; i <= count; i++) {
    if (options.delayMs) await tick(options.delayMs);
    if (options.failAfter !== undefined && i > options.failAfter) throw new Error('source failed');
    yield i;
  }
}

function relay(source: AsyncIterable<number>) {
  const ends: RelayEnd[] = [];
  const seen: number[] = [];
  let abandoned = 0;
  const stream = relayStream(source, {
    onChunk: (n) => seen.push(n),
    onEnd: async (end) => {
      await tick();
      ends.push(end);
    },
    onAbandon: () => abandoned++,
  });
  return { stream, ends, seen, abandoned: () => abandoned };
}

describe('relayStream', () => {
  it('relays every chunk and reports completion before the consumer sees the end', async () => {
    const r = relay(numbers(3));
    const got = [];
    for await (const n of r.stream) got.push(n);
    expect(got).toEqual([1, 2, 3]);
    expect(r.ends).toEqual([{ status: 'completed' }]);
  });

  it('reports a source that fails, and rethrows its error after the chunks before it', async () => {
    const r = relay(numbers(3, { failAfter: 1 }));
    const got: number[] = [];
    await expect((async () => { for await (const n of r.stream) got.push(n); })()).rejects.toThrow('source failed');
    expect(got).toEqual([1]);
    expect(r.ends).toEqual([{ status: 'failed', error: new Error('source failed') }]);
  });

  it('reports abandonment once, at the moment the consumer stops', async () => {
    const r = relay(numbers(5, { delayMs: 20 }));
    for await (const n of r.stream) {
      expect(n).toBe(1);
      break;
    }
    expect(r.ends).toEqual([{ status: 'abandoned' }]);
    expect(r.abandoned()).toBe(1);
    await tick(150);
    expect(r.ends).toHaveLength(1);
  });

  it('reads a stream nobody iterates to its end', async () => {
    const r = relay(numbers(3));
    await tick(30);
    expect(r.seen).toEqual([1, 2, 3]);
    expect(r.ends).toEqual([{ status: 'completed' }]);
  });
});
