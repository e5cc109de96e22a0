import { ComponentLoader, type ResourceWithOptions } from 'adminjs';
import express, { type Express } from 'express';
import type { Server } from 'node:http';
import pg from 'pg';
import type { ModelStatic, Sequelize } from 'sequelize';
import { adminBundleFor } from './admin/bundle/index.js';
import { createAdmin } from './admin/create-admin.js';
import { createExportRouter } from './admin/export/index.js';
import { loadConfig, type AppConfig } from './config.js';
import { createSequelize } from './core/database.js';
import { createMigrator } from './core/migrator.js';
import { defineCoreModels, type CoreModels } from './core/models/index.js';
import { createPriceTable } from './core/pricing.js';
import { SectionRegistry } from './core/sections.js';
import { createTracker, type Tracker } from './core/tracker.js';
import { createGeminiFactory, resolveGeminiEndpoint, type GeminiEndpoint, type GeminiFactory } from './gemini/index.js';
import { createAdminRouter } from './http/admin-router.js';
import { requireApiToken } from './http/api-auth.js';
import { jsonErrorHandler } from './http/errors.js';
import { createUsageService, usageApiRoutes } from './usage/index.js';
import { NO_JOBS, startJobQueue, type JobQueue } from './jobs/job-queue.js';
import type { Plugin, PluginContext, PluginModelsContext } from './plugin.js';

export interface AppLogger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface CreateAppOptions {
  databaseUrl: string;
  /** Registered in order; a duplicate plugin name or section is a startup error. */
  plugins?: readonly Plugin[];
  /** Defaults to loadConfig() of the environment. */
  config?: AppConfig;
  /** Apply pending migrations (core, then each plugin's) before starting. Default true. */
  migrate?: boolean;
  logger?: AppLogger;
  /** Where Gemini calls go; by default from config: GEMINI_API_KEY/GEMINI_BASE_URL, else a simulator started here. */
  gemini?: GeminiEndpoint;
}

export interface App {
  express: Express;
  sequelize: Sequelize;
  tracker: Tracker;
  core: CoreModels;
  config: AppConfig;
  jobs: JobQueue;
  /** Instrumented Gemini clients, as plugins get them. */
  gemini: GeminiFactory;
  /** The Gemini endpoint in use; `simulator` is set when calls go to the built-in simulator. */
  geminiEndpoint: GeminiEndpoint;
  /** Each plugin's context with its models, in registration order. */
  plugins: { plugin: Plugin; context: PluginModelsContext }[];
  listen(port?: number, host?: string): Promise<Server>;
  /** Stops the server (if listening), jobs, sessions and database pools. */
  close(): Promise<void>;
}

const consoleLogger: AppLogger = {
  info: (message) => console.log(message),
  error: (message, error) => console.error(message, error ?? ''),
};

function checkPlugins(plugins: readonly Plugin[], sections: SectionRegistry): void {
  const names = new Set<string>();
  for (const plugin of plugins) {
    if (plugin?.kind !== 'adminjs-ai-usage-plugin') throw new TypeError('createApp: every plugin must be made with definePlugin()');
    if (names.has(plugin.name)) throw new Error(`createApp: plugin "${plugin.name}" is registered twice`);
    names.add(plugin.name);
    for (const section of plugin.sections ?? []) {
      try {
        sections.register(section);
      } catch (error) {
        throw new Error(`plugin ${plugin.name}: ${(error as Error).message}`, { cause: error });
      }
    }
  }
}

async function connect(sequelize: Sequelize): Promise<void> {
  try {
    await sequelize.authenticate();
  } catch (error) {
    throw new Error(`cannot connect to PostgreSQL: ${(error as Error).message}. Check DATABASE_URL, or unset it to use the embedded database.`, { cause: error });
  }
}

/** Wires database, tracker, plugins, admin panel and HTTP API into one application. */
export async function createApp(options: CreateAppOptions): Promise<App> {
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? consoleLogger;
  const plugins = options.plugins ?? [];
  const sections = new SectionRegistry();
  checkPlugins(plugins, sections);

  const sequelize = createSequelize(options.databaseUrl);
  await connect(sequelize);
  if (options.migrate ?? true) {
    await createMigrator(sequelize, plugins.flatMap((p) => (p.migrations ? [p.migrations] : []))).up();
  }
  const core = defineCoreModels(sequelize);
  const tracker = createTracker({ sequelize, sections, pricing: createPriceTable(config.priceOverrides) });
  const runningJobs = plugins.some((p) => p.jobs)
    ? await startJobQueue(options.databaseUrl, (error) => logger.error('[JOBS] pg-boss error', error))
    : undefined;
  const jobs = runningJobs ?? NO_JOBS;
  const geminiEndpoint = options.gemini ?? (await resolveGeminiEndpoint({ apiKey: config.geminiApiKey, baseUrl: config.geminiBaseUrl }));
  const gemini = createGeminiFactory({ tracker, apiKey: geminiEndpoint.apiKey, baseUrl: geminiEndpoint.baseUrl, retry: config.geminiRetry });
  const componentLoader = new ComponentLoader();
  const base: PluginContext = { sequelize, tracker, core, componentLoader, config, jobs, gemini };

  const registered = plugins.map((plugin) => {
    const models: Record<string, ModelStatic<any>> = plugin.models?.(base) ?? {};
    return { plugin, context: { ...base, models } };
  });

  const resources: ResourceWithOptions[] = [];
  const api = express.Router();
  // Authenticate before parsing: an anonymous request's body is never read.
  api.use(requireApiToken(core), express.json({ limit: '2mb' }));
  const usage = createUsageService({ sequelize, sections, showCost: config.usageShowCost });
  api.use(usageApiRoutes(usage));
  for (const { plugin, context } of registered) {
    resources.push(...(plugin.resources?.(context) ?? []));
    const router = plugin.routes?.(context);
    if (router) api.use(router);
    for (const job of plugin.jobs?.(context) ?? []) await runningJobs!.register(job);
  }
  api.use((req, res) => res.status(404).json({ error: `no API route ${req.method} ${req.path}` }));
  api.use(jsonErrorHandler(logger.error));

  const admin = createAdmin({ resources, componentLoader, core, sequelize, sections, config, geminiSimulated: Boolean(geminiEndpoint.simulator) });
  // The component bundle is ready before the first page (or, under test, made at the first page): never a race.
  const componentsBundle = adminBundleFor(admin, config);
  if (config.adminBundle !== 'on-demand') await componentsBundle();
  const sessionPool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
  const adminRouter = createAdminRouter(admin, core.User, sessionPool, config, componentsBundle);
  // Streaming export downloads, behind the panel's session (the router above requires a login).
  adminRouter.router.use('/export', createExportRouter({ admin, databaseUrl: options.databaseUrl, logError: logger.error }).router);

  const app = express();
  app.disable('x-powered-by');
  if (config.production) app.set('trust proxy', 1);
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/', (_req, res) => res.redirect(admin.options.rootPath));
  app.use(admin.options.rootPath, adminRouter.router);
  app.use('/api', api);

  let server: Server | undefined;
  return {
    express: app,
    sequelize,
    tracker,
    core,
    config,
    jobs,
    gemini,
    geminiEndpoint,
    plugins: registered,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        const listening = app.listen(port, host, () => resolve(listening));
        listening.once('error', reject);
        server = listening;
      });
    },
    async close() {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await runningJobs?.stop();
      await gemini.flush();
      // A simulator passed in by the caller is the caller's to close.
      if (!options.gemini) await geminiEndpoint.simulator?.close();
      adminRouter.close();
      await sessionPool.end();
      await sequelize.close();
    },
  };
}
