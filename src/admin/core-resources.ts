import type { ResourceWithOptions } from 'adminjs';
import { aiUsageLogResource, AI_USAGE_LOGS_ID } from './resources/ai-usage-log.js';
import { aiUsageTrackingResource } from './resources/ai-usage-tracking.js';
import { apiTokensResource, subscriptionsResource } from './resources/accounts.js';
import type { AdminContext } from './resources/context.js';
import { modelPricesResource } from './resources/model-prices.js';
import { deadLettersResource, DEAD_LETTERS_ID } from './resources/dead-letters.js';
import { usersResource } from './resources/users.js';
import { budgetsResource } from './budgets/resource.js';

/** Resources only the tracker writes: no action but reads runs on them, for any role. */
export const LEDGER_RESOURCE_IDS: ReadonlySet<string> = new Set([AI_USAGE_LOGS_ID, 'ai_usage_tracking', DEAD_LETTERS_ID]);

/** AdminJS resources of the core models. */
export function coreResources(context: AdminContext): ResourceWithOptions[] {
  // A host's users are the host's resource (UserReferenceOptions.resourceId), not ours.
  const users = context.core.users.own ? [usersResource(context)] : [];
  return [aiUsageLogResource(context), aiUsageTrackingResource(context), modelPricesResource(context), budgetsResource(context), deadLettersResource(context), ...users, subscriptionsResource(context), apiTokensResource(context)];
}
