import type { PropertyOptions } from 'adminjs';
import type { AdminContext } from './context.js';

/** Parts of a token total: the params holding input, output, thoughts and cached tokens. */
const TOKEN_PARTS = { input: 'promptTokens', output: 'completionTokens', thoughts: 'thoughtsTokens', cached: 'cachedTokens' };

/** Column labels of the ledger resources. */
export const LEDGER_LABELS = {
  id: 'Id',
  createdAt: 'Created at',
  userId: 'User',
  modelName: 'Model',
  totalTokens: 'Tokens',
  promptTokens: 'Input tokens',
  completionTokens: 'Output tokens',
  thoughtsTokens: 'Thinking tokens',
  cachedTokens: 'Cached input tokens',
  responseTimeMs: 'Response time',
  costUsd: 'Cost',
  errorMessage: 'Error message',
  metadata: 'Metadata',
  requestCount: 'Requests',
  successCount: 'Successes',
  failureCount: 'Failures',
};

/**
 * Property options shared by the log and the daily aggregate: the same badges (section colours
 * from the registry, response-time thresholds from the configuration), user links and filters.
 */
export function ledgerProperties(context: AdminContext): Record<string, PropertyOptions> {
  const { components: C, sections, config } = context;
  const list = sections.list();
  const colours = Object.fromEntries(list.map((s) => [s.id, { label: s.label, color: s.color }]));
  return {
    userId: { reference: context.core.users.resourceId ?? undefined, components: { list: C.UserCell, show: C.UserCell, ...(context.core.users.resourceId ? { filter: C.UserFilter } : {}) }, isSortable: true },
    section: {
      availableValues: list.map((s) => ({ value: s.id, label: s.label })),
      components: { list: C.SectionBadge, show: C.SectionBadge },
      custom: { sections: colours },
    },
    modelName: { components: { filter: C.ModelFilter, list: C.TextCell } },
    totalTokens: { components: { list: C.TokensCell, show: C.TokensCell }, custom: { parts: TOKEN_PARTS } },
    responseTimeMs: {
      components: { list: C.ResponseTimeBadge, show: C.ResponseTimeBadge },
      custom: { fastMs: config.responseTime.fastMs, slowMs: config.responseTime.slowMs },
    },
    success: { components: { list: C.SuccessBadge, show: C.SuccessBadge } },
    costUsd: { components: { list: C.CostCell, show: C.CostCell } },
  };
}
