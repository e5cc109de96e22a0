import { fileURLToPath } from 'node:url';
import { definePlugin, withExportImport, type PluginModelsContext } from '../../src/plugin.js';
import { defineKnowledgeModels, type KnowledgeModels } from './models.js';
import { DEFAULT_FETCH_POLICY, type FetchPolicy } from './page-fetcher.js';
import { knowledgeResources } from './resources.js';
import { knowledgeRoutes } from './routes.js';
import { seedKnowledge } from './seed.js';
import { createKnowledgeService } from './service.js';
import { userIdDataType } from '../../src/core/index.js';

export interface KnowledgeQaPluginOptions {
  /** Model the Q&A pairs are written with, tracked under section knowledge_qa. */
  qaModel?: string;
  /** Model of the embeddings, tracked under section embedding_generation. */
  embeddingModel?: string;
  /** Limits of URL fetching (timeout, size cap, private addresses). */
  fetchPolicy?: Partial<FetchPolicy>;
}

/** Knowledge Q&A: web pages (URL, HTML or text) turned into Q&A pairs with embeddings. Routes under /api/knowledge. */
export function knowledgeQaPlugin(options: KnowledgeQaPluginOptions = {}) {
  const fetchPolicy: FetchPolicy = { ...DEFAULT_FETCH_POLICY, ...options.fetchPolicy };
  const models = (context: PluginModelsContext) => context.models as unknown as KnowledgeModels;
  const service = (context: PluginModelsContext) =>
    createKnowledgeService({
      sequelize: context.sequelize,
      models: models(context),
      gemini: context.gemini,
      qaModel: options.qaModel ?? context.tracker.sections.get('knowledge_qa').defaultModel,
      embeddingModel: options.embeddingModel ?? context.tracker.sections.get('embedding_generation').defaultModel,
    });
  return definePlugin({
    name: 'knowledge-qa',
    migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
    models: ({ sequelize, core }) => ({ ...defineKnowledgeModels(sequelize, userIdDataType(core.users)) }),
    // Pages and pairs come from generation (with embeddings), so they are exported, not imported.
    resources: (context) => withExportImport(knowledgeResources(models(context), service(context), context.componentLoader), { componentLoader: context.componentLoader, import: false }),
    routes: (context) => knowledgeRoutes(service(context), fetchPolicy),
    seed: (context) => seedKnowledge(service(context), context.demoUserId),
  });
}
