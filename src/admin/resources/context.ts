import type { ComponentLoader } from 'adminjs';
import type { Sequelize } from 'sequelize';
import type { AppConfig } from '../../config.js';
import type { CoreModels } from '../../core/models/index.js';
import type { SectionRegistry } from '../../core/sections.js';
import type { AdminComponents } from '../components.js';

/** What the resource builders need from the application. */
export interface AdminContext {
  core: CoreModels;
  sequelize: Sequelize;
  /** The tracker's registry: built-in sections and every plugin's. */
  sections: SectionRegistry;
  config: AppConfig;
  components: AdminComponents;
  /** The application's loader, for features that register components of their own (export). */
  componentLoader: ComponentLoader;
}

/** Actions that only read: viewers may run them, and they stay on read-only resources. */
export const READ_ACTIONS = new Set(['list', 'show', 'search']);

/** new, edit and delete switched off: the resource is read-only through every built-in action. */
export const NO_WRITE_ACTIONS = {
  new: { isAccessible: false, isVisible: false },
  edit: { isAccessible: false, isVisible: false },
  delete: { isAccessible: false, isVisible: false },
  bulkDelete: { isAccessible: false, isVisible: false },
};

/** The export feature's action only reads: it stays on read-only resources and open to viewers (the feature decides the rest). */
export const EXPORT_READS = { export: { custom: { readOnly: true } } };
