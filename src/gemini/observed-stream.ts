import type { RelayEnd } from './stream-relay.js';

export interface ObservedStreamHooks<C> {
  onChunk(chunk: C): void;
  /** Called once, however the stream ends; the stream's own end waits for it. Must not reject. */
  onEnd(end: RelayEnd): Promise<void>;
}

/**
 * Passes `source` through unchanged, telling `hooks` each chunk and how the stream ended: read to
 * its end, failed (the error is rethrown), or given up by whoever read it.
 */
export async function* observeChunks<C>(source: AsyncIterable<C>, hooks: ObservedStreamHooks<C>): AsyncGenerator<C> {
  let end: RelayEnd = { status: 'abandoned' };
  try {
    for await (const chunk of source) {
      hooks.onChunk(chunk);
      yield chunk;
    }
    end = { status: 'completed' };
  } catch (error) {
    end = { status: 'failed', error };
    throw error;
  } finally {
    await hooks.onEnd(end);
  }
}
