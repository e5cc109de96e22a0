import type AdminJS from 'adminjs';
import type { Express } from 'express';
import { createAiUsage, consoleLogger } from './create-ai-usage.js';
import { createLedgerPanel, type PanelOptions } from './panel.js';
import type { AiUsage, AiUsageOptions, ApiRouterOptions } from './types.js';
import { createUsagePage, USAGE_PAGE_PATH } from '../usage/index.js';

export interface MountAiUsageOptions extends AiUsageOptions {
  /** Our own AdminJS panel at `panel.path` (default /admin), or false when the host's own AdminJS shows the ledger (aiUsage.admin). */
  panel?: PanelOptions | false;
  /** The JSON API at `api.path` (default /api), or false to mount `aiUsage.apiRouter()` yourself. */
  api?: (ApiRouterOptions & { path?: string }) | false;
  /** End users' usage page (sign-in with our users table, role `user`) at `usagePage.path` (default /usage), or false; off with a host's users table. */
  usagePage?: { path?: string } | false;
}

export interface MountedAiUsage extends AiUsage {
  /** Our panel's AdminJS instance, when `panel` was not false. */
  panel?: AdminJS;
}

/** One call: the ledger on the host's database, its panel and its JSON API mounted on the host's Express app. */
export async function mountAiUsage(app: Express, options: MountAiUsageOptions = {}): Promise<MountedAiUsage> {
  const aiUsage = await createAiUsage(options);
  try {
    const panel = options.panel === false ? undefined : await createLedgerPanel(aiUsage, options.panel ?? {}, options.logger ?? consoleLogger);
    if (panel) app.use(panel.admin.options.rootPath, panel.router);
    if (options.api !== false) app.use(options.api?.path ?? '/api', aiUsage.apiRouter(options.api));
    // Its sign-in needs our users table (passwords, roles); with a host's users it is off unless asked for.
    if (options.usagePage && !aiUsage.core.users.own) throw new TypeError('adminjs-ai-usage: the usage page signs in against our own users table; with your own users, build your page on aiUsage.usage');
    const usagePath = options.usagePage === false || (options.usagePage === undefined && !aiUsage.core.users.own) ? undefined : (options.usagePage?.path ?? USAGE_PAGE_PATH);
    const usagePage = usagePath
      ? createUsagePage({ usage: aiUsage.usage, User: aiUsage.core.User, config: aiUsage.config, databaseUrl: aiUsage.databaseUrl, path: usagePath, logError: (options.logger ?? consoleLogger).error })
      : undefined;
    if (usagePage) app.use(usagePath!, usagePage.router);
    return {
      ...aiUsage,
      panel: panel?.admin,
      async close(closeOptions) {
        await panel?.close();
        await usagePage?.close();
        await aiUsage.close(closeOptions);
      },
    };
  } catch (error) {
    await aiUsage.close();
    throw error;
  }
}
