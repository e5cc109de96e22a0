import type { NextFunction, Request, Response } from 'express';
import { HttpError } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * Cross-site request forgery guard for cookie-authenticated routes: a state-changing request
 * (anything but GET/HEAD/OPTIONS) must come from the panel's own origin (scheme, host and port the
 * request was made to) or one of `trustedOrigins` (the public origin behind a reverse proxy), as
 * its Origin header says, or its Referer when a browser sent no Origin. `Origin: null` (sandboxed
 * frames, some redirects) is refused. A request with neither header is not from a browser, which
 * always sends Origin on a POST, so it carries no victim's cookies and passes.
 */
export function requireSameOrigin(trustedOrigins: readonly string[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get('origin');
    const referer = req.get('referer');
    if (origin === undefined && referer === undefined) return next();
    const claimed = origin ?? originOf(referer!);
    const own = `${req.protocol}://${req.get('host')}`;
    if (claimed && (claimed === own || trustedOrigins.includes(claimed))) return next();
    next(new HttpError(403, `cross-origin request refused: ${origin !== undefined ? `Origin ${origin}` : 'Referer'} is not this panel's origin (${own}); behind a reverse proxy, list the public origin in AI_USAGE_TRUSTED_ORIGINS`));
  };
}
