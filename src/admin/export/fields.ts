import type { BaseResource } from 'adminjs';
import { shownPaths } from '../list-params.js';
import { ExportRequestError } from './errors.js';
import { columnAttributes, sequelizeModelOf } from './sequelize-source.js';
import type { ExportSettings } from './settings.js';
import type { ListQuery } from './types.js';
import { USER_FIELDS, userFieldOf } from './user-fields.js';

/** The primary key's field, if the resource has one. */
function keyOf(resource: BaseResource): string | undefined {
  return resource.properties().find((property) => property.isId())?.path();
}

/**
 * Fields an admin may export: the options' list, else the primary key (what a re-import matches
 * on) and every property shown in the list or on the record's page (so hidden ones such as
 * password hashes never leave) that is a real column of the resource.
 */
export function exportableFields(resource: BaseResource, settings: ExportSettings): string[] {
  if (settings.exportableFields) return settings.exportableFields;
  const model = sequelizeModelOf(resource);
  const columns = model ? new Set(columnAttributes(model)) : undefined;
  const shown = [...shownPaths(resource)].filter((path) => !columns || columns.has(path));
  const key = keyOf(resource);
  const fields = key && shown.includes(key) ? [key, ...shown.filter((path) => path !== key)] : shown;
  // The user's name and email right after the user id they are looked up by.
  const userField = userFieldOf(resource, settings);
  const at = userField ? fields.indexOf(userField) : -1;
  if (at >= 0) fields.splice(at + 1, 0, ...USER_FIELDS);
  return fields;
}

/**
 * The fields ticked by default: the options' list (or what its function makes of the list's query),
 * else the list's columns, always within the exportable ones; with import on, the primary key
 * first, so that a re-import updates in place.
 */
export function defaultFields(resource: BaseResource, settings: ExportSettings, exportable: readonly string[], query: ListQuery): string[] {
  const allowed = new Set(exportable);
  const listFields = resource.decorate().getListProperties().map((property) => property.propertyPath);
  const wanted = typeof settings.fields === 'function' ? settings.fields(query, listFields) : (settings.fields ?? listFields);
  const fields = wanted.filter((field) => allowed.has(field));
  // A spreadsheet reader needs the user's name more than their id: ticked next to it unless the options list the fields.
  const userField = userFieldOf(resource, settings);
  if (!Array.isArray(settings.fields) && userField && fields.includes(userField) && allowed.has(USER_FIELDS[0]) && !fields.includes(USER_FIELDS[0])) {
    fields.splice(fields.indexOf(userField) + 1, 0, USER_FIELDS[0]);
  }
  const key = keyOf(resource);
  if (settings.import && key && allowed.has(key) && !fields.includes(key)) fields.unshift(key);
  return fields.length > 0 ? fields : [...exportable];
}

/** The fields of a request (`a,b,c`), in the order asked, or the defaults; an unknown or repeated field is a 400. */
export function requestedFields(requested: unknown, exportable: readonly string[], defaults: readonly string[]): string[] {
  if (requested === undefined || requested === '') return [...defaults];
  if (typeof requested !== 'string') throw new ExportRequestError('fields must be a comma-separated list of field names');
  const allowed = new Set(exportable);
  const fields = requested.split(',').map((field) => field.trim()).filter(Boolean);
  const unknown = fields.filter((field) => !allowed.has(field));
  if (unknown.length > 0) throw new ExportRequestError(`cannot export ${unknown.map((f) => `"${f}"`).join(', ')}: not an exportable field (choose from ${exportable.join(', ')})`);
  if (new Set(fields).size !== fields.length) throw new ExportRequestError('fields must not repeat a field');
  if (fields.length === 0) throw new ExportRequestError('choose at least one field');
  return fields;
}
