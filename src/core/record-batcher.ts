import { GroupCommit, type GroupCommitOptions } from './group-commit.js';
import type { RecordedRow, RecordStatement } from './record-event-statement.js';

/** How concurrent events are grouped into record statements: by default 4 statements at once, 64 events each. */
export type RecordBatcherOptions = GroupCommitOptions;

/** An event's id and its values bound in recordedColumns() order. */
export interface BoundEvent {
  id: string;
  values: unknown[];
}

/**
 * Group commit for the record statement (src/core/group-commit.ts), keyed by event id: an event's
 * result is the row its statement inserted, or null when its id was already recorded.
 */
export function createRecordBatcher(statement: RecordStatement, options: RecordBatcherOptions = {}): GroupCommit<BoundEvent, RecordedRow | null> {
  return new GroupCommit<BoundEvent, RecordedRow | null>(
    async (batch) => {
      const rows = new Map((await statement.run(batch.map((event) => event.values))).map((row) => [row.id, row]));
      return batch.map((event) => rows.get(event.id) ?? null);
    },
    { maxConcurrent: options.maxConcurrent ?? 4, maxBatch: options.maxBatch },
  );
}
