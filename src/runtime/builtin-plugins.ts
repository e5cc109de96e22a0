import { chatPlugin } from '../../plugins/chat/index.js';
import { knowledgeQaPlugin } from '../../plugins/knowledge-qa/index.js';
import { promptGenerationPlugin } from '../../plugins/prompt-generation/index.js';
import type { Plugin } from '../plugin.js';

const positiveInteger = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
};

/** The feature plugins `npm start` serves, in registration order. */
export const BUILTIN_PLUGINS: readonly Plugin[] = [
  chatPlugin({ summarizeAfterMessages: positiveInteger('CHAT_SUMMARIZE_AFTER_MESSAGES'), keepRecentMessages: positiveInteger('CHAT_KEEP_RECENT_MESSAGES') }),
  knowledgeQaPlugin(),
  promptGenerationPlugin(),
];

/** Their migration folders: the test template and `npm run db:migrate` apply them after the core's. */
export const BUILTIN_MIGRATION_DIRS: readonly string[] = BUILTIN_PLUGINS.flatMap((p) => (p.migrations ? [p.migrations] : []));
