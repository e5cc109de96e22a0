import type { ResourceWithOptions } from 'adminjs';
import { confirmedRecordAction } from '../confirmed-action.js';
import { exportImportFeature } from '../export/index.js';
import { SafeSequelizeResource } from '../safe-resource.js';
import type { AdminContext } from './context.js';

/** Subscriptions: tokens used against the period's quota as a bar. */
export function subscriptionsResource(context: AdminContext): ResourceWithOptions {
  const { core, components: C } = context;
  return {
    resource: new SafeSequelizeResource(core.Subscription, { timeZone: context.config.panelTimeZone }),
    // Finance corrects plans and quotas by re-importing an edited export (validated, all-or-nothing, by id).
    features: [
      exportImportFeature({
        componentLoader: context.componentLoader,
        // The quota is what an edited export corrects, so it is ticked (the list shows it inside the usage bar).
        fields: ['id', 'userId', 'user.username', 'user.email', 'plan', 'tokenQuota', 'tokensUsed', 'costUsedUsd', 'periodStart', 'periodEnd', 'canceledAt'],
        labels: { tokensUsed: 'Tokens used' },
        import: { fields: ['userId', 'plan', 'tokenQuota', 'periodStart', 'periodEnd', 'canceledAt'] },
      }),
    ],
    options: {
      id: 'subscriptions',
      navigation: { name: 'Accounts', icon: 'User' },
      sort: { sortBy: 'periodStart', direction: 'desc' },
      listProperties: ['id', 'userId', 'plan', 'tokensUsed', 'costUsedUsd', 'periodStart', 'periodEnd', 'canceledAt'],
      filterProperties: ['userId', 'plan', 'periodStart', 'periodEnd'],
      // Created and updated stay the database's: never typed in the form.
      editProperties: ['userId', 'plan', 'tokenQuota', 'periodStart', 'periodEnd', 'canceledAt'],
      translations: {
        en: {
          labels: { subscriptions: 'Subscriptions' },
          properties: {
            userId: 'User',
            tokenQuota: 'Token quota',
            tokensUsed: 'Tokens used / quota',
            costUsedUsd: 'Cost used',
            periodStart: 'Period start',
            periodEnd: 'Period end',
            canceledAt: 'Canceled at',
            createdAt: 'Created at',
            updatedAt: 'Updated at',
          },
        },
      },
      properties: {
        userId: { reference: context.core.users.resourceId ?? undefined, components: { list: C.UserCell, show: C.UserCell } },
        tokensUsed: { isVisible: { list: true, show: true, edit: false, filter: false }, components: { list: C.QuotaBar, show: C.QuotaBar }, custom: { used: 'tokensUsed', quota: 'tokenQuota' } },
        costUsedUsd: { isVisible: { list: true, show: true, edit: false, filter: false }, components: { list: C.CostCell, show: C.CostCell } },
      },
    },
  };
}

/**
 * API bearer tokens: listed and revoked here, issued from a user's page ("Issue API token") or with
 * `npm run user:token`; hashes never sent.
 */
export function apiTokensResource(context: AdminContext): ResourceWithOptions {
  return {
    resource: new SafeSequelizeResource(context.core.ApiToken, { hidden: ['tokenHash'], timeZone: context.config.panelTimeZone }),
    options: {
      id: 'api_tokens',
      navigation: { name: 'Accounts', icon: 'User' },
      listProperties: ['id', 'userId', 'name', 'tokenPrefix', 'lastUsedAt', 'revokedAt', 'createdAt'],
      properties: { tokenHash: { isVisible: false }, userId: { reference: context.core.users.resourceId ?? undefined, components: { list: context.components.UserCell, show: context.components.UserCell } } },
      translations: { en: { labels: { api_tokens: 'API tokens' }, properties: { userId: 'User', tokenPrefix: 'Token prefix', lastUsedAt: 'Last used at', revokedAt: 'Revoked at', createdAt: 'Created at' }, actions: { revoke: 'Revoke' } } },
      actions: {
        new: { isAccessible: false, isVisible: false },
        edit: { isAccessible: false, isVisible: false },
        revoke: confirmedRecordAction(context.componentLoader, {
          // A revoked token is not offered (nor accepted) for revoking again.
          isVisible: ({ record }) => !record?.param('revokedAt'),
          isAccessible: ({ record }) => !record?.param('revokedAt'),
          icon: 'Slash',
          variant: 'danger',
          confirm: 'Revoke this token? Requests using it are refused from now on.',
          run: async (record) => {
            await context.core.ApiToken.update({ revokedAt: new Date() }, { where: { id: Number(record.id()), revokedAt: null } });
            return { message: 'Token revoked', type: 'success' };
          },
        }),
      },
    },
  };
}
