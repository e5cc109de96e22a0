import type { ResourceWithOptions } from 'adminjs';
import type { CoreModels } from '../core/models/index.js';

const READ_ONLY = { new: { isAccessible: false }, edit: { isAccessible: false }, delete: { isAccessible: false }, bulkDelete: { isAccessible: false } };

/** AdminJS resources of the core models. The ledger tables are read-only: only the tracker writes them. */
export function coreResources(core: CoreModels): ResourceWithOptions[] {
  const navigation = { name: 'AI usage', icon: 'Activity' };
  return [
    {
      resource: core.AIUsageLog,
      options: { id: 'ai_usage_logs', navigation, sort: { sortBy: 'createdAt', direction: 'desc' }, actions: READ_ONLY },
    },
    {
      resource: core.AIUsageTracking,
      options: { id: 'ai_usage_tracking', navigation, sort: { sortBy: 'date', direction: 'desc' }, actions: READ_ONLY },
    },
    {
      resource: core.User,
      options: {
        id: 'users',
        navigation: { name: 'Accounts', icon: 'User' },
        properties: { passwordHash: { isVisible: false } },
      },
    },
    { resource: core.Subscription, options: { id: 'subscriptions', navigation: { name: 'Accounts', icon: 'User' } } },
    {
      resource: core.ApiToken,
      options: {
        id: 'api_tokens',
        navigation: { name: 'Accounts', icon: 'User' },
        properties: { tokenHash: { isVisible: false } },
        actions: { new: { isAccessible: false }, edit: { isAccessible: false } },
      },
    },
  ];
}
