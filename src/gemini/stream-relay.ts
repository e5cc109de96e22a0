/** How a relayed stream ended: read to its end, failed midway, or given up by its consumer. */
export type RelayEnd = { status: 'completed' } | { status: 'failed'; error: unknown } | { status: 'abandoned' };

export interface RelayHooks<C> {
  /** Sees every chunk as it arrives from the source, before the consumer does. */
  onChunk(chunk: C): void;
  /** Called exactly once; must not reject. The consumer sees the end only after it settles. */
  onEnd(end: RelayEnd): Promise<void>;
  /** The consumer stopped before the end: release the source (e.g. abort the request). */
  onAbandon?(): void;
}

/**
 * Reads `source` eagerly and hands its chunks to the returned generator. Reading eagerly means the
 * end is known, and reported, even when the consumer never iterates; a consumer that stops early
 * (break, return, throw) reports `abandoned` at that moment.
 */
export function relayStream<C>(source: AsyncIterable<C>, hooks: RelayHooks<C>): AsyncGenerator<C> {
  const iterator = source[Symbol.asyncIterator]();
  const buffer: C[] = [];
  let sourceEnd: RelayEnd | undefined;
  let abandoned = false;
  let wake: (() => void) | undefined;
  let ending: Promise<void> | undefined;
  const end = (how: RelayEnd): Promise<void> => (ending ??= hooks.onEnd(how));

  void (async () => {
    try {
      while (!abandoned) {
        const step = await iterator.next();
        if (step.done) break;
        if (abandoned) break;
        hooks.onChunk(step.value);
        buffer.push(step.value);
        wake?.();
      }
      sourceEnd = { status: 'completed' };
    } catch (error) {
      sourceEnd = { status: 'failed', error };
    }
    // After abandonment the source's end (often the abort we caused) was already accounted for.
    if (!abandoned) await end(sourceEnd);
    wake?.();
  })();

  async function* consume(): AsyncGenerator<C> {
    let delivered = false;
    try {
      for (;;) {
        const next = buffer.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (sourceEnd) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      delivered = true;
      await ending;
      if (sourceEnd?.status === 'failed') throw sourceEnd.error;
    } finally {
      if (!delivered) {
        if (!sourceEnd) {
          abandoned = true;
          hooks.onAbandon?.();
          end({ status: 'abandoned' });
        }
        await ending;
      }
    }
  }

  return consume();
}
