import express, { type Router } from 'express';
import { apiUserOf } from '../http/api-auth.js';
import { HttpError } from '../http/errors.js';
import { parsePageSize } from './requests-query.js';
import type { UsageService } from './usage-service.js';

/**
 * `GET /usage?from&to` and `GET /usage/requests?cursor&limit` of the JSON API: the token owner's
 * own usage only (no user parameter exists to ask for anyone else's). Mount behind requireApiToken.
 */
export function usageApiRoutes(usage: UsageService): Router {
  const router = express.Router();
  router.get('/usage', async (req, res, next) => {
    try {
      const report = await usage.report(apiUserOf(req).id, req.query);
      if (!report) throw new HttpError(404, 'the token owner no longer exists');
      res.set('cache-control', 'private, no-store').json(report);
    } catch (error) {
      next(error);
    }
  });
  router.get('/usage/requests', async (req, res, next) => {
    try {
      const page = await usage.requests(apiUserOf(req).id, req.query.cursor, parsePageSize(req.query.limit));
      res.set('cache-control', 'private, no-store').json(page);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
