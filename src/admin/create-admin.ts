import AdminJS, { ComponentLoader, type ResourceWithOptions } from 'adminjs';
import { Database, Resource } from '@adminjs/sequelize';
import { fileURLToPath } from 'node:url';
import type { Sequelize } from 'sequelize';
import type { AppConfig } from '../config.js';
import type { CoreModels } from '../core/models/index.js';
import type { SectionRegistry } from '../core/sections.js';
import type { HealthReport } from '../core/spool/index.js';
import { enforceRoles } from './access.js';
import { enforceListParams } from './list-params.js';
import { registerAdminComponents } from './components.js';
import { coreResources, LEDGER_RESOURCE_IDS } from './core-resources.js';
import { dashboardHandler } from './dashboard/handler.js';
import { alertResources } from './alerts/resources.js';
import { registerAlertComponents } from './alerts/components.js';
import { costReportPageHandler } from '../reports/report-router.js';
import { asPanelResource } from './plugin-resources.js';
import { PANEL_FAVICON, PANEL_LOCALE } from './panel-locale.js';
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
  /** The spool's health, shown as a line on the dashboard. */
  health?: () => Promise<HealthReport>;
}

export const ADMIN_ROOT = '/admin';

export type LedgerAdminOptions = Pick<AdminOptions, 'resources' | 'componentLoader' | 'core' | 'sequelize' | 'sections' | 'config' | 'health'>;

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
    resources: [...coreResources(context), ...alertResources(context, alertComponents), ...options.resources.map((r) => asPanelResource(r, { timeZone: options.config.panelTimeZone, usersResourceId: options.core.users.resourceId, components }))],
    dashboard: { component: components.Dashboard, handler: dashboardHandler(options.sequelize, options.sections, options.config.panelTimeZone, options.health) },
    pages: { costReport: { component: alertComponents.CostReport, handler: costReportPageHandler(options.sequelize, options.sections), icon: 'DollarSign' } },
    componentLoader: options.componentLoader,
    env: { PANEL_TIME_ZONE: options.config.panelTimeZone },
    locale: PANEL_LOCALE,
  };
}

/** Our own panel at `rootPath` over the ledger's parts, with roles enforced on every action. */
export function panelAdmin(parts: AiUsageAdminParts, options: { rootPath?: string; companyName?: string; geminiSimulated?: boolean } = {}): AdminJS {
  const rootPath = options.rootPath ?? ADMIN_ROOT;
  // Our panel logs out by POST only (src/http/panel-login.ts): its user menu posts.
  parts.componentLoader.override('LoggedIn', fileURLToPath(new URL('./components/logged-in', import.meta.url)));
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
      // Inline, so the browser asks the server for no /favicon.ico (a 404 on every page otherwise).
      favicon: PANEL_FAVICON,
    },
    // Our panel serves "view as user" (the usage page, read-only); a host's own AdminJS does not.
    env: { ...parts.env, GEMINI_SIMULATED: options.geminiSimulated ? 'true' : 'false', AI_USAGE_VIEW_AS_USER: 'true' },
    locale: parts.locale,
    settings: { defaultPerPage: 20 },
  });
  enforceRoles(admin, LEDGER_RESOURCE_IDS);
  enforceListParams(admin);
  return admin;
}

/** The AdminJS panel: core resources, then the plugins', the dashboard, and roles enforced on every action. */
export function createAdmin(options: AdminOptions): AdminJS {
  return panelAdmin(ledgerAdminParts(options), options);
}
