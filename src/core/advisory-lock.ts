import type { Sequelize } from 'sequelize';

interface RawConnection {
  query(sql: string, values?: unknown[]): Promise<unknown>;
}

/**
 * Runs `work` holding a session-level advisory lock (`key`, any fixed bigint) on a connection of its
 * own, outside the pool, which `work` may need whole. Closing the connection releases the lock, also
 * when the unlock could not be sent, so a crashed process holds nothing.
 */
export async function withSessionAdvisoryLock<T>(sequelize: Sequelize, key: bigint, work: () => Promise<T>): Promise<T> {
  const manager = sequelize.connectionManager as unknown as { connect(config: unknown): Promise<RawConnection>; disconnect(connection: RawConnection): Promise<void> };
  const connection = await manager.connect(sequelize.config);
  try {
    await connection.query('SELECT pg_advisory_lock($1)', [key.toString()]);
    return await work();
  } finally {
    await manager.disconnect(connection);
  }
}
