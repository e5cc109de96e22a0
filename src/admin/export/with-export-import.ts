import type { FeatureType, ResourceWithOptions } from 'adminjs';
import { exportImportFeature } from './feature.js';
import type { ExportImportFeatureOptions } from './types.js';

/**
 * Adds export/import to every resource of a list (after the features it already has), the one-line
 * way for a plugin: `resources: (ctx) => withExportImport(myResources(ctx.models), { componentLoader: ctx.componentLoader })`.
 * One feature instance serves them all; give a resource its own exportImportFeature for options of its own.
 */
export function withExportImport(resources: ResourceWithOptions[], options: ExportImportFeatureOptions): ResourceWithOptions[] {
  const feature: FeatureType = exportImportFeature(options);
  return resources.map((resource) => ({ ...resource, features: [...(resource.features ?? []), feature] }));
}
