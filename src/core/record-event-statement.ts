import { createHash } from 'node:crypto';
import type { Sequelize, Transaction } from 'sequelize';
import { withPgClient, type PgClient } from './pg-client.js';
import { RECORD_EVENT_SQL } from './record-event-sql.js';

export interface RecordRow {
  inserted: number;
  subscription_id: number | null;
  tokens_used: string | null;
  token_quota: string | null;
}

/** pg caches a named statement per connection; the hash keeps a changed text from reusing an old plan. */
const STATEMENT_NAME = `ai_usage_record_event_${createHash('sha1').update(RECORD_EVENT_SQL).digest('hex').slice(0, 12)}`;

/**
 * Runs the record statement as a named prepared statement on a pooled connection, or on the
 * caller's transaction connection. Prepared, it is planned once per connection instead of once per
 * event: the tracker's hot path, where Sequelize's query pipeline would be the bottleneck.
 */
export async function runRecordStatement(sequelize: Sequelize, values: unknown[], transaction?: Transaction): Promise<RecordRow> {
  const run = async (client: PgClient) => {
    const { rows } = await client.query<RecordRow>({ name: STATEMENT_NAME, text: RECORD_EVENT_SQL, values });
    if (!rows[0]) throw new Error('the record statement returned no row');
    return rows[0];
  };
  // Sequelize keeps a transaction's pg client on `connection`; it is not in the public typings.
  const transactionClient = (transaction as unknown as { connection?: PgClient } | undefined)?.connection;
  return transactionClient ? run(transactionClient) : withPgClient(sequelize, run);
}
