import AdminJS, { BaseResource, ComponentLoader, type ResourceWithOptions } from 'adminjs';
import { Database, Resource } from '@adminjs/sequelize';
import type { Sequelize } from 'sequelize';
import type { AppConfig } from '../config.js';
import type { CoreModels } from '../core/models/index.js';
import type { SectionRegistry } from '../core/sections.js';
import { enforceRoles } from './access.js';
import { registerAdminComponents } from './components.js';
import { coreResources, LEDGER_RESOURCE_IDS } from './core-resources.js';
import { dashboardHandler } from './dashboard/handler.js';
import { SafeSequelizeResource } from './safe-resource.js';
import { alertResources } from './alerts/resources.js';
import { registerAlertComponents } from './alerts/components.js';
import { costReportPageHandler } from '../reports/report-router.js';
import type { AiUsageAdminParts } from '../mount/types.js';

let adapterRegistered = false;

/** AdminJS keeps adapters in a process-wide list: register ours once. */
function registerSequelizeAdapter(): void {
  if (adapterRegistered) return;
  AdminJS.registerAdapter({ Database, Resource });
  adapterRegistered = true;
}

export interface AdminOptions {
  /** Resources besides the core ones (the plugins'). */
  resources: ResourceWithOptions[];
  componentLoader: ComponentLoader;
  core: CoreModels;
  sequelize: Sequelize;
  /** The tracker's section registry: badge colours and filter choices. */
  sections: SectionRegistry;
  config: AppConfig;
  /** Shown in the panel's header. */
  companyName?: string;
  /** Gemini calls go to the built-in simulator: the panel says so on every page. */
  geminiSimulated?: boolean;
  /** Where the panel is mounted. Default /admin. */
  rootPath?: string;
}

export const ADMIN_ROOT = '/admin';

/**
 * A plugin's resource given as a bare Sequelize model gets the core resources' filters: whole days
 * in the panel's time zone, case-insensitive text, never a 500 on a malformed id.
 */
function withSafeFilters(resource: ResourceWithOptions, timeZone: string): ResourceWithOptions {
  const model = resource.resource as { sequelize?: unknown; getAttributes?: unknown };
  if (resource.resource instanceof BaseResource || !model?.sequelize || typeof model.getAttributes !== 'function') return resource;
  return { ...resource, resource: new SafeSequelizeResource(resource.resource as never, { timeZone }) };
}

export type LedgerAdminOptions = Pick<AdminOptions, 'resources' | 'componentLoader' | 'core' | 'sequelize' | 'sections' | 'config'>;

/**
 * What the ledger adds to an AdminJS panel (ours or a host's own): its components registered on
 * the loader, the core resources followed by `options.resources`, and the dashboard.
 */
export function ledgerAdminParts(options: LedgerAdminOptions): AiUsageAdminParts {
  registerSequelizeAdapter();
  const components = registerAdminComponents(options.componentLoader);
  const context = { core: options.core, sequelize: options.sequelize, sections: options.sections, config: options.config, components, componentLoader: options.componentLoader };
  const alertComponents = registerAlertComponents(options.componentLoader);
  return {
    resources: [...coreResources(context), ...alertResources(context, alertComponents), ...options.resources.map((r) => withSafeFilters(r, options.config.panelTimeZone))],
    dashboard: { component: components.Dashboard, handler: dashboardHandler(options.sequelize, options.sections, options.config.panelTimeZone) },
    pages: { costReport: { component: alertComponents.CostReport, handler: costReportPageHandler(options.sequelize, options.sections), icon: 'DollarSign' } },
    componentLoader: options.componentLoader,
    env: { PANEL_TIME_ZONE: options.config.panelTimeZone },
  };
}

/** Our own panel at `rootPath` over the ledger's parts, with roles enforced on every action. */
export function panelAdmin(parts: AiUsageAdminParts, options: { rootPath?: string; companyName?: string; geminiSimulated?: boolean } = {}): AdminJS {
  const rootPath = options.rootPath ?? ADMIN_ROOT;
  const admin = new AdminJS({
    rootPath,
    loginPath: `${rootPath}/login`,
    logoutPath: `${rootPath}/logout`,
    resources: parts.resources,
    componentLoader: parts.componentLoader,
    dashboard: parts.dashboard,
    pages: parts.pages,
    branding: {
      companyName: `${options.companyName ?? 'AI usage ledger'}${options.geminiSimulated ? ' (Gemini simulated)' : ''}`,
      withMadeWithLove: false,
      // No logo: the header shows the name, and with it whether Gemini is simulated.
      logo: false,
    },
    env: { ...parts.env, GEMINI_SIMULATED: options.geminiSimulated ? 'true' : 'false' },
    settings: { defaultPerPage: 20 },
  });
  enforceRoles(admin, LEDGER_RESOURCE_IDS);
  return admin;
}

/** The AdminJS panel: core resources, then the plugins', the dashboard, and roles enforced on every action. */
export function createAdmin(options: AdminOptions): AdminJS {
  return panelAdmin(ledgerAdminParts(options), options);
}
