import { ValidationError, type ActionRequest, type Before, type ResourceWithOptions } from 'adminjs';
import { issueApiToken } from '../../core/api-tokens.js';
import { hashPassword } from '../authenticate.js';
import { exportImportFeature } from '../export/index.js';
import { SafeSequelizeResource } from '../safe-resource.js';
import type { AdminContext } from './context.js';
import { withActiveQuota } from './quota.js';

/** Shortest password the panel accepts for a new or changed one. */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * Before-hook of new and edit: a `password` in the form is bcrypt-hashed into passwordHash, and a
 * passwordHash sent directly is dropped, so no one sets a hash they chose.
 */
const hashPasswordField: Before = async (request: ActionRequest) => {
  if (request.method !== 'post' || !request.payload) return request;
  const { password, passwordHash: _ignored, ...payload } = request.payload as Record<string, unknown>;
  if (typeof password === 'string' && password !== '') {
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new ValidationError({ password: { message: `at least ${MIN_PASSWORD_LENGTH} characters` } });
    }
    payload.passwordHash = await hashPassword(password);
  }
  return { ...request, payload };
};

/** Users: quota bar of the active subscription, a link to each user's logs; passwords hashed, hashes never sent. */
export function usersResource(context: AdminContext): ResourceWithOptions {
  const { core, sequelize, components: C } = context;
  const quota = withActiveQuota(sequelize);
  return {
    resource: new SafeSequelizeResource(core.User, { exact: ['role'], hidden: ['passwordHash'], timeZone: context.config.panelTimeZone }),
    // Exported, never imported: an import could create logins and roles around the password rules.
    features: [exportImportFeature({ componentLoader: context.componentLoader, import: false })],
    options: {
      id: 'users',
      navigation: { name: 'Accounts', icon: 'User' },
      titleProperty: 'username',
      sort: { sortBy: 'id', direction: 'asc' },
      listProperties: ['id', 'username', 'email', 'name', 'role', 'quota', 'createdAt'],
      showProperties: ['id', 'username', 'email', 'name', 'role', 'quota', 'usageLogs', 'usageView', 'createdAt', 'updatedAt'],
      editProperties: ['username', 'email', 'name', 'role', 'password'],
      filterProperties: ['username', 'email', 'name', 'role', 'createdAt'],
      properties: {
        passwordHash: { isVisible: false },
        password: { type: 'password', isVisible: { list: false, show: false, filter: false, edit: true } },
        role: { availableValues: ['admin', 'viewer', 'user'].map((role) => ({ value: role, label: role })) },
        quota: { isVisible: { list: true, show: true, edit: false, filter: false }, components: { list: C.QuotaBar, show: C.QuotaBar }, custom: { used: 'quotaUsed', quota: 'quotaLimit' } },
        usageLogs: { isVisible: { list: false, show: true, edit: false, filter: false }, components: { show: C.UserLogsLink } },
        usageView: { isVisible: { list: false, show: true, edit: false, filter: false }, components: { show: C.ViewAsUserLink } },
      },
      translations: { en: { labels: { users: 'Users' }, properties: { quota: 'Tokens used / quota', usageLogs: 'AI usage', usageView: 'Usage page', password: 'New password' }, actions: { issueApiToken: 'Issue API token' } } },
      actions: {
        new: { before: hashPasswordField },
        edit: { before: hashPasswordField },
        list: { after: quota },
        show: { after: quota },
        issueApiToken: {
          actionType: 'record',
          icon: 'Key',
          component: C.IssueApiToken,
          handler: async (request, _response, { record, currentAdmin }) => {
            if (request.method !== 'post' || !record) return { record: record?.toJSON(currentAdmin) };
            const name = String(request.payload?.name ?? '').trim().slice(0, 100) || 'panel';
            const token = await issueApiToken(core.ApiToken, Number(record.id()), name);
            return { record: record.toJSON(currentAdmin), token, notice: { message: 'API token issued: copy it now', type: 'success' } };
          },
        },
      },
    },
  };
}
