import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { createSequelize, withDatabase } from '../src/core/database.js';
import { createMigrator } from '../src/core/migrator.js';
import { createTracker } from '../src/core/tracker.js';
import { PROJECT_ROOT } from '../src/runtime/config.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/runtime/embedded-postgres.js';
import { benchEvent, EVENTS, runCallers, USERS } from './outage/events.js';
import { startSpooledTracker } from './outage/spooled-tracker.js';
import { checkLedger } from './outage/verify.js';
import { seedBenchUsers } from './support/seed-users.js';

/**
 * npm run bench:outage: a PostgreSQL of its own (embedded, on a free port) that it stops for 10 s
 * while 32 callers send 10,000 events through trackSafe. Runs: the tracker without a spool (the
 * behaviour before the spool), with the spool, and with the spool where the process is SIGKILLed
 * while events are spooled and started again. Prints one JSON line.
 */
const OUTAGE_AT_MS = 5_000;
const OUTAGE_MS = 10_000;
const DATA_DIR = path.join(PROJECT_ROOT, '.data', 'bench-outage-pg');
const quiet = { warn: () => {}, error: () => {} };

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class StoppablePostgres {
  private running?: RunningPostgres;
  constructor(private readonly port: number) {}
  async start(): Promise<string> {
    this.running = await startEmbeddedPostgres({ dataDir: DATA_DIR, port: this.port, database: 'postgres' });
    return this.running.url;
  }
  async stop(): Promise<void> {
    await this.running?.stop();
    this.running = undefined;
  }
  /** Stops the server at `atMs` from now for `forMs`; resolves with the time it was back, when it is. */
  async outage(atMs: number, forMs: number): Promise<number> {
    await sleep(atMs);
    await this.stop();
    await sleep(forMs);
    await this.start();
    return Date.now();
  }
}

async function freshDatabase(serverUrl: string, name: string): Promise<{ url: string; userIds: number[] }> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  const sequelize = createSequelize(url, { poolMax: 2 });
  try {
    await createMigrator(sequelize).up();
    return { url, userIds: await seedBenchUsers(sequelize, USERS, 'outage') };
  } finally {
    await sequelize.close();
  }
}

async function check(url: string, run: string, userIds: number[]) {
  const sequelize = createSequelize(url, { poolMax: 2 });
  try {
    return await checkLedger(sequelize, run, EVENTS, userIds);
  } finally {
    await sequelize.close();
  }
}

/** Before the spool: trackSafe logs and returns failures while the database is down. */
async function baseline(server: StoppablePostgres, serverUrl: string) {
  const { url, userIds } = await freshDatabase(serverUrl, 'outage_baseline');
  const sequelize = createSequelize(url, { poolMax: 32 });
  const tracker = createTracker({ sequelize, logger: quiet });
  const outage = server.outage(OUTAGE_AT_MS, OUTAGE_MS);
  const tally = await runCallers(0, EVENTS, (i) => tracker.trackSafe(benchEvent('baseline', i, userIds)));
  await outage;
  await sequelize.close();
  return { events: EVENTS, thrown_to_callers: tally.thrown, failed_to_callers: tally.failed, ...(await check(url, 'baseline', userIds)), drain_seconds: null };
}

async function spooled(server: StoppablePostgres, serverUrl: string, spoolDir: string) {
  const { url, userIds } = await freshDatabase(serverUrl, 'outage_spool');
  const app = startSpooledTracker(url, spoolDir, quiet);
  const outage = server.outage(OUTAGE_AT_MS, OUTAGE_MS);
  const tally = await runCallers(0, EVENTS, (i) => app.tracker.trackSafe(benchEvent('spool', i, userIds)));
  const backAt = await outage;
  await app.drained();
  const drainSeconds = (Date.now() - backAt) / 1000;
  await app.close();
  return { events: EVENTS, thrown_to_callers: tally.thrown, spooled: tally.spooled, ...(await check(url, 'spool', userIds)), drain_seconds: drainSeconds };
}

interface Worker {
  acked: Set<number>;
  spooled: number;
  thrown: number;
  lines: Map<string, number>;
  exited: Promise<number | null>;
  kill(): void;
}

function startWorker(url: string, spoolDir: string, from: number, userIds: number[]): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench/outage/worker.ts'), url, spoolDir, 'kill', String(from), String(EVENTS), userIds.join(',')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const worker: Worker = {
    acked: new Set(),
    spooled: 0,
    thrown: 0,
    lines: new Map(),
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    kill: () => child.kill('SIGKILL'),
  };
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      const [kind, a, b] = line.split(' ');
      if (kind === 'ack') {
        if (b === 'thrown') worker.thrown++;
        else worker.acked.add(Number(a));
        if (b === 'spooled') worker.spooled++;
      } else if (kind) worker.lines.set(kind, Number(a));
    }
  });
  return worker;
}

/** The process dies by SIGKILL while events are spooled; a new one starts and drains them. */
async function killAndRestart(server: StoppablePostgres, serverUrl: string, spoolDir: string) {
  const { url, userIds } = await freshDatabase(serverUrl, 'outage_kill');
  const first = startWorker(url, spoolDir, 0, userIds);
  await sleep(OUTAGE_AT_MS);
  await server.stop();
  await sleep(OUTAGE_MS / 2);
  const spooledAtKill = first.spooled;
  first.kill();
  await first.exited;
  await sleep(OUTAGE_MS / 2);
  await server.start();
  // Resend from the first event the killed process never answered: its callers would retry those (same ids).
  let resumeAt = 0;
  while (first.acked.has(resumeAt)) resumeAt++;
  const second = startWorker(url, spoolDir, resumeAt, userIds);
  const code = await second.exited;
  if (code !== 0) throw new Error(`the restarted worker exited with ${code}`);
  return {
    events: EVENTS,
    thrown_to_callers: first.thrown + second.thrown,
    spooled_at_kill: spooledAtKill,
    resent_after_restart: EVENTS - resumeAt,
    ...(await check(url, 'kill', userIds)),
    drain_seconds: second.lines.get('leftovers_drained') ?? null,
  };
}

async function main(): Promise<void> {
  const server = new StoppablePostgres(await freePort());
  const serverUrl = await server.start();
  const spoolRoot = mkdtempSync(path.join(PROJECT_ROOT, '.data', 'bench-outage-spool-'));
  try {
    const before = await baseline(server, serverUrl);
    const withSpool = await spooled(server, serverUrl, path.join(spoolRoot, 'spool'));
    const killed = await killAndRestart(server, serverUrl, path.join(spoolRoot, 'kill'));
    console.log(JSON.stringify({ ...withSpool, kill_and_restart: killed, baseline_without_spool: before }));
  } finally {
    rmSync(spoolRoot, { recursive: true, force: true });
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
