import { EMBEDDED_DATA_DIR, EMBEDDED_DATABASE, embeddedPort } from './config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export interface ResolvedDatabase {
  url: string;
  /** Set when we started embedded PostgreSQL; call on shutdown. */
  stop?: () => Promise<void>;
  embedded: boolean;
}

/** DATABASE_URL when set (never touching .data/); otherwise embedded PostgreSQL under .data/pg. */
export async function resolveDatabase(log: (message: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedDatabase> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: false };
  const running = await startEmbeddedPostgres({
    dataDir: EMBEDDED_DATA_DIR,
    port: embeddedPort(env),
    database: EMBEDDED_DATABASE,
    log,
  });
  log(`DATABASE_URL is unset: using embedded PostgreSQL (data in .data/pg), ${running.url.replace(/\/\/[^@]*@/, "//")}.`);
  return { url: running.url, stop: running.stop, embedded: true };
}
