import type { ActionContext, ActionRequest, ActionResponse } from 'adminjs';
import { defaultFields, exportableFields } from './fields.js';
import { exportFileName } from './file-name.js';
import { flatQueryOfAction, parseListQuery } from './list-query.js';
import { exportLabels } from './export-labels.js';
import { panelTimeZoneOf } from './panel-labels.js';
import { mayExport, type ExportSettings } from './settings.js';
import { FORMAT_FILES } from './writers/index.js';

/** What the export dialog needs: formats, fields (and which are ticked), the record count and the download URL. */
export interface ExportDialogData {
  formats: string[];
  fields: string[];
  /** Each field's header in CSV and XLSX files: the panel's label (NDJSON and JSON keep the field paths). */
  labels: Record<string, string>;
  defaultFields: string[];
  /** Times in the file carry this zone's offset (the panel's time zone). */
  timeZone: string;
  /** Records the list shows with the current filters (all pages). */
  total: number;
  /** The streaming endpoint of this resource; the dialog appends format, fields, exportId and the list's query. */
  downloadPath: string;
  progressPath: string;
  /** The file name a CSV download would get, to show the admin what is about to be exported. */
  sampleFileName: string;
}

/** The `export` action's handler: describes the export of the list as its query string stands (the download itself streams from the router). */
export function exportActionHandler(settings: ExportSettings) {
  return async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
    if (!mayExport(settings, context.currentAdmin)) {
      return { notice: { message: 'You may not export these records.', type: 'error' } };
    }
    const { resource } = context;
    const flatQuery = flatQueryOfAction(request.query);
    const listQuery = parseListQuery(resource, flatQuery, context.currentAdmin);
    const fields = exportableFields(resource, settings);
    let total: number;
    try {
      total = await resource.count(listQuery.filter, context);
    } catch (error) {
      return { notice: { message: `The list cannot apply these filters: ${(error as Error).message}`, type: 'error' } };
    }
    const data: ExportDialogData = {
      formats: settings.formats,
      fields,
      labels: await exportLabels(context._admin, resource, settings, fields, context.currentAdmin),
      defaultFields: defaultFields(resource, settings, fields, listQuery),
      timeZone: panelTimeZoneOf(context._admin),
      total,
      downloadPath: `${settings.routePath}/${encodeURIComponent(resource.decorate().id())}`,
      progressPath: `${settings.routePath}/progress`,
      sampleFileName: exportFileName(resource.decorate().id(), flatQuery, FORMAT_FILES.csv.extension),
    };
    return { exportDialog: data };
  };
}
