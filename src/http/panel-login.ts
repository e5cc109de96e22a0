import type AdminJS from 'adminjs';
import type { CurrentAdmin } from 'adminjs';
import express, { type Request, type Response } from 'express';
import type { PanelAuthenticate } from '../mount/types.js';
import { freshSessionOnLogin } from './admin-guards.js';
import type { LoginThrottle } from './login-throttle.js';
import { refuseNulCharacters } from './panel-body.js';

type SessionRequest = Request & { session: { adminUser?: CurrentAdmin; redirectTo?: string; save(cb: (error?: unknown) => void): void; destroy(cb: (error?: unknown) => void): void } };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A path of the panel relative to its router (AdminJS's options hold them with the root path). */
const routePath = (admin: AdminJS, full: string) => full.slice(admin.options.rootPath.length) || '/';

function throttledMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  // Shown on AdminJS's login page, which embeds it in a single-quoted script string: no apostrophes.
  return `Too many failed sign-in attempts for this account or from your network. Wait ${minutes} minute${minutes === 1 ? '' : 's'}, then try again.`;
}

function logoutPage(admin: AdminJS): string {
  const action = escapeHtml(admin.options.logoutPath);
  const back = escapeHtml(admin.options.rootPath);
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Log out</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 28rem; margin: 6rem auto; padding: 0 1rem; color: #1c1c38">
<h1 style="font-size: 1.4rem">Log out of the panel?</h1>
<form method="post" action="${action}"><button type="submit" style="font-size: 1rem; padding: .6rem 1.4rem; background: #3040d6; color: #fff; border: 0; border-radius: 4px; cursor: pointer">Log out</button>
<a href="${back}" style="margin-left: 1rem">Stay signed in</a></form></body></html>`;
}

export interface PanelLoginOptions {
  admin: AdminJS;
  authenticate: PanelAuthenticate;
  throttle: LoginThrottle;
}

/**
 * The panel's login and logout, in place of @adminjs/express's: failed attempts throttled per
 * account and per client address in PostgreSQL (refused before any password check, with a
 * sentence saying how long to wait), a fresh session id on login, and logout only by POST
 * (GET shows a confirmation page whose button posts).
 */
export function panelLoginRoutes({ admin, authenticate, throttle }: PanelLoginOptions): express.Router {
  const router = express.Router();
  const loginPath = routePath(admin, admin.options.loginPath);
  const logoutPath = routePath(admin, admin.options.logoutPath);
  const renderLogin = async (res: Response, status: number, errorMessage: string | null) =>
    res.status(status).type('html').send(await admin.renderLogin({ action: admin.options.loginPath, errorMessage }));

  router.get(loginPath, async (_req, res) => renderLogin(res, 200, null));

  router.post(loginPath, express.urlencoded({ extended: false, limit: '16kb' }), freshSessionOnLogin, async (req, res: Response, next: express.NextFunction) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    refuseNulCharacters(body);
    const email = typeof body.email === 'string' ? body.email : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const wait = await throttle.retryAfterMs(email, ip);
    if (wait > 0) {
      res.set('retry-after', String(Math.ceil(wait / 1000)));
      return renderLogin(res, 429, throttledMessage(wait));
    }
    const adminUser = email && password ? await authenticate(email, password) : null;
    if (!adminUser) {
      await throttle.recordFailure(email, ip);
      return renderLogin(res, 200, 'invalidCredentials');
    }
    await throttle.recordSuccess(email);
    const session = (req as SessionRequest).session;
    session.adminUser = adminUser;
    session.save((error) => {
      if (error) return next(error);
      res.redirect(302, session.redirectTo ?? admin.options.rootPath);
    });
  });

  router.get(logoutPath, (_req, res) => res.type('html').send(logoutPage(admin)));
  router.post(logoutPath, (req, res, next) => {
    (req as SessionRequest).session.destroy((error) => (error ? next(error) : res.redirect(303, admin.options.loginPath)));
  });
  return router;
}
