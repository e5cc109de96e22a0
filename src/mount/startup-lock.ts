import pg from 'pg';

/** The advisory lock key app instances take while they set a database up (any fixed bigint). */
const STARTUP_LOCK_KEY = '7150431002871934209';

/**
 * Runs `work` holding a session-level advisory lock on the database at `url`, on a connection of
 * its own: app instances started together on one database (a rolling deploy, an autoscaler) then
 * migrate, upsert their catalogues and schedule their jobs one after another, instead of racing to
 * create the same tables or deadlock on the same rows (migrations alone take a lock of their own too,
 * for `npm run db:migrate`: always after this one). The lock goes with the connection, so a crashed
 * instance holds nothing.
 */
export async function withStartupLock<T>(url: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'adminjs-ai-usage startup' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
    return await work();
  } finally {
    // Ending the session releases the lock, also when the unlock itself cannot be sent.
    await client.end();
  }
}
