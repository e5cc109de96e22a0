import type AdminJS from 'adminjs';
import type { BaseResource, CurrentAdmin } from 'adminjs';
import { fieldLabels } from './panel-labels.js';
import type { ExportSettings } from './settings.js';
import { USER_FIELD_LABELS } from './user-fields.js';

/** Spreadsheet headers of a resource's export fields: the feature's `labels`, else the panel's, with defaults for the joined user fields. */
export function exportLabels(admin: AdminJS | undefined, resource: BaseResource, settings: ExportSettings, fields: readonly string[], currentAdmin?: CurrentAdmin): Promise<Record<string, string>> {
  const userDefaults = Object.fromEntries(Object.entries(USER_FIELD_LABELS).filter(([field]) => fields.includes(field)));
  return fieldLabels(admin, resource, fields, { ...userDefaults, ...settings.labels }, currentAdmin);
}
