import AdminJSExpress from '@adminjs/express';
import type AdminJS from 'adminjs';
import connectPgSimple from 'connect-pg-simple';
import express from 'express';
import session from 'express-session';
import type pg from 'pg';
import { createAuthenticate } from '../admin/authenticate.js';
import type { AppConfig } from '../config.js';
import type { UserModel } from '../core/models/user.js';
import type { PanelAuthenticate } from '../mount/types.js';
import { freshSessionOnLogin, guardAdminApi, refreshSessionRole, stripOffsiteFonts } from './admin-guards.js';

const PgSession = connectPgSimple(session);
const COOKIE_NAME = 'ai_usage_session';

/**
 * The panel's router: login required everywhere, sessions in PostgreSQL (table `session`), roles
 * checked on every API call, and pages that request nothing from other hosts.
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
  const store = new PgSession({ pool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 15 * 60 });
  const sessionOptions: session.SessionOptions = {
    store,
    resave: false,
    saveUninitialized: false,
    secret: config.sessionSecret,
    name: COOKIE_NAME,
    proxy: config.production,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.production, maxAge: 8 * 60 * 60 * 1000 },
  };
  const adminJs = AdminJSExpress.buildAuthenticatedRouter(
    admin,
    { authenticate: hostAuthenticate ?? createAuthenticate(User), cookieName: COOKIE_NAME, cookiePassword: config.sessionSecret, maxRetries: { count: 10, duration: 60 } },
    null,
    sessionOptions,
  );
  const router = express.Router();
  router.get('/frontend/assets/components.bundle.js', (_req, res, next) => {
    componentsBundle()
      .then((file) => res.set('cache-control', 'no-cache').type('text/javascript').sendFile(file, { dotfiles: 'allow' }))
      .catch(next);
  });
  router.use(stripOffsiteFonts);
  // The same session middleware AdminJS installs; it runs first so the guards see the session,
  // and AdminJS's own instance then finds req.session set and steps aside.
  router.use(session(sessionOptions));
  router.post(admin.options.loginPath.slice(admin.options.rootPath.length) || '/login', freshSessionOnLogin);
  if (!hostAuthenticate) router.use(refreshSessionRole(User, admin.options.loginPath));
  router.use(guardAdminApi(admin));
  // AdminJS's refresh-token route throws (no auth provider is configured) inside an async handler.
  router.post('/refresh-token', (_req, res) => res.status(404).json({ error: 'not_found', message: 'no refresh-token route: the panel uses session login' }));
  router.use(adminJs);
  /** Stops the store's session pruning timer. */
  const close = () => store.close();
  return { router, close };
}
