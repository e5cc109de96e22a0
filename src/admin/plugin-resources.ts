import { BaseResource, type ResourceWithOptions } from 'adminjs';
import type { AdminComponents } from './components.js';
import { SafeSequelizeResource } from './safe-resource.js';

type ModelLike = { sequelize?: unknown; getAttributes?: () => Record<string, unknown> };

/**
 * A plugin's resource as the panel shows it. Given as a bare Sequelize model, it gets the core
 * resources' filters (whole days in the panel's time zone, case-insensitive text, never a 500 on
 * a malformed id); a `userId` column the plugin left undescribed shows as the user's name, linked.
 */
export function asPanelResource(resource: ResourceWithOptions, panel: { timeZone: string; usersResourceId?: string | null; components: Pick<AdminComponents, 'UserCell'> }): ResourceWithOptions {
  const { timeZone, components } = panel;
  const model = resource.resource as ModelLike;
  if (resource.resource instanceof BaseResource || !model?.sequelize || typeof model.getAttributes !== 'function') return resource;
  const options = resource.options ?? {};
  const hasUser = 'userId' in model.getAttributes() && !options.properties?.userId;
  const en = (options.translations?.en ?? {}) as { properties?: Record<string, string> };
  return {
    ...resource,
    resource: new SafeSequelizeResource(resource.resource as never, { timeZone }),
    options: hasUser
      ? {
          ...options,
          properties: { ...options.properties, userId: { reference: panel.usersResourceId ?? undefined, components: { list: components.UserCell, show: components.UserCell } } },
          translations: { ...options.translations, en: { ...en, properties: { userId: 'User', ...en.properties } } },
        }
      : options,
  };
}
