import express, { type Router } from 'express';
import type { AppConfig } from '../config.js';
import type { CoreModels } from '../core/models/index.js';
import { requireApiToken, requireResolvedUser } from '../http/api-auth.js';
import { jsonErrorHandler } from '../http/errors.js';
import { refuseNulCharacters } from '../http/panel-body.js';
import type { Plugin, PluginModelsContext } from '../plugin.js';
import { usageApiRoutes, type UsageService } from '../usage/index.js';
import type { ApiRouterOptions, AppLogger } from './types.js';

interface ApiRouterParts extends ApiRouterOptions {
  core: CoreModels;
  usage: UsageService;
  config: AppConfig;
  plugins: { plugin: Plugin; context: PluginModelsContext }[];
  logger: AppLogger;
}

/** The JSON API: the caller authenticated first (an anonymous request's body is never read), then the usage routes and each plugin's. */
export function createApiRouter(parts: ApiRouterParts): Router {
  const api = express.Router();
  api.use(parts.resolveUser ? requireResolvedUser(parts.resolveUser) : requireApiToken(parts.core), express.json({ limit: '2mb' }));
  // PostgreSQL text cannot hold NUL: refused naming the field rather than stored altered or failing later.
  api.use((req, _res, next) => {
    refuseNulCharacters(req.body);
    next();
  });
  api.use(usageApiRoutes(parts.usage));
  for (const { plugin, context } of parts.plugins) {
    const router = plugin.routes?.(context);
    if (router) api.use(router);
  }
  api.use((req, res) => res.status(404).json({ error: `no API route ${req.method} ${req.path}` }));
  api.use(jsonErrorHandler(parts.logger.error));
  return api;
}
