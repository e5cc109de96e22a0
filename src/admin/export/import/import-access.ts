import type { BaseResource, CurrentAdmin } from 'adminjs';
import type { ModelStatic } from 'sequelize';
import { exportableFields } from '../fields.js';
import { sequelizeModelOf } from '../sequelize-source.js';
import { mayImport, type ExportSettings, type ImportSettings } from '../settings.js';

/** What one admin may import into one resource, or why not. */
export type ImportAccess =
  | { allowed: true; settings: ImportSettings; model: ModelStatic<any>; mayCreate: boolean; mayUpdate: boolean; known: string[]; writable: string[] }
  | { allowed: false; reason: string };

/**
 * Import needs: the feature's import on, an admin (viewers never import), a Sequelize model to
 * validate with, and the resource's own `new` (to create) or `edit` (to update) action open to them,
 * so a read-only resource stays read-only whatever the import options say.
 */
export function importAccess(resource: BaseResource, settings: ExportSettings, currentAdmin: CurrentAdmin | undefined): ImportAccess {
  if (!settings.import) return { allowed: false, reason: 'import is off for this resource' };
  if (!mayImport(settings, currentAdmin)) return { allowed: false, reason: 'only admins may import' };
  const model = settings.import.model ?? sequelizeModelOf(resource);
  if (!model) return { allowed: false, reason: 'this resource has no Sequelize model to import into' };
  const actions = resource.decorate().actions;
  const mayCreate = !!actions.new?.isAccessible(currentAdmin);
  const mayUpdate = !!actions.edit?.isAccessible(currentAdmin);
  if (!mayCreate && !mayUpdate) return { allowed: false, reason: 'records of this resource cannot be created or edited' };
  const known = exportableFields(resource, settings);
  const decorated = resource.decorate();
  const writable = settings.import.fields ?? known.filter((field) => decorated.getPropertyByKey(field)?.isVisible('edit'));
  return { allowed: true, settings: settings.import, model, mayCreate, mayUpdate, known: [...new Set([...known, ...writable])], writable };
}
