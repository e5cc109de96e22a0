/**
 * Export and import of exactly the filtered records, as an AdminJS feature any resource can use
 * (core resources and plugins' resources alike):
 *
 *   import { exportImportFeature } from '<root>/src/admin/export/index.js';
 *   { resource: models.Thing, options: { id: 'things' }, features: [exportImportFeature({ componentLoader })] }
 *
 * plus, once per application, the streaming download route in the panel's authenticated router:
 *
 *   adminRouter.use('/export', createExportRouter({ admin, databaseUrl }).router);
 */
export { exportImportFeature } from './feature.js';
export { withExportImport } from './with-export-import.js';
export { createExportRouter, type ExportRouter, type ExportRouterOptions } from './export-router.js';
export { sequelizeExportSource } from './sequelize-source.js';
export { neutraliseFormulaText, restoreFormulaText } from './formula-injection.js';
export type { ImportReport, ImportRowError } from './import/import-report.js';
export {
  EXPORT_FORMATS,
  IMPORT_MODES,
  type DefaultFields,
  type ExportFormat,
  type ExportImportFeatureOptions,
  type ExportProgress,
  type ExportSelect,
  type ExportSource,
  type ImportMode,
  type ImportOptions,
  type ListQuery,
} from './types.js';
