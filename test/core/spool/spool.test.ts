import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Sequelize } from 'sequelize';
import { createSequelize, createTracker, EventTooOldError, TrackingStorageError, type Tracker } from '../../../src/core/index.js';
import { EventSpool, spoolHealthReport, startSpoolDrainer, type SpoolDrainer } from '../../../src/core/spool/index.js';
import { PROJECT_ROOT } from '../../../src/runtime/config.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { aggregateMismatches, insertSubscription, insertUser, one } from '../../support/fixtures.js';
import { closedPort, fakeDatabaseServer, recordingLogger, sampleEvent, tempSpoolDir } from './support.js';

let db: TestDatabase;
let spoolDir: ReturnType<typeof tempSpoolDir>;
const closers: (() => Promise<unknown> | unknown)[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ poolMax: 6 });
});
afterAll(() => db.drop());
beforeEach(() => {
  spoolDir = tempSpoolDir();
});
afterEach(async () => {
  while (closers.length) await closers.pop()!();
  spoolDir.remove();
});

/** A spool for the test database, its tracker writing to `writeTo` (the real database, or a dead one). */
function spooledTracker(writeTo: Sequelize, options: { maxBytes?: number; writeTimeoutMs?: number } = {}) {
  const logger = recordingLogger();
  const spool = new EventSpool({ dir: spoolDir.dir, databaseUrl: db.url, maxBytes: options.maxBytes ?? 64 * 1024 * 1024, writeTimeoutMs: options.writeTimeoutMs, logger });
  closers.push(() => spool.close());
  const tracker = createTracker({ sequelize: writeTo, logger, spool });
  return { spool, tracker, logger };
}

/** A drainer into the real test database that only runs when the test calls it. */
function drainerFor(spool: EventSpool, options: { maxAttempts?: number; maxEventAgeMs?: number } = {}): SpoolDrainer {
  const { maxEventAgeMs, ...drainerOptions } = options;
  const tracker = createTracker({ sequelize: db.sequelize, logger: recordingLogger(), maxEventAgeMs });
  const drainer = startSpoolDrainer({ spool, tracker, sequelize: db.sequelize, logger: recordingLogger(), background: false, ...drainerOptions });
  closers.push(() => drainer.stop());
  return drainer;
}

async function deadDatabase(): Promise<Sequelize> {
  const sequelize = createSequelize(`postgres://postgres@127.0.0.1:${await closedPort()}/x`);
  closers.push(() => sequelize.close());
  return sequelize;
}

const logCount = async (ids: string[]) =>
  Number((await one<{ n: string }>(db.sequelize, 'SELECT count(*) AS n FROM ai_usage_logs WHERE id = ANY($1::uuid[])', [ids])).n);

