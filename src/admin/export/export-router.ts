import type AdminJS from 'adminjs';
import type { BaseResource, CurrentAdmin } from 'adminjs';
import express, { type Request, type Response, type Router } from 'express';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { ListParamsError } from '../list-params.js';
import { ExportRequestError } from './errors.js';
import { ExportCancelled, openExportCursor } from './export-cursor.js';
import { exportLabels } from './export-labels.js';
import { DEFAULT_EXPORT_LIMITS, ExportRuns, type ExportLimits } from './export-runs.js';
import { defaultFields, exportableFields, requestedFields } from './fields.js';
import { attachmentHeader, exportFileName } from './file-name.js';
import { flatQueryOf, parseListQuery } from './list-query.js';
import { panelTimeZoneOf } from './panel-labels.js';
import { pumpRows } from './pump-rows.js';
import { mayExport, settingsOf, type ExportSettings } from './settings.js';
import { EXPORT_FORMATS, type ExportFormat } from './types.js';
import { FORMAT_FILES, createFormatWriter } from './writers/index.js';

export interface ExportRouterOptions {
  admin: AdminJS;
  /** PostgreSQL URL of the database the resources live in; each export streams on a connection of its own. */
  databaseUrl: string;
  /** Where failures that reach no client (a broken stream) are reported. Default console.error. */
  logError?: (message: string, error: unknown) => void;
  /** Concurrent exports per panel user and in total, over every app instance on the database. Default 2 and 8. */
  limits?: Partial<ExportLimits>;
  /** Heartbeat of this instance's exports and when a silent instance's exports stop counting (tests shorten them). */
  heartbeat?: { intervalMs?: number; staleAfterMs?: number };
}

export interface ExportRouter {
  /** Mount it under the panel's authenticated router (it reads the panel session), e.g. at `/export`. */
  router: Router;
  /** Running and recent exports of every instance (admin_exports). */
  runs: ExportRuns;
  /** Stops the heartbeat and the cancel listener and closes their connections (call it when the app stops). */
  close(): Promise<void>;
}

/** The panel's logged-in user, which @adminjs/express keeps in the session. */
function currentAdminOf(req: Request): CurrentAdmin | undefined {
  return (req.session as { adminUser?: CurrentAdmin } | undefined)?.adminUser;
}

const ownerOf = (admin: CurrentAdmin) => String(admin.id ?? admin.email);

function authorisedResource(admin: AdminJS, resourceId: string, currentAdmin: CurrentAdmin): { resource: BaseResource; settings: ExportSettings } {
  const resource = admin.resources.find((candidate) => candidate.decorate().id() === resourceId);
  const settings = resource && settingsOf(resource);
  if (!resource || !settings) throw new ExportRequestError(`no exportable resource "${resourceId}"`, 404);
  const actions = resource.decorate().actions;
  const allowed = mayExport(settings, currentAdmin) && actions.list?.isAccessible(currentAdmin) && actions.export?.isAccessible(currentAdmin);
  if (!allowed) throw new ExportRequestError(`you may not export ${resourceId}`, 403);
  return { resource, settings };
}

function formatOf(value: unknown, settings: ExportSettings): ExportFormat {
  const format = (value ?? 'csv') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format) || !settings.formats.includes(format)) {
    throw new ExportRequestError(`format must be one of ${settings.formats.join(', ')}`);
  }
  return format;
}

function exportIdOf(value: unknown): string {
  if (value === undefined) return randomUUID();
  if (typeof value !== 'string' || !ExportRuns.isValidId(value)) throw new ExportRequestError('exportId must be 8 to 64 letters, digits, - or _');
  return value;
}

/** A request error or a query PostgreSQL refused because of the filter's values answers 4xx; anything else is ours: 500. */
function errorAnswer(error: unknown): { status: number; message: string } {
  if (error instanceof ExportRequestError || error instanceof ListParamsError) return { status: error.status, message: error.message };
  if (error instanceof pg.DatabaseError && /^(22|42)/.test(error.code ?? '')) {
    return { status: 400, message: `the database cannot apply this filter: ${error.message}` };
  }
  return { status: 500, message: 'export failed' };
}

/**
 * GET /:resourceId?format=csv&fields=a,b&<the list's own query: filters.*, sortBy, direction, search>
 *   streams the records the list shows, all pages, as a file download.
 * GET /progress/:exportId          rows written so far ({ rows, state, waitingForClient }).
 * POST /progress/:exportId/cancel  stops a running export (its query too).
 */
