import type { RecordedRow, RecordStatement } from './record-event-statement.js';

export interface RecordBatcherOptions {
  /** Record statements running at once; events arriving meanwhile wait and go together. Default 4. */
  maxConcurrent?: number;
  /** Most events in one statement. Default 64. */
  maxBatch?: number;
}

interface Pending {
  id: string;
  values: unknown[];
  resolve(row: RecordedRow | null): void;
  reject(error: unknown): void;
}

/**
 * Group commit for the record statement: an event goes to the database at once while fewer than
 * maxConcurrent statements run; otherwise it waits and goes with the others that arrived meanwhile,
 * in one statement. Under concurrency the locks, plan start-up and commit of one statement serve many
 * events; alone, an event waits for nothing. A batch that fails is retried event by event, so one bad
 * event fails alone and every event gets its own error.
 */
export class RecordBatcher {
  private readonly maxConcurrent: number;
  private readonly maxBatch: number;
  private readonly waiting: Pending[] = [];
  private running = 0;
  private flushScheduled = false;

  constructor(private readonly statement: RecordStatement, options: RecordBatcherOptions = {}) {
    this.maxConcurrent = options.maxConcurrent ?? 4;
    this.maxBatch = options.maxBatch ?? 64;
  }

  /** The row the event's statement inserted, or null when its id was already recorded. */
  record(id: string, values: unknown[]): Promise<RecordedRow | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ id, values, resolve, reject });
      // Events arriving in the same tick go together.
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        queueMicrotask(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    while (this.running < this.maxConcurrent && this.waiting.length > 0) {
      const batch = this.takeBatch();
      this.running++;
      void this.write(batch).finally(() => {
        this.running--;
        this.flush();
      });
    }
  }

  /** Up to maxBatch waiting events, in arrival order, with no id twice (a statement may not insert a row twice). */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const ids = new Set<string>();
    for (let i = 0; i < this.waiting.length && batch.length < this.maxBatch; ) {
      const pending = this.waiting[i]!;
      if (ids.has(pending.id)) {
        i++;
        continue;
      }
      ids.add(pending.id);
      batch.push(pending);
      this.waiting.splice(i, 1);
    }
    return batch;
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const rows = new Map((await this.statement.run(batch.map((pending) => pending.values))).map((row) => [row.id, row]));
      for (const pending of batch) pending.resolve(rows.get(pending.id) ?? null);
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // One at a time: a batch that failed because the database is struggling should not take the whole pool.
      for (const pending of batch) await this.write([pending]);
    }
  }
}
