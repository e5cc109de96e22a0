import type { ComponentLoader, CurrentAdmin, Locale, PageHandler, ResourceWithOptions } from 'adminjs';
import type { Request, Router } from 'express';
import type { Sequelize } from 'sequelize';
import type { AppConfig } from '../config.js';
import type { CoreModels } from '../core/models/index.js';
import type { SectionRegistry } from '../core/sections.js';
import type { EventSpool, HealthReport, SpoolDrainer } from '../core/spool/index.js';
import type { Tracker } from '../core/tracker.js';
import type { UserReferenceOptions } from '../core/users/user-reference.cjs';
import type { GeminiEndpoint, GeminiFactory } from '../gemini/index.js';
import type { ApiUser } from '../http/api-auth.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { AlertsRuntime } from '../alerts/alert-jobs.js';
import type { Plugin, PluginModelsContext } from '../plugin.js';
import type { UsageService } from '../usage/index.js';

export interface AppLogger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface AiUsageOptions {
  /** The host's Sequelize instance (PostgreSQL): the ledger's models are defined on it and it stays the host's to close. */
  sequelize?: Sequelize;
  /** PostgreSQL URL, when no `sequelize` is passed; defaults to DATABASE_URL. */
  databaseUrl?: string;
  /** Feature plugins, registered in order; a duplicate plugin name or section is a startup error. */
  plugins?: readonly Plugin[];
  /** Defaults to loadConfig() of the environment. */
  config?: AppConfig;
  /** Apply pending migrations (core, then each plugin's) at startup. Default true; false when the host runs them (createMigrator, sequelize-cli). */
  migrate?: boolean;
  logger?: AppLogger;
  /** Where Gemini calls go; by default from config: GEMINI_API_KEY/GEMINI_BASE_URL, else a simulator started here. */
  gemini?: GeminiEndpoint;
  /** The host AdminJS's ComponentLoader, when the ledger's resources go into the host's own panel. */
  componentLoader?: ComponentLoader;
  /**
   * The host's users table (table, idType integer|uuid|text, idColumn, nameColumn, emailColumn,
   * resourceId). Default: our own `users` table with logins and roles (the standalone app).
   * Give the migrations the same (createMigrator's `users`, or AI_USAGE_USERS_* for sequelize-cli).
   */
  users?: UserReferenceOptions;
}

/** The ledger's parts for an AdminJS panel: the host's own (`new AdminJS({ resources, dashboard, componentLoader })`) or ours. */
export interface AiUsageAdminParts {
  /** The ledger's resources (logs, daily aggregates, users, subscriptions, API tokens), then each plugin's. */
  resources: ResourceWithOptions[];
  /** The usage dashboard: pass as AdminJS's `dashboard` option. */
  dashboard: { component: string; handler: PageHandler };
  /** Extra pages: the Cost report. Pass as AdminJS's `pages` option. */
  pages: Record<string, { component: string; handler: PageHandler; icon?: string }>;
  componentLoader: ComponentLoader;
  /** Pass as AdminJS's `env` option: the panel's time zone (`PANEL_TIME_ZONE`), which every date component reads. */
  env: Record<string, string>;
  /** Pass as AdminJS's `locale` option: the panel's texts (navigation groups, login page). */
  locale: Locale;
}

export interface ApiRouterOptions {
  /**
   * The host's API authentication: the caller of a request, or null (401). Default: our per-user
   * bearer tokens (`Authorization: Bearer <token>`, `npm run user:token`); required with a host's users.
   */
  resolveUser?: (req: Request) => ApiUser | null | undefined | Promise<ApiUser | null | undefined>;
}

/** The ledger, wired and ready to mount: tracker, Gemini clients, plugins, admin parts and the API. */
export interface AiUsage {
  sequelize: Sequelize;
  /** PostgreSQL URL of the ledger's database. */
  databaseUrl: string;
  tracker: Tracker;
  core: CoreModels;
  config: AppConfig;
  sections: SectionRegistry;
  jobs: JobQueue;
  /** Usage alerts, evaluated and delivered in the background as pg-boss jobs (README, Alerts). */
  alerts: AlertsRuntime;
  /** Instrumented Gemini clients, as plugins get them. */
  gemini: GeminiFactory;
  /** The Gemini endpoint in use; `simulator` is set when calls go to the built-in simulator. */
  geminiEndpoint: GeminiEndpoint;
  /** Each plugin's context with its models, in registration order. */
  plugins: { plugin: Plugin; context: PluginModelsContext }[];
  /** The durable spool behind trackSafe and its drainer (see README, Reliability). */
  spool: { events: EventSpool; drainer: SpoolDrainer };
  /** Spool depth, oldest spooled event, dead letters, last drain: what /health returns and the dashboard shows. */
  health(): Promise<HealthReport>;
  admin: AiUsageAdminParts;
  /** End users' own usage (GET /api/usage, the /usage page): reports, CSV rows, recent requests. */
  usage: UsageService;
  /** The JSON API (plugins' routes) as an Express router: mount it where you like, e.g. `app.use('/api/ai', ...)`. */
  apiRouter(options?: ApiRouterOptions): Router;
  /**
   * Stops jobs, flushes the Gemini clients, replays what the spool holds for up to `flushMs`
   * (default 5000) while the database is up (the rest stays spooled for the next start), and
   * closes what the ledger opened (a host's Sequelize stays open).
   */
  close(options?: { flushMs?: number }): Promise<void>;
}

export type PanelAuthenticate = (email: string, password: string) => Promise<CurrentAdmin | null> | CurrentAdmin | null;