describe('trackSafe while the database is down', () => {
  it('spools the normalised event and says so once; the strict track() still throws', async () => {
    const { spool, tracker, logger } = spooledTracker(await deadDatabase());
    const createdAt = new Date(Date.now() - 60_000);
    const first = await tracker.trackSafe(sampleEvent({ createdAt }));
    const second = await tracker.trackSafe(sampleEvent());
    expect(first).toMatchObject({ ok: true, status: 'spooled', costUsd: null });
    expect(second).toMatchObject({ ok: true, status: 'spooled' });
    expect(spool.health()).toMatchObject({ depth: 2, outage: true });
    expect(logger.lines.filter((l) => l.message.startsWith('[TRACK_WARNING] the database cannot take events'))).toHaveLength(1);
    expect(logger.lines.some((l) => l.message.startsWith('[TRACK_ERROR]'))).toBe(false);
    await expect(tracker.track(sampleEvent())).rejects.toBeInstanceOf(TrackingStorageError);
  });

  it('stops trying the database after the first failure (no caller waits for each connection attempt)', async () => {
    const server = await fakeDatabaseServer('reset');
    closers.push(() => server.close());
    const sequelize = createSequelize(server.url);
    closers.push(() => sequelize.close());
    const { tracker } = spooledTracker(sequelize);
    expect(await tracker.trackSafe(sampleEvent())).toMatchObject({ status: 'spooled' });
    const attempts = server.connections();
    expect(attempts).toBeGreaterThan(0);
    const results = await Promise.all(Array.from({ length: 20 }, () => tracker.trackSafe(sampleEvent())));
    expect(results.every((r) => r.status === 'spooled')).toBe(true);
    expect(server.connections()).toBe(attempts);
  });

  it('spools when the database accepts connections but never answers (write timeout)', async () => {
    const server = await fakeDatabaseServer('silent');
    closers.push(() => server.close());
    const sequelize = createSequelize(server.url);
    closers.push(() => sequelize.close());
    const { tracker, spool } = spooledTracker(sequelize, { writeTimeoutMs: 200 });
    expect(await tracker.trackSafe(sampleEvent())).toMatchObject({ ok: true, status: 'spooled' });
    expect(spool.health().outageReason).toBe('timeout');
  });

  it('never spools an event refused on its merits', async () => {
    const { tracker, spool } = spooledTracker(await deadDatabase());
    expect(await tracker.trackSafe(sampleEvent({ promptTokens: -3 }))).toMatchObject({ ok: false, error: { code: 'INVALID_EVENT' } });
    expect(await tracker.trackSafe(sampleEvent({ section: 'nope' }))).toMatchObject({ ok: false, error: { code: 'UNKNOWN_SECTION' } });
    const live = spooledTracker(db.sequelize);
    expect(await live.tracker.trackSafe(sampleEvent({ userId: 2_000_000_000 }))).toMatchObject({ ok: false, error: { code: 'UNKNOWN_USER' } });
    expect(spool.health().depth).toBe(0);
    expect(live.spool.health().depth).toBe(0);
  });

  it('refuses with SPOOL_FULL past the cap and logs the whole event', async () => {
    const { tracker, logger } = spooledTracker(await deadDatabase(), { maxBytes: 1 });
    const event = sampleEvent({ id: randomUUID(), metadata: { conversation_id: 'keep-me' } });
    const result = await tracker.trackSafe(event);
    expect(result).toMatchObject({ ok: false, status: 'failed', error: { code: 'SPOOL_FULL' } });
    const line = logger.lines.find((l) => l.message.startsWith('[TRACK_ERROR] SPOOL_FULL'));
    expect(line?.details).toEqual({ event });
  });
});

