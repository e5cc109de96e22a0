import { fileURLToPath } from 'node:url';
import { definePlugin, withExportImport, type PluginModelsContext } from '../../src/plugin.js';
import { definePromptGeneration, type PromptGenerationModel } from './models.js';
import { promptResources } from './resources.js';
import { promptRoutes } from './routes.js';
import { seedPrompts } from './seed.js';
import { createPromptService, PROMPT_JOB } from './service.js';
import { userIdDataType } from '../../src/core/index.js';

export interface PromptGenerationPluginOptions {
  /** Model the prompts are written with, tracked under section prompt_generation. */
  model?: string;
  /** Retries of a failed background generation (pg-boss retryLimit). */
  jobRetryLimit?: number;
  /** Seconds before the first job retry, doubled each time. */
  jobRetryDelaySeconds?: number;
}

/** System prompts for a business, generated now or as a pg-boss job. Routes under /api/prompts. */
export function promptGenerationPlugin(options: PromptGenerationPluginOptions = {}) {
  const service = (context: PluginModelsContext) =>
    createPromptService({
      PromptGeneration: context.models.PromptGeneration as PromptGenerationModel,
      gemini: context.gemini,
      jobs: context.jobs,
      model: options.model ?? context.tracker.sections.get('prompt_generation').defaultModel,
    });
  return definePlugin({
    name: 'prompt-generation',
    migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
    models: ({ sequelize, core }) => ({ PromptGeneration: definePromptGeneration(sequelize, userIdDataType(core.users)) }),
    resources: (context) =>
      withExportImport(promptResources(context.models.PromptGeneration as PromptGenerationModel, service(context), context.componentLoader), {
        componentLoader: context.componentLoader,
        import: false,
      }),
    routes: (context) => promptRoutes(service(context)),
    jobs: (context) => [
      {
        name: PROMPT_JOB,
        handler: (data: { generationId: string }) => service(context).handleJob(data),
        retryLimit: options.jobRetryLimit ?? 2,
        retryDelaySeconds: options.jobRetryDelaySeconds ?? 2,
      },
    ],
    seed: (context) => seedPrompts(service(context), context.demoUserId),
  });
}
