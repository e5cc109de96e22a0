export { createUsageService, type UsageService, type UsageServiceOptions } from './usage-service.js';
export { usageApiRoutes } from './api-routes.js';
export { MAX_PERIOD_DAYS } from './period.js';
export type { UsageBudget, UsageFigures, UsageQuota, UsageReport, UsageRequest, UsageRequestsPage } from './types.js';
export { createUsagePage, USAGE_PAGE_PATH, type UsagePageOptions } from './page/mount.js';
export { ADMIN_VIEW_PATH, createAdminUsageView } from './page/admin-view-router.js';
