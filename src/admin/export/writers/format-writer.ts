import type { Writable } from 'node:stream';
import type { ExportColumn, TextRow } from '../values.js';

/** Writes one export format to a byte sink (the HTTP response), batch after batch. */
export interface FormatWriter {
  /** Writes what comes before the first row (header, opening bracket). */
  begin(columns: readonly ExportColumn[]): void;
  /** Writes a batch; resolves when the sink can take more (backpressure). */
  writeRows(rows: readonly TextRow[]): Promise<void>;
  /** Writes the end of the file and ends the sink. */
  end(): Promise<void>;
}

/** Whether a write returned false and 'drain' has not come yet; also for readable-stream 2 streams (archiver's), which lack the getter. */
function needsDrain(sink: Writable): boolean {
  return sink.writableNeedDrain ?? (sink as unknown as { _writableState?: { needDrain?: boolean } })._writableState?.needDrain ?? false;
}

/** Resolves once the sink has drained its buffer, or at once when it is not full; also when it closes (a dropped client). */
export function drained(sink: Writable): Promise<void> {
  if (!needsDrain(sink) || sink.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      sink.off('drain', done);
      sink.off('close', done);
      resolve();
    };
    sink.on('drain', done);
    sink.on('close', done);
  });
}

/** Writes text and waits for the sink when it asks to. */
export async function writeText(sink: Writable, text: string): Promise<void> {
  if (text.length === 0 || sink.destroyed) return;
  sink.write(text);
  await drained(sink);
}

/** Ends the sink and resolves when everything was handed to the operating system (or the sink closed). */
export function endSink(sink: Writable, text = ''): Promise<void> {
  return new Promise((resolve, reject) => {
    if (sink.destroyed) return resolve();
    sink.once('error', reject);
    sink.end(text, () => resolve());
  });
}
