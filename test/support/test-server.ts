import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/runtime/config.js';

/** Names shared by the jest parent (global setup) and its workers through the environment. */
export const SERVER_URL_ENV = 'AI_USAGE_TEST_SERVER_URL';
export const TEMPLATE_ENV = 'AI_USAGE_TEST_TEMPLATE';
export const TEST_DB_PREFIX = 'ai_usage_test_';
export const TEST_EMBEDDED_DIR = path.join(PROJECT_ROOT, '.data', 'test-pg');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Runs `work` with a client connected to the server's maintenance database. */
export async function withAdminClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
