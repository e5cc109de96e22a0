import type { ActionContext, ActionRequest, ActionResponse } from 'adminjs';
import { unlink } from 'node:fs/promises';
import type { ExportSettings } from '../settings.js';
import { IMPORT_MODES, type ImportMode } from '../types.js';
import { importAccess } from './import-access.js';
import { importRows } from './import-rows.js';
import type { ImportReport } from './import-report.js';
import { parseImportFile } from './parse-file.js';
import { ImportFileError } from './parsed-file.js';

/** What the import dialog shows before an upload. */
export interface ImportDialogData {
  fields: string[];
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

function summary(report: ImportReport): string {
  if (!report.committed) return `Nothing imported: ${report.failed} of ${report.rows} rows are invalid (see the report).`;
  const done = `Imported ${report.rows} rows: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged`;
  return report.failed > 0 ? `${done}, ${report.failed} skipped (see the report).` : `${done}.`;
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
      const dialog: ImportDialogData = { fields: access.writable, defaultMode: access.settings.mode, modes, maxFileBytes: access.settings.maxFileBytes, maxRows: access.settings.maxRows };
      return { importDialog: dialog };
    }
    const file = uploadOf(request.payload);
    try {
      if (!file) throw new ImportFileError('choose a file to import (CSV, JSON, NDJSON or XLSX)');
      if ((file.size ?? 0) > access.settings.maxFileBytes) throw new ImportFileError(`the file is larger than ${access.settings.maxFileBytes} bytes`);
      const mode = (request.payload?.mode as ImportMode | undefined) ?? access.settings.mode;
      if (!modes.includes(mode)) throw new ImportFileError(`mode must be ${modes.join(' or ')}`);
      const parsed = await parseImportFile(file.path, file.name ?? '', access.settings.maxRows);
      const report = await importRows({ model: access.model, file: parsed, known: access.known, writable: access.writable, mode, mayCreate: access.mayCreate, mayUpdate: access.mayUpdate });
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
