import { createHash } from 'node:crypto';
import type { Sequelize, Transaction } from 'sequelize';
import { withPgClient, type PgClient } from './pg-client.js';
import { recordEventsSql } from './record-event-sql.js';

/** One event the statement inserted, and the subscription it debited (tokens after the whole statement). */
export interface RecordedRow {
  id: string;
  subscription_id: number | null;
  tokens_used: string | null;
  token_quota: string | null;
}

export interface RecordStatement {
  /**
   * Records events, each given as its bind values in recordedColumns() order, on a pooled connection
   * or on the caller's transaction connection. Returns the rows inserted; a missing id was a duplicate.
   */
  run(events: readonly unknown[][], transaction?: Transaction): Promise<RecordedRow[]>;
}

/**
 * The record statement as a named prepared statement: planned once per connection instead of once per
 * call, the tracker's hot path, where Sequelize's query pipeline would be the bottleneck. pg caches a
 * named statement per connection; the hash keeps a changed text from reusing an old plan.
 */
export function createRecordStatement(sequelize: Sequelize, userIdType: string): RecordStatement {
  const text = recordEventsSql(userIdType);
  const name = `ai_usage_record_events_${createHash('sha1').update(text).digest('hex').slice(0, 12)}`;
  return {
    async run(events, transaction) {
      const width = events[0]?.length ?? 0;
      const values = Array.from({ length: width }, (_, column) => events.map((event) => event[column]));
      const run = async (client: PgClient) => (await client.query<RecordedRow>({ name, text, values })).rows;
      // Sequelize keeps a transaction's pg client on `connection`; it is not in the public typings.
      const transactionClient = (transaction as unknown as { connection?: PgClient } | undefined)?.connection;
      return transactionClient ? run(transactionClient) : withPgClient(sequelize, run);
    },
  };
}