describe('draining', () => {
  it('replays an event older than the age window by now: it was checked when spooled (a long outage loses nothing)', async () => {
    const { spool, tracker } = spooledTracker(await deadDatabase());
    const event = sampleEvent({ id: randomUUID(), createdAt: new Date(Date.now() - 6 * 86_400_000) });
    expect(await tracker.trackSafe(event)).toMatchObject({ ok: true, status: 'spooled' });
    // Replayed by a process whose window (one hour) this 6-day-old event is far outside: what a week-long outage looks like.
    const late = createTracker({ sequelize: db.sequelize, logger: recordingLogger(), maxEventAgeMs: 3_600_000 });
    await expect(late.track(event)).rejects.toBeInstanceOf(EventTooOldError);
    const drainer = drainerFor(spool, { maxEventAgeMs: 3_600_000 });
    expect(await drainer.flush(60_000)).toBe(true);
    expect(await logCount([event.id!])).toBe(1);
    expect(spool.health()).toMatchObject({ depth: 0, unpublishedDeadLetters: 0 });
  });

  it('replays oldest first with the same id and createdAt, deletes after commit, and a second replay changes nothing', async () => {
    const userId = await insertUser(db.sequelize);
    await insertSubscription(db.sequelize, userId);
    const { spool, tracker } = spooledTracker(await deadDatabase());
    const createdAt = new Date(Date.now() - 3_600_000);
    const events = Array.from({ length: 30 }, (_, i) => sampleEvent({ id: randomUUID(), userId, createdAt: new Date(createdAt.getTime() + i), thoughtsTokens: i }));
    for (const event of events) await tracker.trackSafe(event);
    const ids = events.map((e) => e.id!);
    // What a crash between the commit and the delete leaves behind: the same rows again.
    const copies = spool.store.lease(100, 0).map(({ id, createdAt: at, payload }) => ({ id, createdAt: at, payload }));

    const drainer = drainerFor(spool);
    expect(await drainer.flush(60_000)).toBe(true);
    expect(await logCount(ids)).toBe(30);
    // Spooled before any price could be read, priced at replay by the same createdAt.
    const row = await one<{ created_at: Date; thoughts_tokens: number; cost_status: string }>(db.sequelize, 'SELECT created_at, thoughts_tokens, cost_status FROM ai_usage_logs WHERE id = $1', [ids[7]]);
    expect(row).toEqual({ created_at: new Date(createdAt.getTime() + 7), thoughts_tokens: 7, cost_status: 'priced' });
    const billed = async () => one<{ tokens_used: string }>(db.sequelize, 'SELECT tokens_used FROM subscriptions WHERE user_id = $1', [userId]);
    const before = await billed();

    spool.store.append(copies);
    expect(spool.health().depth).toBe(30);
    expect(await drainer.flush(60_000)).toBe(true);
    expect(await billed()).toEqual(before);
    expect(await logCount(ids)).toBe(30);
    expect(await aggregateMismatches(db.sequelize)).toEqual([]);
    expect(spool.health().lastDrainAt).toEqual(expect.any(Number));
  });

  it('two processes sharing the spool file lease disjoint rows: each event applied once', async () => {
    const { tracker } = spooledTracker(await deadDatabase());
    const events = Array.from({ length: 400 }, () => sampleEvent({ id: randomUUID() }));
    await Promise.all(events.map((e) => tracker.trackSafe(e)));
    const other = new EventSpool({ dir: spoolDir.dir, databaseUrl: db.url, maxBytes: 64 * 1024 * 1024, logger: recordingLogger() });
    closers.push(() => other.close());
    const first = spooledTracker(db.sequelize).spool;
    expect(first.store.file).toBe(other.store.file);
    const a = drainerFor(first);
    const b = drainerFor(other);
    let replayedA = 0;
    let replayedB = 0;
    for (;;) {
      const [ra, rb] = await Promise.all([a.drainOnce(), b.drainOnce()]);
      replayedA += ra.replayed;
      replayedB += rb.replayed;
      if (!ra.more && !rb.more) break;
    }
    expect(replayedA + replayedB).toBe(400);
    expect(await logCount(events.map((e) => e.id!))).toBe(400);
    expect(first.health().depth).toBe(0);
  });

  it('turns an event whose replay keeps failing on its merits into a dead letter, in the spool and in PostgreSQL', async () => {
    const userId = await insertUser(db.sequelize);
    const { spool, tracker } = spooledTracker(await deadDatabase());
    const id = randomUUID();
    await tracker.trackSafe(sampleEvent({ id, userId }));
    await db.sequelize.query('DELETE FROM users WHERE id = $1', { bind: [userId] });

    const drainer = startSpoolDrainer({ spool, tracker: createTracker({ sequelize: db.sequelize, logger: recordingLogger() }), sequelize: db.sequelize, logger: recordingLogger(), maxAttempts: 2, background: false, backoff: { initialMs: 0, maxMs: 0 } });
    closers.push(() => drainer.stop());
    await drainer.drainOnce();
    expect(spool.health()).toMatchObject({ depth: 1 });
    await drainer.drainOnce();
    expect(spool.health()).toMatchObject({ depth: 0 });
    await drainer.drainOnce(); // publishes
    const letter = await one<{ reason: string; attempts: number; payload: { event: { id: string } } }>(db.sequelize, 'SELECT reason, attempts, payload FROM ai_usage_dead_letters WHERE id = $1', [id]);
    expect(letter).toMatchObject({ reason: `user ${userId} does not exist`, attempts: 2, payload: { event: { id } } });
    expect(await logCount([id])).toBe(0);
    expect((await spoolHealthReport(spool, drainer, db.sequelize)).spool).toMatchObject({ depth: 0, deadLetters: 1 });
  });
});

describe('restart', () => {
  it('drains at the next start what a SIGKILLed process spooled, including rows it held leased', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'test/core/spool/spool-child.ts'), spoolDir.dir, db.url, String(await closedPort()), '25'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    closers.push(() => child.kill('SIGKILL'));
    const ids = await new Promise<string[]>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk) => {
        out += chunk;
        if (out.includes('\n')) resolve(JSON.parse(out));
      });
      child.once('exit', (code) => reject(new Error(`spool child exited with ${code} before spooling`)));
    });
    child.kill('SIGKILL');
    await exited;

    const spool = new EventSpool({ dir: spoolDir.dir, databaseUrl: db.url, maxBytes: 64 * 1024 * 1024, logger: recordingLogger() });
    closers.push(() => spool.close());
    expect(spool.health().depth).toBe(25);
    expect(await drainerFor(spool).flush(60_000)).toBe(true);
    expect(await logCount(ids)).toBe(25);
  });
});
