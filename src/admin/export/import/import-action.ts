import type { ActionContext, ActionRequest, ActionResponse } from 'adminjs';
import { unlink } from 'node:fs/promises';
import { exportLabels } from '../export-labels.js';
import { panelTimeZoneOf } from '../panel-labels.js';
import type { ExportSettings } from '../settings.js';
import { IMPORT_MODES, type ImportMode } from '../types.js';
import { importAccess } from './import-access.js';
import { importRows } from './import-rows.js';
import type { ImportReport } from './import-report.js';
import { parseImportFile } from './parse-file.js';
import { ImportFileError } from './parsed-file.js';
import { counted } from './readable-errors.js';

/** What the import dialog shows before an upload. */
export interface ImportDialogData {
  fields: string[];
  /** Each field's label: a file's header may be either (CSV and XLSX exports write labels). */
  labels: Record<string, string>;
  defaultMode: ImportMode;
  modes: ImportMode[];
  maxFileBytes: number;
  maxRows: number;
}

/** The file as express-formidable hands it over in the action's payload. */
interface UploadedFile {
  path: string;
  name?: string;
  size?: number;
}

function uploadOf(payload: Record<string, unknown> | undefined): UploadedFile | undefined {
  const file = payload?.file as UploadedFile | undefined;
  return file && typeof file.path === 'string' ? file : undefined;
}

/** The notice after an import, with the first problem in words: "Nothing imported: 1 of 2 rows is invalid (line 3: Token quota must be at least 0)." */
function summary(report: ImportReport): string {
  const first = report.errors[0];
  const example = first ? ` (${report.lineUnit} ${first.line}: ${first.message}${report.errors.length > 1 || report.moreErrors > 0 ? '; see the report' : ''})` : '';
  if (!report.committed) return `Nothing imported: ${report.failed.toLocaleString('en-US')} of ${counted(report.rows, 'row')} ${report.failed === 1 ? 'is' : 'are'} invalid${example}.`;
  const done = `Imported ${counted(report.rows, 'row')}: ${report.created.toLocaleString('en-US')} created, ${report.updated.toLocaleString('en-US')} updated, ${report.unchanged.toLocaleString('en-US')} unchanged`;
  return report.failed > 0 ? `${done}, ${report.failed.toLocaleString('en-US')} skipped${example}.` : `${done}.`;
}

/**
 * The `import` action: GET describes the import, POST (multipart, field `file`, optional `mode`)
 * imports the file. A malformed file or a refused import answers with an error notice, never a 500.
 */
export function importActionHandler(settings: ExportSettings, logError: (message: string, error: unknown) => void) {
  return async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
    const access = importAccess(context.resource, settings, context.currentAdmin);
    if (!access.allowed) return { importError: access.reason, notice: { message: access.reason, type: 'error' } };
    const modes: ImportMode[] = access.settings.allowPerRow ? [...IMPORT_MODES] : [access.settings.mode];
    if (request.method !== 'post') {
      const labels = await exportLabels(context._admin, context.resource, settings, access.writable, context.currentAdmin);
      const dialog: ImportDialogData = { fields: access.writable, labels, defaultMode: access.settings.mode, modes, maxFileBytes: access.settings.maxFileBytes, maxRows: access.settings.maxRows };
      return { importDialog: dialog };
    }
    const file = uploadOf(request.payload);
    try {
      if (!file) throw new ImportFileError('choose a file to import (CSV, JSON, NDJSON or XLSX)');
      if ((file.size ?? 0) > access.settings.maxFileBytes) throw new ImportFileError(`the file is larger than ${access.settings.maxFileBytes} bytes`);
      const mode = (request.payload?.mode as ImportMode | undefined) ?? access.settings.mode;
      if (!modes.includes(mode)) throw new ImportFileError(`mode must be ${modes.join(' or ')}`);
      const parsed = await parseImportFile(file.path, file.name ?? '', access.settings.maxRows);
      const labels = await exportLabels(context._admin, context.resource, settings, access.known, context.currentAdmin);
      const timeZone = panelTimeZoneOf(context._admin);
      const report = await importRows({ model: access.model, file: parsed, known: access.known, writable: access.writable, mode, mayCreate: access.mayCreate, mayUpdate: access.mayUpdate, labels, timeZone });
      return { importReport: report, notice: { message: summary(report), type: report.committed && report.failed === 0 ? 'success' : 'error' } };
    } catch (error) {
      if (!(error instanceof ImportFileError)) logError(`[IMPORT] import into ${context.resource.decorate().id()} failed`, error);
      const message = error instanceof ImportFileError ? error.message : `import failed: ${(error as Error).message}`;
      return { importError: message, notice: { message, type: 'error' } };
    } finally {
      if (file) await unlink(file.path).catch((error: NodeJS.ErrnoException) => error.code !== 'ENOENT' && logError('[IMPORT] cannot remove the uploaded file', error));
    }
  };
}
