import { chatPlugin } from '../../plugins/chat/index.js';
import { knowledgeQaPlugin } from '../../plugins/knowledge-qa/index.js';
import { promptGenerationPlugin } from '../../plugins/prompt-generation/index.js';
import type { Plugin } from '../plugin.js';

/** The feature plugins `npm start` serves, in registration order. */
export const BUILTIN_PLUGINS: readonly Plugin[] = [chatPlugin(), knowledgeQaPlugin(), promptGenerationPlugin()];

/** Their migration folders: the test template and `npm run db:migrate` apply them after the core's. */
export const BUILTIN_MIGRATION_DIRS: readonly string[] = BUILTIN_PLUGINS.flatMap((p) => (p.migrations ? [p.migrations] : []));
