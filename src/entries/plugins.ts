export { chatPlugin } from '../../plugins/chat/index.js';
export { knowledgeQaPlugin } from '../../plugins/knowledge-qa/index.js';
export { promptGenerationPlugin } from '../../plugins/prompt-generation/index.js';
export { BUILTIN_PLUGINS, BUILTIN_MIGRATION_DIRS } from '../runtime/builtin-plugins.js';
