import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { CANCEL_CHANNEL, listenForCancels, type CancelListener } from './cancel-listener.js';
import type { ExportProgress } from './types.js';

/** How many exports may run at once, counted over every instance of the app on the database. */
export interface ExportLimits {
  /** Running exports of one panel user (AI_USAGE_EXPORTS_PER_USER, default 2). */
  perUser: number;
  /** Running exports of everyone (AI_USAGE_EXPORTS_TOTAL, default 8): each holds a PostgreSQL connection. */
  total: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = { perUser: 2, total: 8 };

export interface ExportRunsOptions {
  databaseUrl: string;
  limits: ExportLimits;
  /** How often this instance tells the others that its exports are alive. Default 5 s. */
  heartbeatMs?: number;
  /** A running export without a heartbeat for this long belongs to a dead instance: failed, no longer counted. Default 30 s. */
  staleAfterMs?: number;
  /** How long a finished export's final state stays readable. Default 1 hour. */
  keepFinishedMs?: number;
  logError: (message: string, error: unknown) => void;
}

export type StartOutcome = { started: true } | { started: false; status: 409 | 429; message: string };

interface LocalRun {
  rows: number;
  waitingForClient: boolean;
  flushed: { rows: number; waitingForClient: boolean } | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Writes of this run, one after another (a later count never overtaken by an earlier one). */
  writing: Promise<void>;
  cancel: () => void;
}

/** Rows written are saved at most this often per export (a batch of rows takes a few milliseconds). */
const PROGRESS_FLUSH_MS = 250;
/** One lock for every start: the count of running exports and the insert happen as one step. */
const START_LOCK = 0x45_58_50_4f_52_54; // "EXPORT"
const EXPORT_ID = /^[A-Za-z0-9_-]{8,64}$/;
const DEAD_INSTANCE = 'the app instance running this export stopped responding';

const STALE = `state = 'running' AND heartbeat_at < now() - $1 * interval '1 millisecond'`;
const EXPIRE_STALE = `UPDATE admin_exports SET state = 'failed', error = '${DEAD_INSTANCE}', waiting_for_client = false, finished_at = now() WHERE ${STALE}`;

/**
 * Exports of every app instance in PostgreSQL (admin_exports): each instance writes the progress
 * of its own exports and heartbeats; any instance reads progress, cancels (NOTIFY reaches the
 * instance that runs the export at once, the heartbeat catches it otherwise) and counts running
 * exports against the caps under an advisory lock, so two instances never both take the last slot.
 */
export class ExportRuns {
  readonly instanceId = randomUUID();
  private readonly pool: pg.Pool;
  private readonly local = new Map<string, LocalRun>();
  private readonly listener: CancelListener;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly staleAfterMs: number;
  private readonly keepFinishedMs: number;

