import express, { type Express } from 'express';
import type { Server } from 'node:http';
import type { Sequelize } from 'sequelize';
import type { AppConfig } from './config.js';
import { loadConfig } from './config.js';
import type { CoreModels } from './core/models/index.js';
import type { EventSpool, HealthReport, SpoolDrainer } from './core/spool/index.js';
import type { Tracker } from './core/tracker.js';
import type { GeminiEndpoint, GeminiFactory } from './gemini/index.js';
import type { JobQueue } from './jobs/job-queue.js';
import type { AlertsRuntime } from './alerts/alert-jobs.js';
import { mountAiUsage } from './mount/index.js';
import type { AppLogger } from './mount/index.js';
import type { Plugin, PluginModelsContext } from './plugin.js';

export type { AppLogger } from './mount/index.js';

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
  /** Usage alerts: evaluated in the background (see README, Alerts). */
  alerts: AlertsRuntime;
  /** Each plugin's context with its models, in registration order. */
  plugins: { plugin: Plugin; context: PluginModelsContext }[];
  /** The durable spool behind trackSafe and its drainer (see README, Reliability). */
  spool: { events: EventSpool; drainer: SpoolDrainer };
  /** Spool depth, oldest spooled event, dead letters, last drain: what /health returns. */
  health(): Promise<HealthReport>;
  listen(port?: number, host?: string): Promise<Server>;
  /**
   * Stops the server (if listening) and jobs, replays what the spool holds for up to `flushMs`
   * (default 5000) while the database is up, leaves the rest spooled, closes sessions and pools.
   */
  close(options?: { flushMs?: number }): Promise<void>;
}

const PANEL_PATH = '/admin';

/** The standalone application (`npm start`): the ledger mounted on an Express app of its own, panel at /admin, API at /api. */
export async function createApp(options: CreateAppOptions): Promise<App> {
  const config = options.config ?? loadConfig();
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-For decides the client's address (login throttling) only behind proxies named in TRUST_PROXY.
  app.set('trust proxy', config.security.trustProxy);
  let ledger: Awaited<ReturnType<typeof mountAiUsage>> | undefined;
  app.get('/health', (_req, res, next) => {
    ledger!
      .health()
      .then((report) => res.status(report.status === 'spool_full' ? 503 : 200).json(report))
      .catch(next);
  });
  app.get('/', (_req, res) => res.redirect(PANEL_PATH));
  ledger = await mountAiUsage(app, { ...options, config, panel: { path: PANEL_PATH }, api: { path: '/api' } });

  let server: Server | undefined;
  return {
    express: app,
    sequelize: ledger.sequelize,
    tracker: ledger.tracker,
    core: ledger.core,
    config,
    jobs: ledger.jobs,
    alerts: ledger.alerts,
    gemini: ledger.gemini,
    geminiEndpoint: ledger.geminiEndpoint,
    plugins: ledger.plugins,
    spool: ledger.spool,
    health: ledger.health,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        const listening = app.listen(port, host, () => resolve(listening));
        listening.once('error', reject);
        server = listening;
      });
    },
    async close(closeOptions) {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await ledger!.close(closeOptions);
    },
  };
}
