import type AdminJS from 'adminjs';
import type { Router } from 'express';
import pg from 'pg';
import { adminBundleFor } from '../admin/bundle/index.js';
import { panelAdmin } from '../admin/create-admin.js';
import { createExportRouter } from '../admin/export/index.js';
import { createReportRouter } from '../reports/report-router.js';
import { createAdminRouter } from '../http/admin-router.js';
import { panelErrorHandler } from '../http/errors.js';
import { ADMIN_VIEW_PATH, createAdminUsageView } from '../usage/index.js';
import type { AiUsage, AppLogger, PanelAuthenticate } from './types.js';

export interface PanelOptions {
  /** Where the panel is mounted. Default /admin. */
  path?: string;
  /** The host's login check (email, password) -> the signed-in admin or null; default: admins and viewers of our users table. */
  authenticate?: PanelAuthenticate;
  /** Name in the panel's header. */
  companyName?: string;
}

export interface LedgerPanel {
  admin: AdminJS;
  router: Router;
  close(): Promise<void>;
}

/** The ledger's own AdminJS panel: login, sessions in PostgreSQL, roles, the component bundle and streaming exports. */
export async function createLedgerPanel(aiUsage: AiUsage, options: PanelOptions, logger: AppLogger): Promise<LedgerPanel> {
  const { config } = aiUsage;
  if (!aiUsage.core.users.own && !options.authenticate) throw new TypeError('adminjs-ai-usage: with your own users table, the panel needs your login check: pass panel.authenticate');
  const admin = panelAdmin(aiUsage.admin, { rootPath: options.path, companyName: options.companyName, geminiSimulated: Boolean(aiUsage.geminiEndpoint.simulator) });
  // The component bundle is ready before the first page (or, under test, made at the first page): never a race.
  const componentsBundle = adminBundleFor(admin, config);
  if (config.adminBundle !== 'on-demand') await componentsBundle();
  const sessionPool = new pg.Pool({ connectionString: aiUsage.databaseUrl, max: 4 });
  // An idle pooled connection that PostgreSQL closes (restart, failover) is an 'error' event: without
  // a listener it would crash the process, and the spooled events with it.
  sessionPool.on('error', (error) => logger.error('[SESSIONS] a session-store connection failed', error));
  const adminRouter = createAdminRouter(admin, aiUsage.core.User, sessionPool, config, componentsBundle, options.authenticate);
  // Streaming export downloads, behind the panel's session (the router above requires a login).
  const exports = createExportRouter({ admin, databaseUrl: aiUsage.databaseUrl, logError: logger.error, limits: config.security.exportLimits });
  adminRouter.router.use('/export', exports.router);
  // Cost report downloads (CSV, XLSX), behind the same session.
  adminRouter.router.use('/reports', createReportRouter(aiUsage.sequelize, aiUsage.sections));
  // "View as user": a user's usage page, read-only, behind the panel's session.
  adminRouter.router.use(ADMIN_VIEW_PATH, createAdminUsageView(aiUsage.usage, admin.options.rootPath, aiUsage.core.users));
  adminRouter.router.use(panelErrorHandler(logger.error));
  return {
    admin,
    router: adminRouter.router,
    async close() {
      adminRouter.close();
      await exports.close();
      await sessionPool.end();
    },
  };
}
