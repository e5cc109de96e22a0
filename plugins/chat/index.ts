import { fileURLToPath } from 'node:url';
import { definePlugin, withExportImport, type PluginModelsContext } from '../../src/plugin.js';
import { checkHistoryPolicy, DEFAULT_HISTORY_POLICY, type HistoryPolicy } from './history.js';
import { defineChatModels, type ChatModels } from './models.js';
import { chatResources } from './resources.js';
import { chatRoutes } from './routes.js';
import { seedChat } from './seed.js';
import { createChatService } from './service.js';
import { userIdDataType } from '../../src/core/index.js';

export interface ChatPluginOptions extends Partial<HistoryPolicy> {
  /** Model of the replies, tracked under section chat. */
  chatModel?: string;
  /** Model of the history summaries, tracked under section session_memory. */
  summaryModel?: string;
}

/**
 * Customer chat: conversations with history, where long histories are summarised (session_memory)
 * and sent as summary plus recent messages. Routes under /api/chat.
 */
export function chatPlugin(options: ChatPluginOptions = {}) {
  const history = checkHistoryPolicy({
    summarizeAfterMessages: options.summarizeAfterMessages ?? DEFAULT_HISTORY_POLICY.summarizeAfterMessages,
    keepRecentMessages: options.keepRecentMessages ?? DEFAULT_HISTORY_POLICY.keepRecentMessages,
  });
  const models = (context: PluginModelsContext) => context.models as unknown as ChatModels;
  const service = (context: PluginModelsContext) =>
    createChatService({
      sequelize: context.sequelize,
      models: models(context),
      gemini: context.gemini,
      history,
      chatModel: options.chatModel ?? context.tracker.sections.get('chat').defaultModel,
      summaryModel: options.summaryModel ?? context.tracker.sections.get('session_memory').defaultModel,
    });
  return definePlugin({
    name: 'chat',
    migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
    models: ({ sequelize, core }) => ({ ...defineChatModels(sequelize, userIdDataType(core.users)) }),
    // Transcripts are exported, never imported: they are what the users and the model said.
    resources: (context) => withExportImport(chatResources(models(context)), { componentLoader: context.componentLoader, import: false }),
    routes: (context) => chatRoutes(service(context)),
    seed: (context) => seedChat(service(context), context.demoUserId),
  });
}
