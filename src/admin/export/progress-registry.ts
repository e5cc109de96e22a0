import type { ExportProgress } from './types.js';

interface Entry {
  progress: ExportProgress;
  /** Who started it: only they may watch or cancel it. */
  owner: string;
  cancel: () => void;
}

/** How long a finished export's final count stays readable. */
const KEEP_FINISHED_MS = 5 * 60_000;
const EXPORT_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** Running and recently finished exports by id: rows written so far, and a way to cancel. */
export class ExportProgressRegistry {
  private readonly entries = new Map<string, Entry>();

  static isValidId(id: string): boolean {
    return EXPORT_ID.test(id);
  }

  /** Registers a starting export; false when the id is already taken by another. */
  start(progress: ExportProgress, owner: string, cancel: () => void): boolean {
    const existing = this.entries.get(progress.exportId);
    if (existing && existing.progress.state === 'running') return false;
    this.entries.set(progress.exportId, { progress, owner, cancel });
    return true;
  }

  update(exportId: string, rows: number, waitingForClient: boolean): void {
    const entry = this.entries.get(exportId);
    if (!entry) return;
    entry.progress.rows = rows;
    entry.progress.waitingForClient = waitingForClient;
  }

  finish(exportId: string, state: Exclude<ExportProgress['state'], 'running'>, error?: string): void {
    const entry = this.entries.get(exportId);
    if (!entry || entry.progress.state !== 'running') return;
    entry.progress.state = state;
    entry.progress.waitingForClient = false;
    if (error) entry.progress.error = error;
    setTimeout(() => {
      if (this.entries.get(exportId) === entry) this.entries.delete(exportId);
    }, KEEP_FINISHED_MS).unref();
  }

  /** The export's progress, if it exists and belongs to `owner`. */
  get(exportId: string, owner: string): ExportProgress | undefined {
    const entry = this.entries.get(exportId);
    return entry && entry.owner === owner ? { ...entry.progress } : undefined;
  }

  /** Cancels a running export of `owner`; false when there is none. */
  cancel(exportId: string, owner: string): boolean {
    const entry = this.entries.get(exportId);
    if (!entry || entry.owner !== owner || entry.progress.state !== 'running') return false;
    entry.cancel();
    return true;
  }
}
