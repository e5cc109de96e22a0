import { buildFeature, type ActionContext, type FeatureType } from 'adminjs';
import { fileURLToPath } from 'node:url';
import { exportActionHandler } from './export-action.js';
import { importAccess } from './import/import-access.js';
import { importActionHandler } from './import/import-action.js';
import { bindSettings, mayExport, resolveSettings } from './settings.js';
import type { ExportImportFeatureOptions } from './types.js';

export const EXPORT_COMPONENT = 'AiUsageExportDialog';
export const IMPORT_COMPONENT = 'AiUsageImportDialog';

const componentPath = (name: string) => fileURLToPath(new URL(`./components/${name}`, import.meta.url));

/** Export needs the feature's permission for the role and the list itself being open to the admin. */
function canExport(settings: ReturnType<typeof resolveSettings>) {
  return ({ currentAdmin, resource }: ActionContext) => mayExport(settings, currentAdmin) && !!resource.decorate().actions.list?.isAccessible(currentAdmin);
}

/**
 * Export exactly the filtered records (CSV, XLSX, NDJSON, JSON; fields chosen; streamed) and import
 * CSV/JSON/NDJSON/XLSX with validation in one transaction, as a resource feature:
 *
 *   features: [exportImportFeature({ componentLoader, import: false })]
 *
 * The download streams from createExportRouter(), mounted in the panel's authenticated router.
 */
export function exportImportFeature(options: ExportImportFeatureOptions): FeatureType {
  const settings = resolveSettings(options);
  const logError = options.logError ?? ((message: string, error: unknown) => console.error(message, error));
  const exportComponent = options.componentLoader.add(EXPORT_COMPONENT, componentPath('ExportDialog'));
  const importComponent = options.componentLoader.add(IMPORT_COMPONENT, componentPath('ImportDialog'));
  const exportAllowed = canExport(settings);
  const importAllowed = ({ currentAdmin, resource }: ActionContext) => importAccess(resource, settings, currentAdmin).allowed;
  return buildFeature({
    actions: {
      export: {
        actionType: 'resource',
        icon: 'Download',
        showInDrawer: true,
        component: exportComponent,
        isAccessible: exportAllowed,
        isVisible: exportAllowed,
        handler: bindSettings(exportActionHandler(settings), settings),
        // Exporting only reads: the panel's role rules let viewers run it and keep it on read-only resources.
        custom: { readOnly: true },
      },
      ...(settings.import && {
        import: {
          actionType: 'resource',
          icon: 'Upload',
          showInDrawer: true,
          component: importComponent,
          isAccessible: importAllowed,
          isVisible: importAllowed,
          handler: importActionHandler(settings, logError),
          // The panel's router reads a file only for actions declaring this, after the role check.
          custom: { upload: { maxFileBytes: settings.import.maxFileBytes } },
        },
      }),
    },
  });
}
