export { createUsageService, type UsageService, type UsageServiceOptions } from './usage-service.js';
export { usageApiRoutes } from './api-routes.js';
export { MAX_PERIOD_DAYS } from './period.js';
export type { UsageBudget, UsageFigures, UsageQuota, UsageReport, UsageRequest, UsageRequestsPage } from './types.js';
