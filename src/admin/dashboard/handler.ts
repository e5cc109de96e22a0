import type { PageHandler } from 'adminjs';
import type { Sequelize } from 'sequelize';
import type { SectionRegistry } from '../../core/sections.js';
import { loadDashboard, parseDashboardRange } from './dashboard-data.js';

/** AdminJS dashboard handler (GET /admin/api/dashboard?days=30 or ?from=&to=): the dashboard's data, days of the panel's zone. */
export function dashboardHandler(sequelize: Sequelize, sections: SectionRegistry, timeZone: string): PageHandler {
  return async (request) => loadDashboard(sequelize, sections, parseDashboardRange(request.query ?? {}, timeZone));
}
