import type AdminJS from 'adminjs';
import type { Action, ActionContext, ActionDecorator, CurrentAdmin, IsFunction } from 'adminjs';
import { READ_ACTIONS } from './resources/context.js';

/** The role that may change data; `viewer` may only read. */
export const ADMIN_ROLE = 'admin';

type Access = boolean | IsFunction | undefined;

const allows = (access: Access, context: ActionContext) => (typeof access === 'function' ? Boolean(access(context)) : access !== false);

/** An action that only reads: list, show, search, or one marked `custom: { readOnly: true }` (stats, export). */
export function isReadAction(name: string, custom: Record<string, unknown> | undefined): boolean {
  return READ_ACTIONS.has(name) || custom?.readOnly === true;
}

/** The merged action a decorator evaluates at every call (AdminJS types it private; it reads it on each check). */
const rawAction = (decorator: ActionDecorator) => (decorator as unknown as { action: Action<any> }).action;

/** Whether the signed-in user may change data. */
export const canWrite = (admin: CurrentAdmin | undefined) => admin?.role === ADMIN_ROLE;

/**
 * Enforces the roles on every action of every resource (core, plugins', features'), after AdminJS
 * has merged them: any action that is not a read needs the admin role, and on the read-only ledger
 * resources no such action runs at all. The same check refuses the API call (see the admin router)
 * and hides the button, so the UI and the server agree.
 */
export function enforceRoles(admin: AdminJS, readOnlyResources: ReadonlySet<string>): void {
  for (const resource of admin.resources) {
    const decorated = resource.decorate();
    const ledger = readOnlyResources.has(decorated.id());
    for (const decorator of Object.values(decorated.actions)) {
      if (isReadAction(decorator.name, decorator.custom())) continue;
      const action = rawAction(decorator);
      const original = action.isAccessible as Access;
      action.isAccessible = ledger ? false : (context: ActionContext) => canWrite(context.currentAdmin) && allows(original, context);
    }
  }
}
