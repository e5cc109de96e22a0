import type AdminJS from 'adminjs';
import type { CurrentAdmin } from 'adminjs';
import type { NextFunction, Request, Response } from 'express';
import { PANEL_ROLES } from '../admin/authenticate.js';
import type { UserModel } from '../core/models/user.js';

type SessionRequest = Request & {
  session?: { adminUser?: CurrentAdmin; redirectTo?: string; destroy(callback: (error?: unknown) => void): void; regenerate(callback: (error?: unknown) => void): void };
};

const GOOGLE_FONTS = /<link[^>]*fonts\.googleapis\.com[^>]*>\s*/g;
const ACTION_PATH = /^\/api\/resources\/([^/]+)\/(?:actions\/([^/]+)|records\/[^/]+\/([^/]+)|bulk\/([^/]+))\/?$/;

/** AdminJS's login and layout pages link Google Fonts: drop the link, so the panel requests nothing off the machine. */
export function stripOffsiteFonts(_req: Request, res: Response, next: NextFunction): void {
  const send = res.send.bind(res);
  res.send = (body?: unknown) => send(typeof body === 'string' && body.includes('fonts.googleapis.com') ? body.replace(GOOGLE_FONTS, '') : body);
  next();
}

/**
 * Re-reads the signed-in user's role on every request: a user demoted, deleted or turned into a
 * customer loses the panel at once instead of when the session expires.
 */
export function refreshSessionRole(User: UserModel, loginPath: string) {
  return async (req: SessionRequest, res: Response, next: NextFunction) => {
    const current = req.session?.adminUser;
    if (!current || req.path.startsWith('/frontend/')) return next();
    try {
      const user = /^\d+$/.test(String(current.id)) ? await User.findByPk(Number(current.id), { attributes: ['id', 'role'] }) : null;
      if (user && PANEL_ROLES.has(user.role)) {
        if (user.role !== current.role) req.session!.adminUser = { ...current, role: user.role };
        return next();
      }
      // As for an expired session: AdminJS's client recognises the redirect to the login page.
      req.session!.destroy((error) => (error ? next(error) : res.redirect(loginPath)));
    } catch (error) {
      next(error);
    }
  };
}

/**
 * The panel's action API, checked before AdminJS sees it: 404 for an unknown resource or action
 * (AdminJS: a 500), and 403 for an action the user's role may not run (AdminJS: a 200 carrying an
 * error notice). Without a session AdminJS itself refuses, with a redirect to the login page that
 * its client turns into "session expired". The action found is left in res.locals.panelAction.
 */
export function guardAdminApi(admin: AdminJS) {
  return (req: SessionRequest, res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/api/')) return next();
    const currentAdmin = req.session?.adminUser;
    if (!currentAdmin) return next();
    const match = ACTION_PATH.exec(req.path);
    if (!match) return next();
    const [, resourceId, ...names] = match;
    const resource = admin.resources.find((r) => r.decorate().id() === decodeURIComponent(resourceId!));
    const actions = resource?.decorate().actions ?? {};
    const name = decodeURIComponent(names.find(Boolean)!);
    const action = Object.hasOwn(actions, name) ? actions[name] : undefined;
    if (!action) return res.status(404).json({ error: 'not_found', message: `no action ${req.path}` });
    if (!action.isAccessible(currentAdmin)) return res.status(403).json({ error: 'forbidden', message: `your role may not run ${action.name} on ${resourceId}` });
    res.locals.panelAction = action;
    return next();
  };
}

/**
 * Before a login attempt with a stored session (sessions are stored only once they hold data): a
 * fresh session id, so a session id planted before login never becomes a logged-in one. Without
 * one, nothing is stored: failed attempts leave no sessions behind.
 */
export function freshSessionOnLogin(req: SessionRequest, _res: Response, next: NextFunction): void {
  const session = req.session;
  if (!session || (!session.adminUser && !session.redirectTo)) return next();
  const redirectTo = session.redirectTo;
  session.regenerate((error) => {
    if (error) return next(error);
    if (redirectTo) req.session!.redirectTo = redirectTo;
    next();
  });
}
