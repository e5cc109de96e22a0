import type { CurrentAdmin } from 'adminjs';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { PANEL_ROLES } from '../../admin/authenticate.js';
import { checkUserId, type UserId } from '../../core/users/user-id.js';
import type { UserReference } from '../../core/users/user-reference.cjs';
import type { UsageService } from '../usage-service.js';
import { sendUsageCsv, sendUsagePage } from './page-responses.js';

/** Path of the read-only view under the panel's root, e.g. `/admin/usage-view/12`. */
export const ADMIN_VIEW_PATH = '/usage-view';

type Handler = (req: Request, res: Response, userId: UserId, basePath: string, viewer: CurrentAdmin) => Promise<void>;

/** The path's user id as the users table keys it, or null (a 404) when it cannot be one. */
function userIdOf(param: string, users: UserReference): UserId | null {
  try {
    return checkUserId(users.idType === 'integer' ? (/^\d{1,15}$/.test(param) ? Number(param) : NaN) : param, users.idType);
  } catch {
    return null;
  }
}

/**
 * "View as user" for the panel: any user's usage page exactly as they see it, read-only (GET only,
 * no sign-out, a banner). Mount under the panel's authenticated router at ADMIN_VIEW_PATH; it
 * reads the panel session, and its role is re-checked there on every request.
 */
export function createAdminUsageView(usage: UsageService, panelRoot: string, users: UserReference): Router {
  const userPage = (id: UserId) => (users.resourceId ? `${panelRoot}/resources/${encodeURIComponent(users.resourceId)}/records/${encodeURIComponent(String(id))}/show` : panelRoot);
  const router = express.Router();
  const viewing = (handler: Handler) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      const viewer = (req.session as { adminUser?: CurrentAdmin } | undefined)?.adminUser;
      if (!viewer || !PANEL_ROLES.has(String(viewer.role))) return res.redirect(303, `${panelRoot}/login`);
      const id = userIdOf(req.params.userId!, users);
      if (id === null) return res.status(404).type('text/plain').send('no such user');
      await handler(req, res, id, `${panelRoot}${ADMIN_VIEW_PATH}/${encodeURIComponent(String(id))}`, viewer);
    } catch (error) {
      next(error);
    }
  };
  router.get('/:userId', viewing((req, res, userId, basePath, viewer) => sendUsagePage(req, res, usage, userId, basePath, { viewedBy: viewer.email, backTo: userPage(userId) })));
  router.get('/:userId/usage.csv', viewing((req, res, userId, basePath) => sendUsageCsv(req, res, usage, userId, basePath)));
  return router;
}