  constructor(private readonly options: ExportRunsOptions) {
    this.staleAfterMs = options.staleAfterMs ?? 30_000;
    this.keepFinishedMs = options.keepFinishedMs ?? 3_600_000;
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 3, application_name: 'adminjs-ai-usage export runs' });
    this.pool.on('error', (error) => options.logError('[EXPORT] an export-runs connection failed', error));
    this.listener = listenForCancels(options.databaseUrl, (exportId) => this.local.get(exportId)?.cancel(), options.logError);
    this.heartbeat = setInterval(() => void this.beat(), options.heartbeatMs ?? 5_000);
    this.heartbeat.unref();
  }

  static isValidId(id: string): boolean {
    return EXPORT_ID.test(id);
  }

  /** Resolves once cancels are being listened for (the heartbeat would catch them anyway, later). */
  ready(): Promise<void> {
    return this.listener.ready;
  }

  /** Registers a starting export of `owner` unless the id is running or a cap is reached (then the refusal is kept, for the dialog's poll). */
  async start(progress: Pick<ExportProgress, 'exportId' | 'resourceId' | 'format'>, owner: string, cancel: () => void): Promise<StartOutcome> {
    const { limits } = this.options;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [START_LOCK]);
      await client.query(EXPIRE_STALE, [this.staleAfterMs]);
      const { rows } = await client.query<{ mine: number; total: number; taken: boolean }>(
        `SELECT count(*) FILTER (WHERE owner = $1)::int AS mine, count(*)::int AS total, bool_or(id = $2) AS taken FROM admin_exports WHERE state = 'running'`,
        [owner, progress.exportId],
      );
      const { mine, total, taken } = rows[0]!;
      let refusal: string | undefined;
      if (taken) {
        await client.query('COMMIT');
        return { started: false, status: 409, message: `export ${progress.exportId} is already running` };
      }
      if (mine >= limits.perUser) refusal = `You already run ${mine} export${mine === 1 ? '' : 's'}, the most one user may run at once. Wait for one to finish or cancel it, then try again.`;
      else if (total >= limits.total) refusal = `${total} exports are running, the most the server runs at once. Try again in a few minutes.`;
      await client.query(
        `INSERT INTO admin_exports (id, owner, resource_id, format, state, error, instance_id, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $5 = 'running' THEN NULL ELSE now() END)
         ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, resource_id = excluded.resource_id, format = excluded.format, state = excluded.state,
           rows = 0, waiting_for_client = false, error = excluded.error, instance_id = excluded.instance_id,
           started_at = now(), heartbeat_at = now(), finished_at = excluded.finished_at`,
        [progress.exportId, owner, progress.resourceId, progress.format, refusal ? 'refused' : 'running', refusal ?? null, this.instanceId],
      );
      await client.query('COMMIT');
      if (refusal) return { started: false, status: 429, message: refusal };
      this.local.set(progress.exportId, { rows: 0, waitingForClient: false, flushed: undefined, timer: undefined, writing: Promise.resolve(), cancel });
      return { started: true };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Rows written so far: saved at once when the client starts or stops holding the export up, else at most every 250 ms. */
  update(exportId: string, rows: number, waitingForClient: boolean): void {
    const run = this.local.get(exportId);
    if (!run) return;
    run.rows = rows;
    const waitingChanged = run.waitingForClient !== waitingForClient;
    run.waitingForClient = waitingForClient;
    if (waitingChanged || run.flushed === undefined) {
      this.flush(exportId, run);
    } else if (!run.timer) {
      run.timer = setTimeout(() => this.flush(exportId, run), PROGRESS_FLUSH_MS);
    }
  }

  private flush(exportId: string, run: LocalRun): void {
    clearTimeout(run.timer);
    run.timer = undefined;
    const snapshot = { rows: run.rows, waitingForClient: run.waitingForClient };
    run.flushed = snapshot;
    run.writing = run.writing.then(() =>
      this.pool
        .query(`UPDATE admin_exports SET rows = $2, waiting_for_client = $3, heartbeat_at = now() WHERE id = $1 AND instance_id = $4 AND state = 'running'`, [
          exportId,
          snapshot.rows,
          snapshot.waitingForClient,
          this.instanceId,
        ])
        .then(
          () => undefined,
          (error) => this.options.logError(`[EXPORT] could not save the progress of export ${exportId}`, error),
        ),
    );
  }

  /** Records the end of this instance's export (unless it was cancelled meanwhile: that state stays). */
  async finish(exportId: string, state: 'done' | 'cancelled' | 'failed', rows?: number, error?: string): Promise<void> {
    const run = this.local.get(exportId);
    if (!run) return;
    this.local.delete(exportId);
    clearTimeout(run.timer);
    await run.writing;
    await this.pool.query(
      `UPDATE admin_exports SET state = $2, rows = $3, error = $4, waiting_for_client = false, finished_at = now()
        WHERE id = $1 AND instance_id = $5 AND state = 'running'`,
      [exportId, state, rows ?? run.rows, error ?? null, this.instanceId],
    );
  }

  /** The export's progress, if it exists and belongs to `owner` (started on any instance). */
  async get(exportId: string, owner: string): Promise<ExportProgress | undefined> {
    const { rows } = await this.pool.query<ExportProgress & { stale: boolean }>(
      `SELECT id AS "exportId", resource_id AS "resourceId", format, rows::float8 AS rows, state, waiting_for_client AS "waitingForClient", error, ${STALE} AS stale
         FROM admin_exports WHERE id = $2 AND owner = $3`,
      [this.staleAfterMs, exportId, owner],
    );
    const row = rows[0];
    if (!row) return undefined;
    const { stale, error, ...progress } = row;
    if (stale) return { ...progress, state: 'failed', waitingForClient: false, error: DEAD_INSTANCE };
    return error === null ? progress : { ...progress, error };
  }

  /** Cancels a running export of `owner`, wherever it runs; false when there is none. */
  async cancel(exportId: string, owner: string): Promise<boolean> {
    const { rows } = await this.pool.query(
      `WITH cancelled AS (
         UPDATE admin_exports SET state = 'cancelled', waiting_for_client = false, finished_at = now()
          WHERE id = $2 AND owner = $3 AND state = 'running' AND NOT (${STALE}) RETURNING id)
       SELECT pg_notify('${CANCEL_CHANNEL}', id) FROM cancelled`,
      [this.staleAfterMs, exportId, owner],
    );
    if (rows.length === 0) return false;
    this.local.get(exportId)?.cancel();
    return true;
  }

  /** Keeps this instance's exports alive, stops those cancelled elsewhere, expires dead instances' and forgets old finished ones. */
  private async beat(): Promise<void> {
    try {
      const ids = [...this.local.keys()];
      if (ids.length > 0) {
        const { rows } = await this.pool.query<{ id: string; state: string }>(
          `UPDATE admin_exports SET heartbeat_at = now() WHERE id = ANY($1) AND instance_id = $2 RETURNING id, state`,
          [ids, this.instanceId],
        );
        const running = new Set(rows.filter((row) => row.state === 'running').map((row) => row.id));
        for (const id of ids) if (!running.has(id)) this.local.get(id)?.cancel();
      }
      await this.pool.query(EXPIRE_STALE, [this.staleAfterMs]);
      await this.pool.query(`DELETE FROM admin_exports WHERE finished_at < now() - $1 * interval '1 millisecond'`, [this.keepFinishedMs]);
    } catch (error) {
      this.options.logError('[EXPORT] export heartbeat failed', error);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const run of this.local.values()) clearTimeout(run.timer);
    await this.listener.close();
    await this.pool.end();
  }
}
