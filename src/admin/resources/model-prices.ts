import { ValidationError, type ActionContext, type ActionRequest, type ResourceWithOptions } from 'adminjs';
import { ValidationError as SequelizeValidationError } from 'sequelize';
import { reprice, type RepriceSummary } from '../../core/prices/reprice.js';
import { exportImportFeature } from '../export/index.js';
import { SafeSequelizeResource } from '../safe-resource.js';
import type { AdminContext } from './context.js';

export const MODEL_PRICES_ID = 'ai_model_prices';

/** The panel path where an admin adds a price (linked from wherever unpriced requests are shown). */
export const NEW_PRICE_PATH = `/resources/${MODEL_PRICES_ID}/actions/new`;

function describe(summary: RepriceSummary): string {
  if (summary.models.length === 0) return 'No unpriced requests.';
  const parts = summary.models.map((m) => `${m.model}: ${m.changed} of ${m.rows} priced (${m.deltaUsd} USD)${m.stillUnpriced ? `, ${m.stillUnpriced} still without a price` : ''}`);
  return `${summary.applied ? `Repriced ${summary.appliedRows} requests` : 'Dry run, nothing written'}. ${parts.join('; ')}.`;
}

/** A resource action that reprices the unpriced requests (dry run, or applied), reporting per model. */
function repriceAction(context: AdminContext, apply: boolean) {
  return {
    actionType: 'resource' as const,
    icon: apply ? 'DollarSign' : 'Eye',
    component: false as const,
    ...(apply ? { guard: 'Price every unpriced request with the prices now in this table? Logs, daily aggregates and subscriptions are updated, with an audit row per request.' } : {}),
    handler: async (_request: ActionRequest, _response: unknown, { currentAdmin, resource, h }: ActionContext) => {
      const summary = await reprice(context.sequelize, { apply, actor: `admin:${currentAdmin?.email ?? 'unknown'}` });
      return { notice: { message: describe(summary), type: 'success' as const }, redirectUrl: h.resourceUrl({ resourceId: resource.id() }) };
    },
  };
}

/** Prices whose refused delete (the price costed requests) is a notice to the admin, not a 500. */
class ModelPricesResource extends SafeSequelizeResource {
  override async delete(id: unknown): Promise<void> {
    try {
      await super.delete(id);
    } catch (error) {
      if (error instanceof SequelizeValidationError) throw new ValidationError({}, { message: error.message, type: 'price_in_use' });
      throw error;
    }
  }
}

/**
 * Model prices (ai_model_prices): the catalogue the tracker prices with, re-read every 2 s. Admins
 * edit it (checked like the pricing file: numbers, tiers, dates, no overlaps), viewers read and
 * export it, imports go through the same checks. Reprice actions price the unpriced requests.
 */
export function modelPricesResource(context: AdminContext): ResourceWithOptions {
  return {
    resource: new ModelPricesResource(context.core.AIModelPrice),
    features: [exportImportFeature({ componentLoader: context.componentLoader })],
    options: {
      id: MODEL_PRICES_ID,
      navigation: { name: 'AI usage', icon: 'Activity' },
      sort: { sortBy: 'model', direction: 'asc' },
      listProperties: ['model', 'tier', 'effectiveFrom', 'effectiveTo', 'inputPerMillion', 'outputPerMillion', 'cachedInputPerMillion', 'audioInputPerMillion', 'groundingPerThousand'],
      filterProperties: ['model', 'tier', 'effectiveFrom', 'effectiveTo'],
      editProperties: [
        'model', 'tier', 'effectiveFrom', 'effectiveTo', 'inputPerMillion', 'outputPerMillion', 'cachedInputPerMillion',
        'audioInputPerMillion', 'cachedAudioInputPerMillion', 'audioOutputPerMillion', 'imageOutputPerMillion',
        'longContextThresholdTokens', 'longInputPerMillion', 'longOutputPerMillion', 'longCachedInputPerMillion',
        'groundingPerThousand', 'groundingUnit', 'source', 'note',
      ],
      properties: {
        tier: { availableValues: ['standard', 'flex', 'batch', 'priority'].map((value) => ({ value, label: value })) },
        groundingUnit: { availableValues: ['grounded_prompt', 'search_query'].map((value) => ({ value, label: value })) },
        source: { type: 'textarea' },
        note: { type: 'textarea' },
      },
      translations: {
        en: {
          labels: { [MODEL_PRICES_ID]: 'Model prices' },
          actions: { repriceDryRun: 'Reprice (dry run)', repriceUnpriced: 'Reprice unpriced' },
          properties: {
            inputPerMillion: 'Input $/1M (text, image, video)', outputPerMillion: 'Output $/1M (thinking incl.)', cachedInputPerMillion: 'Cached input $/1M',
            audioInputPerMillion: 'Audio input $/1M', cachedAudioInputPerMillion: 'Cached audio input $/1M', audioOutputPerMillion: 'Audio output $/1M',
            imageOutputPerMillion: 'Image output $/1M', longContextThresholdTokens: 'Long context above (tokens)', longInputPerMillion: 'Long-context input $/1M',
            longOutputPerMillion: 'Long-context output $/1M', longCachedInputPerMillion: 'Long-context cached $/1M', groundingPerThousand: 'Grounding $/1,000',
            groundingUnit: 'Grounding billed per', effectiveFrom: 'From (UTC day)', effectiveTo: 'Until (exclusive)',
          },
        },
      },
      actions: {
        // One at a time, each checked: a bulk delete would stop at the first price in use.
        bulkDelete: { isAccessible: false, isVisible: false },
        repriceDryRun: repriceAction(context, false),
        repriceUnpriced: repriceAction(context, true),
      },
    },
  };
}
