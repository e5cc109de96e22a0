import type { ResourceWithOptions } from 'adminjs';
import { modelChoicesHandler, statsHandler } from '../ai-usage-log/actions.js';
import { aiUsageLogExportSource } from '../ai-usage-log/export-source.js';
import { exportImportFeature, type DefaultFields } from '../export/index.js';
import type { LogCountOptions } from '../ai-usage-log/count.js';
import { dateHierarchyAction } from '../date-hierarchy/action.js';
import { logDateCounter } from '../date-hierarchy/log-counter.js';
import { readLogListParams } from '../ai-usage-log/filters.js';
import { AIUsageLogResource } from '../ai-usage-log/resource.js';
import { DEFAULT_LOG_SORT } from '../ai-usage-log/query.js';
import { EXPORT_READS, NO_WRITE_ACTIONS, type AdminContext } from './context.js';
import { LEDGER_LABELS, ledgerProperties } from './ledger-properties.js';

export const AI_USAGE_LOGS_ID = 'ai_usage_logs';

/** An export of failures ticks their error message too (the list leaves it out for width). */
const withErrorsOfFailures: DefaultFields = (query, listFields) => {
  const filters = query.raw.filters as Record<string, unknown> | undefined;
  return filters?.success === 'false' ? [...listFields, 'errorMessage'] : [...listFields];
};

/** The AI usage log: read-only, newest first, one search box, statistics over the list's own query. */
export function aiUsageLogResource(context: AdminContext, countOptions?: LogCountOptions): ResourceWithOptions {
  const { core, sequelize, sections, components: C, componentLoader } = context;
  const timeZone = context.config.panelTimeZone;
  const shared = ledgerProperties(context);
  return {
    resource: new AIUsageLogResource(core.AIUsageLog, sections, countOptions, timeZone),
    // Export exactly the rows of the list (same query); no import: only the tracker writes the log.
    features: [exportImportFeature({ componentLoader, source: aiUsageLogExportSource(sequelize, sections, timeZone), fields: withErrorsOfFailures, import: false })],
    options: {
      id: AI_USAGE_LOGS_ID,
      navigation: { name: 'AI usage', icon: 'Activity' },
      sort: DEFAULT_LOG_SORT,
      listProperties: ['createdAt', 'userId', 'section', 'modelName', 'totalTokens', 'responseTimeMs', 'success', 'costUsd'],
      showProperties: ['id', 'createdAt', 'userId', 'section', 'modelName', 'totalTokens', 'promptTokens', 'completionTokens', 'thoughtsTokens', 'cachedTokens', 'responseTimeMs', 'success', 'costUsd', 'errorMessage', 'metadata'],
      filterProperties: ['success', 'section', 'modelName', 'createdAt', 'userId'],
      properties: {
        ...shared,
        id: { isTitle: true },
        errorMessage: { type: 'textarea', components: { show: C.TextShow } },
        metadata: { components: { show: C.JsonShow }, custom: { jsonParam: 'metadataJson' } },
      },
      translations: { en: { labels: { [AI_USAGE_LOGS_ID]: 'AI usage log' }, properties: LEDGER_LABELS, actions: { stats: 'Stats' } } },
      actions: {
        ...NO_WRITE_ACTIONS,
        ...EXPORT_READS,
        list: { component: C.LogList },
        stats: {
          actionType: 'resource',
          icon: 'BarChart2',
          // In a drawer over the list: AdminJS then keeps the list's query string (its filters and search).
          showInDrawer: true,
          containerWidth: '820px',
          component: C.StatsAction,
          handler: statsHandler(sequelize, sections, timeZone),
          custom: { readOnly: true },
        },
        dateHierarchy: dateHierarchyAction({ field: 'createdAt', timeZone, counter: (filter) => logDateCounter(sequelize, readLogListParams(filter, undefined, timeZone), sections.list()) }),
        modelChoices: { actionType: 'resource', isVisible: false, handler: modelChoicesHandler(sequelize), custom: { readOnly: true } },
      },
    },
  };
}
