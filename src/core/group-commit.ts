export interface GroupCommitOptions {
  /** Statements running at once; items arriving meanwhile wait and go together. */
  maxConcurrent?: number;
  /** Most items in one statement. Default 64. */
  maxBatch?: number;
}

/** Runs one statement for `items` and returns one result per item, in the same order. */
export type RunBatch<Item, Result> = (items: Item[]) => Promise<Result[]>;

interface Pending<Item, Result> {
  key: string;
  item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Group commit: an item goes to the database at once while fewer than maxConcurrent statements
 * run; otherwise it waits and goes with the others that arrived meanwhile, in one statement. Under
 * concurrency the locks, plan start-up and commit of one statement serve many items; alone, an item
 * waits for nothing. Two items with the same key never share a statement. A batch that fails is
 * retried item by item, one at a time, so one bad item fails alone and every item gets its own
 * error; `failsAlone(error) === false` (the database is unreachable, say) fails the whole batch at once.
 */
export class GroupCommit<Item, Result> {
  private readonly maxConcurrent: number;
  private readonly maxBatch: number;
  private readonly waiting: Pending<Item, Result>[] = [];
  private running = 0;
  private flushScheduled = false;

  constructor(
    private readonly runBatch: RunBatch<Item, Result>,
    options: GroupCommitOptions & { maxConcurrent: number },
    private readonly failsAlone: (error: unknown) => boolean = () => true,
  ) {
    this.maxConcurrent = options.maxConcurrent;
    this.maxBatch = options.maxBatch ?? 64;
  }

  submit(key: string, item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ key, item, resolve, reject });
      // Items arriving in the same tick go together.
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
      void this.run(batch).finally(() => {
        this.running--;
        this.flush();
      });
    }
  }

  /** Up to maxBatch waiting items, in arrival order, with no key twice. */
  private takeBatch(): Pending<Item, Result>[] {
    const batch: Pending<Item, Result>[] = [];
    const keys = new Set<string>();
    for (let i = 0; i < this.waiting.length && batch.length < this.maxBatch; ) {
      const pending = this.waiting[i]!;
      if (keys.has(pending.key)) {
        i++;
        continue;
      }
      keys.add(pending.key);
      batch.push(pending);
      this.waiting.splice(i, 1);
    }
    return batch;
  }

  private async run(batch: Pending<Item, Result>[]): Promise<void> {
    try {
      const results = await this.runBatch(batch.map((pending) => pending.item));
      batch.forEach((pending, i) => pending.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1 || !this.failsAlone(error)) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      // One at a time: a batch that failed because the database is struggling should not take the whole pool.
      for (const pending of batch) await this.run([pending]);
    }
  }
}
