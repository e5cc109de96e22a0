import type AdminJS from 'adminjs';
import type { Express } from 'express';
import { createAiUsage, consoleLogger } from './create-ai-usage.js';
import { createLedgerPanel, type PanelOptions } from './panel.js';
import type { AiUsage, AiUsageOptions, ApiRouterOptions } from './types.js';

export interface MountAiUsageOptions extends AiUsageOptions {
  /** Our own AdminJS panel at `panel.path` (default /admin), or false when the host's own AdminJS shows the ledger (aiUsage.admin). */
  panel?: PanelOptions | false;
  /** The JSON API at `api.path` (default /api), or false to mount `aiUsage.apiRouter()` yourself. */
  api?: (ApiRouterOptions & { path?: string }) | false;
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
    return {
      ...aiUsage,
      panel: panel?.admin,
      async close(closeOptions) {
        await panel?.close();
        await aiUsage.close(closeOptions);
      },
    };
  } catch (error) {
    await aiUsage.close();
    throw error;
  }
}
