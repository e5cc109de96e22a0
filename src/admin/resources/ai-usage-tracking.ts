import type { ResourceWithOptions } from 'adminjs';
import { modelChoicesHandler } from '../ai-usage-log/actions.js';
import { exportImportFeature } from '../export/index.js';
import { dateHierarchyAction } from '../date-hierarchy/action.js';
import { tableDateCounter } from '../date-hierarchy/table-counter.js';
import { SafeSequelizeResource } from '../safe-resource.js';
import { EXPORT_READS, NO_WRITE_ACTIONS, type AdminContext } from './context.js';
import { LEDGER_LABELS, ledgerProperties } from './ledger-properties.js';

/** The daily aggregate: read-only, newest day first, filters by date, user, section and model. */
export function aiUsageTrackingResource(context: AdminContext): ResourceWithOptions {
  const { core, sequelize, componentLoader } = context;
  const shared = ledgerProperties(context);
  const timeZone = context.config.panelTimeZone;
  const resource = new SafeSequelizeResource(core.AIUsageTracking, { exact: ['section', 'modelName'], readOnly: true, timeZone });
  return {
    resource,
    // The panel shows the day's average response time; the export holds the sum (divide by Requests).
    features: [exportImportFeature({ componentLoader, labels: { totalResponseTimeMs: 'Total response time' }, import: false })],
    options: {
      id: 'ai_usage_tracking',
      navigation: { name: 'AI usage', icon: 'Activity' },
      sort: { sortBy: 'date', direction: 'desc' },
      listProperties: ['date', 'userId', 'section', 'modelName', 'requestCount', 'failureCount', 'totalTokens', 'totalResponseTimeMs', 'costUsd'],
      showProperties: ['date', 'userId', 'section', 'modelName', 'requestCount', 'successCount', 'failureCount', 'totalTokens', 'promptTokens', 'completionTokens', 'thoughtsTokens', 'cachedTokens', 'totalResponseTimeMs', 'costUsd', 'createdAt', 'updatedAt'],
      filterProperties: ['date', 'userId', 'section', 'modelName'],
      properties: {
        ...shared,
        // The average response time of the day, coloured like a single request's.
        totalResponseTimeMs: {
          ...shared.responseTimeMs,
          custom: { ...shared.responseTimeMs!.custom, average: { sum: 'totalResponseTimeMs', count: 'requestCount' } },
        },
      },
      translations: { en: { labels: { ai_usage_tracking: 'AI usage per day' }, properties: { ...LEDGER_LABELS, totalResponseTimeMs: 'Avg response time' } } },
      actions: {
        ...NO_WRITE_ACTIONS,
        ...EXPORT_READS,
        dateHierarchy: dateHierarchyAction({ field: 'date', timeZone, counter: (filter) => tableDateCounter(core.AIUsageTracking, 'date', resource.whereOf(filter)) }),
        modelChoices: { actionType: 'resource', isVisible: false, handler: modelChoicesHandler(sequelize), custom: { readOnly: true } },
      },
    },
  };
}
