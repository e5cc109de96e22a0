import type AdminJS from 'adminjs';
import type { AppConfig } from '../../config.js';
import { prepareAdminBundle } from './admin-bundle.js';

export { bundleDir, prepareAdminBundle, type AdminBundle, type PrepareBundleOptions } from './admin-bundle.js';

/**
 * The panel's component bundle as a memoized function: the first call builds (or, prebuilt, checks)
 * it, later calls return the same file. A failed build is retried at the next call.
 */
export function adminBundleFor(admin: AdminJS, config: AppConfig): () => Promise<string> {
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= prepareAdminBundle(admin, { production: config.production, prebuiltOnly: config.adminBundle === 'prebuilt' }).then(
      (bundle) => bundle.file,
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}
