import type { ComponentLoader, ResourceWithOptions } from 'adminjs';
import type { Router } from 'express';
import type { ModelStatic, Sequelize } from 'sequelize';
import type { CoreModels } from './core/models/index.js';
import type { SectionDefinition } from './core/sections.js';
import type { Tracker } from './core/tracker.js';
import type { AppConfig } from './config.js';
import type { GeminiFactory } from './gemini/index.js';
import type { JobQueue } from './jobs/job-queue.js';

/** What every plugin hook receives: the application's shared parts. */
export interface PluginContext {
  sequelize: Sequelize;
  tracker: Tracker;
  /** The core models (User, Subscription, AIUsageLog, AIUsageTracking), e.g. to associate with User. */
  core: CoreModels;
  /** Register AdminJS components with absolute paths (see ComponentLoader). */
  componentLoader: ComponentLoader;
  config: AppConfig;
  /** Background jobs (pg-boss): enqueue with `jobs.send(name, data)`. */
  jobs: JobQueue;
  /** Instrumented Gemini clients: every call is timed and tracked under the section you name. */
  gemini: GeminiFactory;
}

/** Context of the hooks that run after every plugin's models are defined. */
export interface PluginModelsContext extends PluginContext {
  /** This plugin's own models, as its `models` hook returned them. */
  models: Record<string, ModelStatic<any>>;
}

/** Context of the seed hook: the demo data's API user owns what a plugin seeds. */
export interface PluginSeedContext extends PluginModelsContext {
  demoUserId: number;
}

export interface JobDefinition {
  /** Queue name, unique across the application; prefix it with the plugin name. */
  name: string;
  /** Runs one job; a throw marks it failed and pg-boss retries per `retryLimit`. */
  handler(data: any, job: { id: string }): Promise<unknown>;
  /** Attempts after the first failure (pg-boss retryLimit). */
  retryLimit?: number;
  /** Seconds before the first retry; doubled per attempt. */
  retryDelaySeconds?: number;
}

export interface PluginDefinition {
  /** Unique plugin name (lower-case, dashes), used in errors and as the table prefix. */
  name: string;
  /** Sections this plugin tracks usage under; a section registered twice is a startup error. */
  sections?: SectionDefinition[];
  /** Absolute path of this plugin's folder of `*.cjs` migrations. */
  migrations?: string;
  /** Defines the plugin's Sequelize models (tables come from its migrations). */
  models?(context: PluginContext): Record<string, ModelStatic<any>>;
  /** AdminJS resources of the plugin's models. */
  resources?(context: PluginModelsContext): ResourceWithOptions[];
  /** JSON API routes, mounted under /api behind bearer-token authentication. */
  routes?(context: PluginModelsContext): Router;
  /** Background jobs the plugin handles. */
  jobs?(context: PluginModelsContext): JobDefinition[];
  /** Demo data for a fresh database (`npm start` first run, `npm run db:seed`). */
  seed?(context: PluginSeedContext): Promise<void>;
}

export type Plugin = Readonly<PluginDefinition> & { readonly kind: 'adminjs-ai-usage-plugin' };

/** A record action that writes only on POST, behind a confirmation page: use it for every custom action that changes state. */
export { confirmedRecordAction, type ConfirmedRecordActionOptions } from './admin/confirmed-action.js';

/** Adds the export (and optionally import) actions to a plugin's resources: see src/admin/export/README.md. */
export { withExportImport } from './admin/export/index.js';

const PLUGIN_NAME = /^[a-z][a-z0-9-]{1,40}$/;
const HOOKS = ['models', 'resources', 'routes', 'jobs', 'seed'] as const;

/** Checks a plugin definition and returns it as a Plugin value for createApp. */
export function definePlugin(definition: PluginDefinition): Plugin {
  const name = definition?.name;
  if (typeof name !== 'string' || !PLUGIN_NAME.test(name)) {
    throw new TypeError(`definePlugin: name must match ${PLUGIN_NAME}, got ${JSON.stringify(name)}`);
  }
  for (const hook of HOOKS) {
    if (definition[hook] !== undefined && typeof definition[hook] !== 'function') {
      throw new TypeError(`plugin ${name}: ${hook} must be a function`);
    }
  }
  if (definition.sections !== undefined && !Array.isArray(definition.sections)) {
    throw new TypeError(`plugin ${name}: sections must be an array`);
  }
  if (definition.migrations !== undefined && !definition.migrations.startsWith('/')) {
    throw new TypeError(`plugin ${name}: migrations must be an absolute path (use fileURLToPath(new URL('./migrations', import.meta.url)))`);
  }
  return Object.freeze({ ...definition, kind: 'adminjs-ai-usage-plugin' as const });
}
