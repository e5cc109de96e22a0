import type { NextFunction, Request, Response } from 'express';
import { resolveApiToken } from '../core/api-tokens.js';
import type { CoreModels } from '../core/models/index.js';
import type { UserId } from '../core/users/user-id.js';

/** The authenticated caller of an /api route. */
export interface ApiUser {
  id: UserId;
  email: string;
  role: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by requireApiToken on every /api route. */
    apiUser?: ApiUser;
  }
}

/** The API user set by requireApiToken; a route reached without it is a wiring error. */
export function apiUserOf(req: Request): ApiUser {
  if (!req.apiUser) throw new Error('route mounted outside requireApiToken');
  return req.apiUser;
}

const unauthorized = (res: Response) =>
  res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).json({ error: 'unauthorized', message: 'a valid bearer token is required (Authorization: Bearer <token>)' });

/** Requires `Authorization: Bearer <token>` with a live per-user token; 401 otherwise. */
export function requireApiToken(core: CoreModels) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      const user = match?.[1] ? await resolveApiToken(core.ApiToken, match[1]) : null;
      if (!user) return void unauthorized(res);
      req.apiUser = user;
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** The host's own API authentication: `resolveUser(req)` names the caller, or null for a 401. */
export function requireResolvedUser(resolveUser: (req: Request) => ApiUser | null | undefined | Promise<ApiUser | null | undefined>) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const user = await resolveUser(req);
      if (!user) return void res.status(401).json({ error: 'unauthorized', message: 'this API needs a signed-in user' });
      req.apiUser = user;
      next();
    } catch (error) {
      next(error);
    }
  };
}
