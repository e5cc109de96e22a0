import AdminJS, { ComponentLoader, type ResourceWithOptions } from 'adminjs';
import path from 'node:path';
import { loadConfig } from '../../config.js';
import { createSequelize } from '../../core/database.js';
import { defineCoreModels } from '../../core/models/index.js';
import { SectionRegistry } from '../../core/sections.js';
import { createTracker } from '../../core/tracker.js';
import { createGeminiFactory } from '../../gemini/index.js';
import { NO_JOBS } from '../../jobs/job-queue.js';
import type { PluginContext } from '../../plugin.js';
import { BUILTIN_PLUGINS } from '../../runtime/builtin-plugins.js';
import { PROJECT_ROOT } from '../../runtime/config.js';
import { createAdmin } from '../create-admin.js';
import { prepareAdminBundle } from './admin-bundle.js';

/**
 * `npm run build:admin`: prebuilds the panel's component bundle for production, without a
 * database. It assembles the panel as createApp does (core resources, then each built-in plugin's),
 * on a Sequelize instance that never connects; a server started with ADMIN_JS_SKIP_BUNDLE=true then
 * finds the bundle by its fingerprint, and refuses to start if the components changed since.
 */
async function main(): Promise<void> {
  if (process.env.NODE_ENV !== 'production') throw new Error('build:admin bundles for production: run it with NODE_ENV=production (npm run build:admin does)');
  const config = loadConfig({ ...process.env, SESSION_SECRET: process.env.SESSION_SECRET ?? 'x'.repeat(32) });
  const sections = new SectionRegistry();
  for (const plugin of BUILTIN_PLUGINS) for (const section of plugin.sections ?? []) sections.register(section);
  const sequelize = createSequelize('postgres://build:build@127.0.0.1:9/never-connected');
  const core = defineCoreModels(sequelize);
  const tracker = createTracker({ sequelize, sections });
  const gemini = createGeminiFactory({ tracker, apiKey: 'build-time-only', baseUrl: 'http://127.0.0.1:9' });
  const componentLoader = new ComponentLoader();
  const base: PluginContext = { sequelize, tracker, core, componentLoader, config, jobs: NO_JOBS, gemini };
  const resources: ResourceWithOptions[] = [];
  for (const plugin of BUILTIN_PLUGINS) {
    const models = plugin.models?.(base) ?? {};
    resources.push(...(plugin.resources?.({ ...base, models }) ?? []));
  }
  const admin: AdminJS = createAdmin({ resources, componentLoader, core, sequelize, sections, config });
  const started = Date.now();
  const bundle = await prepareAdminBundle(admin, { production: true });
  const state = bundle.built ? `built in ${Date.now() - started} ms` : 'already up to date';
  console.log(`[build:admin] ${path.relative(PROJECT_ROOT, bundle.file)} ${state}; start with NODE_ENV=production ADMIN_JS_SKIP_BUNDLE=true`);
  await sequelize.close();
}

main().catch((error: unknown) => {
  console.error(`[build:admin] failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
