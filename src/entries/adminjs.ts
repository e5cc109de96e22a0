export { createAdmin, ledgerAdminParts, panelAdmin, ADMIN_ROOT, type AdminOptions, type LedgerAdminOptions } from '../admin/create-admin.js';
export { registerAdminComponents, type AdminComponents } from '../admin/components.js';
export { enforceRoles, canWrite, ADMIN_ROLE } from '../admin/access.js';
export { exportImportFeature, withExportImport, createExportRouter } from '../admin/export/index.js';
export { prepareAdminBundle, bundleDir, type AdminBundle } from '../admin/bundle/index.js';
export type { AiUsageAdminParts } from '../mount/types.js';
