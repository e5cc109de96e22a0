import { ComponentLoader, type ResourceWithOptions } from 'adminjs';
import type { ModelStatic } from 'sequelize';
import { ledgerAdminParts } from '../admin/create-admin.js';
import { loadConfig } from '../config.js';
import { createMigrator } from '../core/migrator.js';
import { defineCoreModels } from '../core/models/index.js';
import { createPriceCatalog } from '../core/prices/catalog.js';
import { upsertPrices } from '../core/prices/store.js';
import { SectionRegistry } from '../core/sections.js';
import { spoolHealthReport, startSpoolDrainer, EventSpool } from '../core/spool/index.js';
import { consoleTrackerLogger, createTracker } from '../core/tracker.js';
import { resolveUserReference } from '../core/users/user-reference.cjs';
import { createGeminiFactory, resolveGeminiEndpoint } from '../gemini/index.js';
import { routeAsyncErrorsToNext } from '../http/async-errors.js';
import { startJobQueue } from '../jobs/job-queue.js';
import { scheduleBudgetSweeper } from '../jobs/budget-sweeper.js';
import { createBudgetGate } from '../core/budgets/budget-gate.js';
import { startAlerts } from '../alerts/alert-jobs.js';
import { createMailer } from '../alerts/mailer.js';
import { scheduleMonthlyReport } from '../reports/monthly-report.js';
import { partitionsHealth } from '../core/partitions/health.js';
import { startLogMaintenance } from '../jobs/log-maintenance.js';
import type { Plugin, PluginContext } from '../plugin.js';
import { createUsageService } from '../usage/index.js';
import { createApiRouter } from './api-router.js';
import { connect, ledgerDatabase, type LedgerDatabase } from './database-connection.js';
import { withStartupLock } from './startup-lock.js';
import type { AiUsage, AiUsageOptions, AppLogger } from './types.js';

export const consoleLogger: AppLogger = {
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

/**
 * The ledger on the host's database: migrations, models, tracker, plugins, jobs, Gemini clients,
 * the AdminJS parts and the JSON API router, nothing mounted yet (see mountAiUsage).
 */
export async function createAiUsage(options: AiUsageOptions = {}): Promise<AiUsage> {
  routeAsyncErrorsToNext();
  const database = ledgerDatabase(options);
  await connect(database.sequelize);
  return withStartupLock(database.sequelize, () => assemble(options, database));
}

async function assemble(options: AiUsageOptions, database: LedgerDatabase): Promise<AiUsage> {
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? consoleLogger;
  const plugins = options.plugins ?? [];
  const sections = new SectionRegistry();
  checkPlugins(plugins, sections);
  const users = resolveUserReference(options.users);

  const { sequelize } = database;
  if (options.migrate ?? true) {
    await createMigrator(sequelize, plugins.flatMap((p) => (p.migrations ? [p.migrations] : [])), { users }).up();
  }
  const core = defineCoreModels(sequelize, users);
  if (config.pricingFile) await upsertPrices(sequelize, config.pricingFile.entries, `AI_USAGE_PRICING_FILE ${config.pricingFile.path}`);
  const spool = new EventSpool({ ...config.spool, databaseUrl: database.url, logger: consoleTrackerLogger });
  const tracker = createTracker({ sequelize, sections, users, prices: createPriceCatalog(sequelize), spool, maxEventAgeMs: config.maxEventAgeMs });
  // Always running: alert evaluation and delivery are pg-boss jobs, besides the plugins'.
  const jobs = await startJobQueue(database.url, (error) => logger.error('[JOBS] pg-boss error', error));
  const geminiEndpoint = options.gemini ?? (await resolveGeminiEndpoint({ apiKey: config.geminiApiKey, baseUrl: config.geminiBaseUrl }));
  // fail-closed/open follows the spool: while it knows the database is down, reserves do not wait for it.
  const budgets = createBudgetGate({ sequelize, users, config: config.budgets, outage: () => spool.outage });
  const gemini = createGeminiFactory({ tracker, budgets, apiKey: geminiEndpoint.apiKey, baseUrl: geminiEndpoint.baseUrl, retry: config.geminiRetry });
  const componentLoader = options.componentLoader ?? new ComponentLoader();
  const base: PluginContext = { sequelize, tracker, core, componentLoader, config, jobs, gemini };

  const registered = plugins.map((plugin) => {
    const models: Record<string, ModelStatic<any>> = plugin.models?.(base) ?? {};
    return { plugin, context: { ...base, models } };
  });
  const pluginResources: ResourceWithOptions[] = [];
  for (const { plugin, context } of registered) {
    pluginResources.push(...(plugin.resources?.(context) ?? []));
    for (const job of plugin.jobs?.(context) ?? []) await jobs.register(job);
  }
  const mailer = createMailer(config.alerts.smtpUrl, config.alerts.mailFrom);
  const alerts = await startAlerts({ sequelize, jobs, mailer, config: config.alerts, logger, knownSections: new Set(sections.list().map((s) => s.id)) });
  await scheduleBudgetSweeper(jobs, sequelize);
  await scheduleMonthlyReport(jobs, { sequelize, mailer, config: config.alerts, cron: config.alerts.reportCron });
  await startLogMaintenance(jobs, sequelize, config.partitions, logger);
  const health = async () => {
    const report = await spoolHealthReport(spool, drainer, sequelize);
    const partitions = report.database === 'up'
      ? await partitionsHealth(sequelize, config.partitions).catch((error: unknown) => {
        logger.error('[PARTITIONS] could not read the partitions for /health', error);
        return null;
      })
      : null;
    return { ...report, partitions };
  };
  const admin = ledgerAdminParts({ resources: pluginResources, componentLoader, core, sequelize, sections, config, health });
  const usage = createUsageService({ sequelize, sections, showCost: config.usageShowCost, quotaMode: config.budgets.quotaMode });

  // At boot, so events left by a killed process are replayed by the next start.
  const drainer = startSpoolDrainer({ spool, tracker, sequelize, logger: consoleTrackerLogger, maxAttempts: config.spool.maxAttempts });
  return {
    sequelize,
    databaseUrl: database.url,
    tracker,
    core,
    config,
    sections,
    jobs,
    alerts,
    gemini,
    geminiEndpoint,
    plugins: registered,
    spool: { events: spool, drainer },
    health,
    admin,
    usage,
    apiRouter: (apiOptions = {}) => {
      if (!users.own && !apiOptions.resolveUser) throw new TypeError('adminjs-ai-usage: with your own users table, the API needs your authentication: pass resolveUser(req)');
      return createApiRouter({ core, usage, config, plugins: registered, logger, resolveUser: apiOptions.resolveUser });
    },
    async close(closeOptions = {}) {
      alerts.stop();
      await jobs.stop();
      mailer.close();
      await gemini.flush();
      await drainer.stop();
      const emptied = spool.outage ? false : await drainer.flush(closeOptions.flushMs ?? 5000).catch(() => false);
      const left = spool.health().depth;
      if (!emptied && left > 0) logger.info(`[ai-usage] ${left} spooled event(s) stay in ${spool.store.file}; the next start replays them.`);
      spool.close();
      // A simulator passed in by the caller is the caller's to close.
      if (!options.gemini) await geminiEndpoint.simulator?.close();
      if (database.owned) await sequelize.close();
    },
  };
}
