import connectPgSimple from 'connect-pg-simple';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import session from 'express-session';
import type pg from 'pg';
import { verifyPassword } from '../../admin/authenticate.js';
import type { AppConfig } from '../../config.js';
import type { UserModel } from '../../core/models/user.js';
import type { UsageService } from '../usage-service.js';
import { renderLoginPage } from './login-page.js';
import type { LoginThrottle } from '../../http/login-throttle.js';
import { requireSameOrigin } from '../../http/same-origin.js';
import { pageHeaders, sendUsageCsv, sendUsagePage } from './page-responses.js';

declare module 'express-session' {
  interface SessionData {
    /** The customer signed into /usage. */
    usageUserId?: number;
  }
}

const PgSession = connectPgSimple(session);
export const PORTAL_COOKIE = 'ai_usage_portal';
/** Only customers sign in here: panel accounts keep the panel. */
const CUSTOMER_ROLES = new Set(['user']);

export interface UsagePortalOptions {
  usage: UsageService;
  User: UserModel;
  /** Sessions live in the `session` table, as the panel's do. */
  sessionPool: pg.Pool;
  config: AppConfig;
  throttle: LoginThrottle;
  /** Where the router is mounted, e.g. `/usage`. */
  basePath: string;
}

/**
 * The end users' usage page: email and password sign-in against `users` (role `user`), a session
 * cookie of its own (httpOnly, SameSite=Lax, Secure in production, scoped to the page's path),
 * every POST checked for this site's Origin, and failed sign-ins throttled per email and address.
 */
export function createUsagePortal({ usage, User, sessionPool, config, throttle, basePath }: UsagePortalOptions): Router {
  const router = express.Router();
  router.use(
    session({
      // The panel's store prunes the shared table; a second pruning timer would only repeat it.
      store: new PgSession({ pool: sessionPool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: false }),
      name: PORTAL_COOKIE,
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      proxy: config.production,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.production, path: basePath, maxAge: 8 * 60 * 60 * 1000 },
    }),
  );

  const loginPage = (res: Response, status: number, options: { error?: string; email?: string } = {}) =>
    pageHeaders(res).status(status).type('html').send(renderLoginPage(`${basePath}/login`, options));

  /** The signed-in customer's id; a session whose user is gone or is no longer a customer ends here. */
  async function customerOf(req: Request): Promise<number | null> {
    const id = req.session.usageUserId;
    if (id === undefined) return null;
    const user = await User.findByPk(id, { attributes: ['id', 'role'] });
    if (user && CUSTOMER_ROLES.has(user.role)) return user.id;
    await new Promise<void>((resolve, reject) => req.session.destroy((error) => (error ? reject(error) : resolve())));
    return null;
  }

  const signedIn = (handler: (req: Request, res: Response, userId: number) => Promise<void>) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      const userId = await customerOf(req);
      if (userId === null) return res.redirect(303, `${basePath}/login`);
      await handler(req, res, userId);
    } catch (error) {
      next(error);
    }
  };

  router.get('/', signedIn((req, res, userId) => sendUsagePage(req, res, usage, userId, basePath)));
  router.get('/usage.csv', signedIn((req, res, userId) => sendUsageCsv(req, res, usage, userId, basePath)));

  router.get('/login', (req, res) => (req.session.usageUserId !== undefined ? res.redirect(303, basePath) : loginPage(res, 200)));
  const sameOrigin = requireSameOrigin(config.security.trustedOrigins);
  router.post('/login', sameOrigin, express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 }), async (req, res, next) => {
    try {
      const { email, password } = req.body as { email?: unknown; password?: unknown };
      const typed = typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : '';
      const address = req.ip ?? 'unknown';
      const waitMs = await throttle.retryAfterMs(typed, address);
      if (waitMs > 0) {
        res.set('retry-after', String(Math.ceil(waitMs / 1000)));
        return loginPage(res, 429, { email: typed, error: `Too many failed sign-ins. Try again in ${Math.ceil(waitMs / 60_000)} minute(s).` });
      }
      const user = await verifyPassword(User, typed, password, CUSTOMER_ROLES);
      if (!user) {
        await throttle.recordFailure(typed, address);
        return loginPage(res, 401, { email: typed, error: 'Wrong email or password.' });
      }
      await throttle.recordSuccess(typed);
      // A fresh session id at sign-in: an id planted before it never becomes a signed-in one.
      req.session.regenerate((error) => {
        if (error) return next(error);
        req.session.usageUserId = user.id;
        // Saved before the redirect, so a failed save is an error rather than a silent sign-out.
        req.session.save((saveError) => (saveError ? next(saveError) : res.redirect(303, basePath)));
      });
    } catch (error) {
      next(error);
    }
  });
  router.post('/logout', sameOrigin, (req, res, next) => {
    req.session.destroy((error) => (error ? next(error) : res.clearCookie(PORTAL_COOKIE, { path: basePath }).redirect(303, `${basePath}/login`)));
  });
  return router;
}
