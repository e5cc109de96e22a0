import type { Sequelize } from 'sequelize';

/** The raw pg client Sequelize pools: for named prepared statements on hot paths. */
export interface PgClient {
  query<R = Record<string, unknown>>(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
  escapeLiteral(value: string): string;
}

/** Runs `work` on a pooled write connection and gives it back, whatever happens. */
export async function withPgClient<T>(sequelize: Sequelize, work: (client: PgClient) => Promise<T>): Promise<T> {
  const manager = sequelize.connectionManager as unknown as {
    getConnection(options: { type: 'write' }): Promise<PgClient>;
    releaseConnection(client: PgClient): void;
  };
  const client = await manager.getConnection({ type: 'write' });
  try {
    return await work(client);
  } finally {
    manager.releaseConnection(client);
  }
}
