import AdminJS, { ComponentLoader, type ResourceWithOptions } from 'adminjs';
import { Database, Resource } from '@adminjs/sequelize';

let adapterRegistered = false;

/** AdminJS keeps adapters in a process-wide list: register ours once. */
function registerSequelizeAdapter(): void {
  if (adapterRegistered) return;
  AdminJS.registerAdapter({ Database, Resource });
  adapterRegistered = true;
}

export interface AdminOptions {
  resources: ResourceWithOptions[];
  componentLoader: ComponentLoader;
  /** Shown in the panel's header. */
  companyName?: string;
}

export const ADMIN_ROOT = '/admin';

export function createAdmin(options: AdminOptions): AdminJS {
  registerSequelizeAdapter();
  return new AdminJS({
    rootPath: ADMIN_ROOT,
    loginPath: `${ADMIN_ROOT}/login`,
    logoutPath: `${ADMIN_ROOT}/logout`,
    resources: options.resources,
    componentLoader: options.componentLoader,
    branding: { companyName: options.companyName ?? 'AI usage ledger', withMadeWithLove: false },
  });
}
