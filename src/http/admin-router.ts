import AdminJSExpress from '@adminjs/express';
import type AdminJS from 'adminjs';
import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type pg from 'pg';
import { createAuthenticate } from '../admin/authenticate.js';
import type { AppConfig } from '../config.js';
import type { UserModel } from '../core/models/user.js';

const PgSession = connectPgSimple(session);

/** The panel's router: login required everywhere, sessions in PostgreSQL (table `session`). */
export function createAdminRouter(admin: AdminJS, User: UserModel, pool: pg.Pool, config: AppConfig) {
  const store = new PgSession({ pool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 15 * 60 });
  const router = AdminJSExpress.buildAuthenticatedRouter(
    admin,
    { authenticate: createAuthenticate(User), cookieName: 'ai_usage_session', cookiePassword: config.sessionSecret, maxRetries: { count: 10, duration: 60 } },
    null,
    {
      store,
      resave: false,
      saveUninitialized: false,
      secret: config.sessionSecret,
      proxy: config.production,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.production, maxAge: 8 * 60 * 60 * 1000 },
    },
  );
  /** Stops the store's session pruning timer. */
  const close = () => store.close();
  return { router, close };
}
