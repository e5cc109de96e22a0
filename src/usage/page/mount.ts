import type { Router } from 'express';
import express from 'express';
import pg from 'pg';
import type { AppConfig } from '../../config.js';
import type { UserModel } from '../../core/models/user.js';
import { panelErrorHandler } from '../../http/errors.js';
import type { UsageService } from '../usage-service.js';
import { createLoginThrottle } from '../../http/login-throttle.js';
import { createUsagePortal } from './portal-router.js';

/** Where end users find their usage page by default. */
export const USAGE_PAGE_PATH = '/usage';

export interface UsagePageOptions {
  usage: UsageService;
  User: UserModel;
  config: AppConfig;
  /** PostgreSQL URL: sessions and the sign-in throttle (the panel's, shared per account) use a small pool of their own. */
  databaseUrl: string;
  /** Where the router will be mounted. */
  path: string;
  logError: (message: string, error: unknown) => void;
}

/** The end users' usage page as a router to mount at `path`, and what closes its pool. */
export function createUsagePage({ usage, User, config, databaseUrl, path, logError }: UsagePageOptions): { router: Router; close(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const router = express.Router();
  router.use(createUsagePortal({ usage, User, sessionPool: pool, config, throttle: createLoginThrottle(pool, config.security.loginThrottle), basePath: path }));
  router.use(panelErrorHandler(logError));
  return { router, close: () => pool.end() };
}
