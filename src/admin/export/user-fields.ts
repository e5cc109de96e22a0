import type { BaseResource } from 'adminjs';
import type { ExportSettings } from './settings.js';

/** Export-only fields of a resource that references a user: the user's name and email, joined from the users table. */
export const USER_FIELDS = ['user.username', 'user.email'] as const;
export type UserField = (typeof USER_FIELDS)[number];

/** Their headers in spreadsheets (the feature's `labels` may rename them). */
export const USER_FIELD_LABELS: Readonly<Record<UserField, string>> = { 'user.username': 'User name', 'user.email': 'User email' };

export function isUserField(field: string): field is UserField {
  return (USER_FIELDS as readonly string[]).includes(field);
}

/**
 * The field holding the user id the export joins on: the feature's `userField`, else `userId` when
 * the resource has that property; none when the option is false.
 */
export function userFieldOf(resource: BaseResource, settings: ExportSettings): string | undefined {
  if (settings.userField === false) return undefined;
  const field = settings.userField ?? 'userId';
  return resource.property(field) ? field : undefined;
}
