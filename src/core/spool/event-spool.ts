import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { SpoolFullError } from '../errors.js';
import type { PreparedEvent, TrackerLogger, TrackerSpool } from '../tracker.js';
import { encodePrepared } from './payload.js';
import { SpoolStore, type SpoolRecord, type SpoolStats } from './spool-store.js';

export interface EventSpoolOptions {
  /** Directory of the spool file (AI_USAGE_SPOOL_DIR, default `.data/spool`). */
  dir: string;
  /** The database the events are for: processes sharing a directory share a file only when they share the database. */
  databaseUrl: string;
  /** Size cap in bytes (AI_USAGE_SPOOL_MAX_MB); past it trackSafe fails with SPOOL_FULL. */
  maxBytes: number;
  /** How long trackSafe waits for the database before spooling the event instead. Default 5000 ms. */
  writeTimeoutMs?: number;
  /** Where the [TRACK_WARNING] lines about spooling and draining go. */
  logger: TrackerLogger;
}

export interface SpoolHealth extends SpoolStats {
  file: string;
  maxBytes: number;
  /** True while this process believes the database is down and spools every event. */
  outage: boolean;
  outageReason: string | null;
}

/** `spool-<database>-<hash of host, port and database>.sqlite`: never replayed into another database. */
export function spoolFileName(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.slice(1)) || 'postgres';
  const hash = createHash('sha256').update(`${url.hostname}:${url.port || '5432'}/${database}`).digest('hex').slice(0, 10);
  return `spool-${database.replace(/[^A-Za-z0-9_-]/g, '_')}-${hash}.sqlite`;
}

interface Pending {
  record: SpoolRecord;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The durable spool behind trackSafe, and the circuit breaker in front of the database: after the
 * first failure that is not the event's fault, events go straight to the spool (no caller waits for
 * a connection timeout) until the drainer reaches the database again. Appends made in the same
 * turn of the event loop share one transaction, so one fsync covers many events.
 */
export class EventSpool implements TrackerSpool {
  readonly store: SpoolStore;
  readonly writeTimeoutMs: number;
  private pending: Pending[] = [];
  private flushScheduled = false;
  private outageReason: string | null = null;
  private spooledThisOutage = 0;

  constructor(private readonly options: EventSpoolOptions) {
    this.store = new SpoolStore(options.dir, spoolFileName(options.databaseUrl), `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`);
    this.writeTimeoutMs = options.writeTimeoutMs ?? 5000;
  }

  get outage(): boolean {
    return this.outageReason !== null;
  }

  /** Durably appends the event; resolves once it is on disk. Rejects with SpoolFullError past the cap. */
  append(prepared: PreparedEvent, reason: string): Promise<void> {
    this.databaseDown(reason);
    this.spooledThisOutage++;
    return new Promise((resolve, reject) => {
      this.pending.push({ record: encodePrepared(prepared), resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Opens the breaker; the first time in an outage, says so. */
  databaseDown(reason: string): void {
    if (this.outageReason !== null) return;
    this.outageReason = reason;
    this.spooledThisOutage = 0;
    this.options.logger.warn(`[TRACK_WARNING] the database cannot take events (${reason}): spooling them to ${this.store.file} until it can`, { reason, file: this.store.file });
  }

  /** Closes the breaker: the drainer reached the database. */
  databaseUp(): void {
    if (this.outageReason === null) return;
    this.outageReason = null;
    this.options.logger.warn(`[TRACK_WARNING] the database takes events again; recording directly, draining ${this.spooledThisOutage} spooled event(s)`, { spooled: this.spooledThisOutage });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      const used = this.store.usedBytes();
      if (used >= this.options.maxBytes) {
        throw new SpoolFullError(`the spool ${this.store.file} holds ${used} bytes, at its cap of ${this.options.maxBytes} (AI_USAGE_SPOOL_MAX_MB)`);
      }
      this.store.append(batch.map((p) => p.record));
    } catch (caught) {
      const error = (caught as { code?: string }).code === 'SQLITE_FULL' ? new SpoolFullError(`the disk of ${this.store.file} is full`) : (caught as Error);
      for (const p of batch) p.reject(error);
      return;
    }
    for (const p of batch) p.resolve();
  }

  health(): SpoolHealth {
    return { ...this.store.stats(), file: this.store.file, maxBytes: this.options.maxBytes, outage: this.outage, outageReason: this.outageReason };
  }

  /** Writes what is pending, then closes the file. */
  close(): void {
    this.flush();
    this.store.close();
  }
}
