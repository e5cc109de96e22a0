import type { PageHandler } from 'adminjs';
import type { Sequelize } from 'sequelize';
import type { SectionRegistry } from '../../core/sections.js';
import type { HealthReport } from '../../core/spool/index.js';
import { loadDashboard, parseDashboardRange } from './dashboard-data.js';

/** AdminJS dashboard handler (GET /admin/api/dashboard?days=30 or ?from=&to=): the dashboard's data (days of the panel's zone) and the ledger's health line. */
export function dashboardHandler(sequelize: Sequelize, sections: SectionRegistry, timeZone: string, health?: () => Promise<HealthReport>): PageHandler {
  return async (request) => ({
    ...(await loadDashboard(sequelize, sections, parseDashboardRange(request.query ?? {}, timeZone))),
    health: health ? await health() : null,
  });
}
