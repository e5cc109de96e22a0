import { buildAssets, buildRoutes, initializeAdmin } from '@adminjs/express';
import AdminJS, { Router as AdminJSRoutes } from 'adminjs';
import connectPgSimple from 'connect-pg-simple';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import type pg from 'pg';
import { createAuthenticate } from '../admin/authenticate.js';
import type { AppConfig } from '../config.js';
import type { UserModel } from '../core/models/user.js';
import type { PanelAuthenticate } from '../mount/types.js';
import { guardAdminApi, refreshSessionRole, stripOffsiteFonts } from './admin-guards.js';
import { escapeInlinedState } from './inline-state.js';
import { createLoginThrottle } from './login-throttle.js';
import { panelBody } from './panel-body.js';
import { panelLoginRoutes } from './panel-login.js';
import { requireSameOrigin } from './same-origin.js';

const PgSession = connectPgSimple(session);
const COOKIE_NAME = 'ai_usage_session';

/** As AdminJS's own guard: no session, to the login page (its client turns that into "session expired"). */
function requireLogin(loginPath: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!(req.session as { adminUser?: unknown } | undefined)?.adminUser) return res.redirect(loginPath);
    next();
  };
}

/**
 * The panel's router, composed from AdminJS's routes without @adminjs/express's authenticated
 * router (which parses every multipart body before the login check): sessions in PostgreSQL
 * (table `session`); state changes only from the panel's own origin; throttled login, logout by
 * POST; then login required everywhere, roles checked on every API call, and only then the body
 * read (a file only for actions that take one); pages that request nothing from other hosts and
 * inline the session's JSON safely.
 */
export function createAdminRouter(
  admin: AdminJS,
  User: UserModel,
  pool: pg.Pool,
  config: AppConfig,
  componentsBundle: () => Promise<string>,
  /** The host's login check instead of ours (bcrypt over our users table); the host then owns the roles too. */
  hostAuthenticate?: PanelAuthenticate,
) {
  // In production AdminJS would bundle the components itself (racing requests, and without our
  // import resolution): the bundle is ours (prepareAdminBundle), served by the route below.
  if (process.env.NODE_ENV === 'production') process.env.ADMIN_JS_SKIP_BUNDLE = 'true';
  initializeAdmin(admin);
  const store = new PgSession({ pool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 15 * 60 });
  const router = express.Router();
  router.get('/frontend/assets/components.bundle.js', (_req, res, next) => {
    componentsBundle()
      .then((file) => res.set('cache-control', 'no-cache').type('text/javascript').sendFile(file, { dotfiles: 'allow' }))
      .catch(next);
  });
  router.use(stripOffsiteFonts, escapeInlinedState);
  router.use(
    session({
      store,
      resave: false,
      saveUninitialized: false,
      secret: config.sessionSecret,
      name: COOKIE_NAME,
      proxy: config.production,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.production, maxAge: 8 * 60 * 60 * 1000 },
    }),
  );
  router.use(requireSameOrigin(config.security.trustedOrigins));
  const throttle = createLoginThrottle(pool, config.security.loginThrottle);
  router.use(panelLoginRoutes({ admin, authenticate: hostAuthenticate ?? createAuthenticate(User), throttle }));
  // The login page needs AdminJS's scripts and styles: served before the login check, as AdminJS does.
  buildAssets({ admin, assets: AdminJSRoutes.assets, routes: AdminJSRoutes.routes, router });
  router.use(requireLogin(admin.options.loginPath));
  if (!hostAuthenticate) router.use(refreshSessionRole(User, admin.options.loginPath));
  router.use(guardAdminApi(admin));
  router.use(panelBody(config.security.uploadDir));
  // AdminJS's refresh-token route needs an auth provider; the panel uses session login and has none.
  router.post('/refresh-token', (_req, res) => res.status(404).json({ error: 'not_found', message: 'no refresh-token route: the panel uses session login' }));
  buildRoutes({ admin, routes: AdminJSRoutes.routes, router });
  /** Stops the store's session pruning timer. */
  const close = () => store.close();
  return { router, close };
}