export function createExportRouter(options: ExportRouterOptions): ExportRouter {
  const { admin, databaseUrl } = options;
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  const limits: ExportLimits = { ...DEFAULT_EXPORT_LIMITS, ...options.limits };
  const runs = new ExportRuns({ databaseUrl, limits, logError, heartbeatMs: options.heartbeat?.intervalMs, staleAfterMs: options.heartbeat?.staleAfterMs });
  const router = express.Router();

  /** The export's end as every instance will read it; a failure to record it is logged, the download is not failed for it. */
  const finish = (exportId: string, state: 'done' | 'cancelled' | 'failed', rows?: number, error?: string) =>
    runs.finish(exportId, state, rows, error).catch((failure) => logError(`[EXPORT] could not record that export ${exportId} ended (${state})`, failure));

  router.use((req, res, next) => {
    if (currentAdminOf(req)) return next();
    res.status(401).json({ error: 'log in to the panel first' });
  });

  router.get('/progress/:exportId', async (req, res) => {
    const found = await runs.get(req.params.exportId!, ownerOf(currentAdminOf(req)!));
    if (!found) return void res.status(404).json({ error: 'no such export' });
    res.set('cache-control', 'no-store').json(found);
  });

  router.post('/progress/:exportId/cancel', async (req, res) => {
    const cancelled = await runs.cancel(req.params.exportId!, ownerOf(currentAdminOf(req)!));
    res.status(cancelled ? 200 : 404).json(cancelled ? { cancelled: true } : { error: 'no such running export' });
  });

  router.get('/:resourceId', async (req: Request, res: Response) => {
    const currentAdmin = currentAdminOf(req)!;
    // Aborts when the client goes away (or the cancel endpoint destroys the response): stops the query.
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    let exportId: string | undefined;
    try {
      const resourceId = req.params.resourceId!;
      const { resource, settings } = authorisedResource(admin, resourceId, currentAdmin);
      const format = formatOf(req.query.format, settings);
      const id = exportIdOf(req.query.exportId);
      const flatQuery = flatQueryOf(new URL(req.originalUrl, 'http://localhost').searchParams);
      const listQuery = parseListQuery(resource, flatQuery, currentAdmin);
      const exportable = exportableFields(resource, settings);
      const fields = requestedFields(req.query.fields, exportable, defaultFields(resource, settings, exportable, listQuery));
      const select = await settings.sourceOf(resource).select(listQuery, fields);
      const started = await runs.start({ exportId: id, resourceId, format }, ownerOf(currentAdmin), () => res.destroy());
      if (!started.started) throw new ExportRequestError(started.message, started.status);
      exportId = id;
      const timeZone = panelTimeZoneOf(admin);
      const labels = await exportLabels(admin, resource, settings, fields, currentAdmin);
      const cursor = await openExportCursor(databaseUrl, select, settings.batchSize, abort.signal, timeZone);
      res.status(200).set({
        'content-type': FORMAT_FILES[format].contentType,
        'content-disposition': attachmentHeader(exportFileName(resourceId, flatQuery, FORMAT_FILES[format].extension)),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-export-id': id,
      });
      const writer = createFormatWriter(format, res, { sheetName: resourceId, labels, timeZone });
      const rows = await pumpRows(cursor, writer, abort.signal, (report) => runs.update(id, report.rows, report.waitingForClient), () => res.writableNeedDrain);
      if (rows === undefined) {
        await finish(id, 'cancelled');
      } else {
        // Recorded before the last byte goes out: whoever polls after the download sees it done.
        await finish(id, 'done', rows);
        await writer.end();
      }
    } catch (error) {
      const cancelled = error instanceof ExportCancelled || abort.signal.aborted;
      if (exportId) await finish(exportId, cancelled ? 'cancelled' : 'failed', undefined, cancelled ? undefined : (error as Error).message);
      abort.abort(); // closes the export's connection if it is still open
      if (cancelled || res.destroyed) return;
      if (res.headersSent) {
        logError(`[EXPORT] export ${exportId} broke off after its first bytes`, error);
        return void res.destroy(error as Error);
      }
      const { status, message } = errorAnswer(error);
      if (status >= 500) logError(`[EXPORT] export of ${req.params.resourceId} failed`, error);
      res.status(status).json({ error: message });
    }
  });

  return { router, runs, close: () => runs.close() };
}
