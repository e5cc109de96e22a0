import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

/** One spooled event: its id and createdAt (kept for a replay), and the prepared event as JSON. */
export interface SpoolRecord {
  id: string;
  createdAt: string;
  payload: string;
}

export interface SpoolRow extends SpoolRecord {
  seq: number;
  spooledAt: number;
  attempts: number;
  lastError: string | null;
}

export interface DeadLetterRow extends SpoolRecord {
  reason: string;
  attempts: number;
  spooledAt: number;
  deadAt: number;
}

export interface SpoolStats {
  depth: number;
  oldestSpooledAt: number | null;
  /** Dead letters not yet copied to ai_usage_dead_letters (the database was down when they died). */
  unpublishedDeadLetters: number;
  bytes: number;
  lastDrainAt: number | null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS spooled_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  payload TEXT NOT NULL,
  spooled_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  lease_owner TEXT,
  lease_until INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS dead_letters (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  payload TEXT NOT NULL,
  reason TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  spooled_at INTEGER NOT NULL,
  dead_at INTEGER NOT NULL,
  published INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS spool_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

const toRow = (r: Record<string, any>): SpoolRow => ({
  seq: r.seq, id: r.id, createdAt: r.created_at, payload: r.payload, spooledAt: r.spooled_at, attempts: r.attempts, lastError: r.last_error,
});

/**
 * The spool file: SQLite in WAL mode with synchronous=FULL, so an append that returned survives a
 * killed process or a power cut. Several processes may share one file: a drainer leases rows
 * (owner + expiry) in a write transaction before replaying them and deletes only rows it still holds.
 */
export class SpoolStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly statements;

  /** `owner` is `host:pid:token`; rows leased by a dead process of this host are freed at once. */
  constructor(dir: string, fileName: string, readonly owner: string) {
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, fileName);
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    // Another process holding the write lock for a moment is waited for, not an error.
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const db = this.db;
    this.statements = {
      insert: db.prepare('INSERT OR IGNORE INTO spooled_events (id, created_at, payload, spooled_at) VALUES (?, ?, ?, ?)'),
      lease: db.prepare(
        `UPDATE spooled_events SET lease_owner = ?, lease_until = ?
         WHERE seq IN (SELECT seq FROM spooled_events WHERE lease_until <= ? ORDER BY seq LIMIT ?)
         RETURNING *`,
      ),
      remove: db.prepare('DELETE FROM spooled_events WHERE seq = ? AND lease_owner = ?'),
      release: db.prepare('UPDATE spooled_events SET lease_owner = NULL, lease_until = ? WHERE seq = ? AND lease_owner = ?'),
      fail: db.prepare('UPDATE spooled_events SET attempts = attempts + 1, last_error = ?, lease_owner = NULL, lease_until = ? WHERE seq = ? AND lease_owner = ? RETURNING attempts'),
      bury: db.prepare(
        `INSERT OR REPLACE INTO dead_letters (id, created_at, payload, reason, attempts, spooled_at, dead_at)
         SELECT id, created_at, payload, ?, ?, spooled_at, ? FROM spooled_events WHERE seq = ? AND lease_owner = ?`,
      ),
      leaseOwners: db.prepare('SELECT DISTINCT lease_owner AS owner FROM spooled_events WHERE lease_owner IS NOT NULL'),
      freeOwner: db.prepare('UPDATE spooled_events SET lease_owner = NULL, lease_until = 0 WHERE lease_owner = ?'),
      unpublished: db.prepare('SELECT * FROM dead_letters WHERE published = 0 ORDER BY dead_at LIMIT ?'),
      published: db.prepare('UPDATE dead_letters SET published = 1 WHERE id = ?'),
      depth: db.prepare('SELECT count(*) AS depth, min(spooled_at) AS oldest FROM spooled_events'),
      deadLetters: db.prepare('SELECT count(*) AS n FROM dead_letters WHERE published = 0'),
      setState: db.prepare('INSERT INTO spool_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      getState: db.prepare('SELECT value FROM spool_state WHERE key = ?'),
    };
  }

  /** Bytes the rows take (pages in use, not the free pages deleted rows left behind). */
  usedBytes(): number {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * pageSize;
  }

  /** Appends in one transaction (one fsync for the lot); an id already spooled is kept once. */
  append(records: readonly SpoolRecord[], now = Date.now()): void {
    this.db.transaction(() => {
      for (const r of records) this.statements.insert.run(r.id, r.createdAt, r.payload, now);
    })();
  }

  /** Leases up to `limit` free rows, oldest first, for `leaseMs`; another process skips them until then. */
  lease(limit: number, leaseMs: number, now = Date.now()): SpoolRow[] {
    return this.db
      .transaction(() => (this.statements.lease.all(this.owner, now + leaseMs, now, limit) as Record<string, any>[]).map(toRow))
      .immediate()
      .sort((a, b) => a.seq - b.seq);
  }

  /** Deletes replayed rows, only those this owner still holds (an expired lease may have passed to another process). */
  remove(seqs: readonly number[]): void {
    this.db.transaction(() => {
      for (const seq of seqs) this.statements.remove.run(seq, this.owner);
    })();
  }

  /** Gives rows back untouched (the database went away mid-batch); free again from `retryAt`. */
  release(seqs: readonly number[], retryAt = 0): void {
    this.db.transaction(() => {
      for (const seq of seqs) this.statements.release.run(retryAt, seq, this.owner);
    })();
  }

  /** Counts a failed replay of a row and frees it from `retryAt`; returns its attempts so far. */
  recordFailure(seq: number, reason: string, retryAt: number): number {
    const row = this.statements.fail.get(reason, retryAt, seq, this.owner) as { attempts: number } | undefined;
    return row?.attempts ?? 0;
  }

  /** Moves a row to the dead letters with the reason, in one transaction. */
  bury(seq: number, reason: string, attempts: number, now = Date.now()): void {
    this.db.transaction(() => {
      const moved = this.statements.bury.run(reason, attempts, now, seq, this.owner);
      if (moved.changes) this.statements.remove.run(seq, this.owner);
    })();
  }

  /** Frees rows leased by processes of this host that no longer run (a SIGKILLed drainer), instead of waiting out their lease. */
  freeLeasesOfDeadProcesses(): number {
    let freed = 0;
    for (const { owner } of this.statements.leaseOwners.all() as { owner: string }[]) {
      const [host, pid] = owner.split(':');
      if (owner !== this.owner && host === hostname() && !isAlive(Number(pid))) freed += this.statements.freeOwner.run(owner).changes;
    }
    return freed;
  }

  unpublishedDeadLetters(limit: number): DeadLetterRow[] {
    return (this.statements.unpublished.all(limit) as Record<string, any>[]).map((r) => ({
      id: r.id, createdAt: r.created_at, payload: r.payload, reason: r.reason, attempts: r.attempts, spooledAt: r.spooled_at, deadAt: r.dead_at,
    }));
  }

  markPublished(id: string): void {
    this.statements.published.run(id);
  }

  setLastDrain(at: number): void {
    this.statements.setState.run('last_drain_at', at);
  }

  stats(): SpoolStats {
    const { depth, oldest } = this.statements.depth.get() as { depth: number; oldest: number | null };
    const { n } = this.statements.deadLetters.get() as { n: number };
    const lastDrain = this.statements.getState.get('last_drain_at') as { value: number } | undefined;
    return { depth, oldestSpooledAt: oldest, unpublishedDeadLetters: n, bytes: this.usedBytes(), lastDrainAt: lastDrain?.value ?? null };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
