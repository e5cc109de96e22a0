import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Project root: where package.json and .data/ live. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the embedded cluster keeps its data when DATABASE_URL is unset. */
export const EMBEDDED_DATA_DIR = path.join(PROJECT_ROOT, '.data', 'pg');
export const EMBEDDED_DEFAULT_PORT = 54329;
export const EMBEDDED_DATABASE = 'ai_usage';

export function embeddedPort(env: NodeJS.ProcessEnv = process.env): number {
  const port = Number(env.EMBEDDED_PG_PORT ?? EMBEDDED_DEFAULT_PORT);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`EMBEDDED_PG_PORT must be a TCP port, got ${env.EMBEDDED_PG_PORT}`);
  return port;
}
