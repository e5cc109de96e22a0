import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { findOverlap, PriceValidationError, validatePrice, type DatedPrice, type PriceFields } from './validate.js';

const COLUMNS: [keyof PriceFields, string][] = [
  ['model', 'model'], ['tier', 'tier'], ['effectiveFrom', 'effective_from'], ['effectiveTo', 'effective_to'],
  ['inputPerMillion', 'input_per_million'], ['outputPerMillion', 'output_per_million'], ['cachedInputPerMillion', 'cached_input_per_million'],
  ['audioInputPerMillion', 'audio_input_per_million'], ['cachedAudioInputPerMillion', 'cached_audio_input_per_million'],
  ['audioOutputPerMillion', 'audio_output_per_million'], ['imageOutputPerMillion', 'image_output_per_million'],
  ['longContextThresholdTokens', 'long_context_threshold_tokens'], ['longInputPerMillion', 'long_input_per_million'],
  ['longOutputPerMillion', 'long_output_per_million'], ['longCachedInputPerMillion', 'long_cached_input_per_million'],
  ['groundingPerThousand', 'grounding_per_thousand'], ['groundingUnit', 'grounding_unit'], ['source', 'source'], ['note', 'note'],
];

async function datedPrices(sequelize: Sequelize, models: string[], transaction: Transaction): Promise<DatedPrice[]> {
  return sequelize.query<DatedPrice>(
    `SELECT id, model, tier, effective_from::text AS "effectiveFrom", effective_to::text AS "effectiveTo"
     FROM ai_model_prices WHERE model = ANY($1)`,
    { bind: [models], type: QueryTypes.SELECT, transaction },
  );
}

/** Serializes price writers, so two concurrent edits cannot each pass the overlap check. */
const lockPrices = (sequelize: Sequelize, transaction: Transaction) =>
  sequelize.query('LOCK TABLE ai_model_prices IN SHARE ROW EXCLUSIVE MODE', { transaction });

/**
 * Throws PriceValidationError when `price` (row `id` when it is an edit) would overlap another price
 * of its model and tier. Call inside the transaction that writes it.
 */
export async function assertNoOverlap(sequelize: Sequelize, price: PriceFields, id: number | undefined, transaction: Transaction): Promise<void> {
  await lockPrices(sequelize, transaction);
  const others = (await datedPrices(sequelize, [price.model], transaction)).filter((p) => p.id !== id);
  const overlap = findOverlap([...others, { ...price, id }]);
  if (overlap) throw new PriceValidationError(`price of ${price.model} (${price.tier}) from ${price.effectiveFrom}`, { effectiveFrom: overlap });
}

/** Nested file entries (`longContext`, `grounding`) as the flat fields validatePrice takes. */
function flatten(entry: unknown): Record<string, unknown> {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return {};
  const { longContext, grounding, ...rest } = entry as Record<string, unknown> & { longContext?: Record<string, unknown>; grounding?: Record<string, unknown> };
  return {
    ...rest,
    ...(longContext
      ? { longContextThresholdTokens: longContext.thresholdTokens, longInputPerMillion: longContext.inputPerMillion, longOutputPerMillion: longContext.outputPerMillion, longCachedInputPerMillion: longContext.cachedInputPerMillion }
      : {}),
    ...(grounding ? { groundingPerThousand: grounding.perThousand, groundingUnit: grounding.unit } : {}),
  };
}

/**
 * Validates every entry (the AI_USAGE_PRICING_FILE shape: USD per 1M tokens, `longContext` and
 * `grounding` nested or flat) and upserts them by (model, tier, effectiveFrom) in one transaction:
 * one bad entry or overlap and nothing is written. Returns how many rows were written.
 */
export async function upsertPrices(sequelize: Sequelize, entries: readonly unknown[], where: string): Promise<number> {
  const prices = entries.map((entry, i) => {
    try {
      return validatePrice(flatten(entry));
    } catch (error) {
      if (error instanceof PriceValidationError) throw new PriceValidationError(`${where}, entry ${i + 1}: ${error.where}`, error.fieldErrors);
      throw error;
    }
  });
  if (prices.length === 0) return 0;
  return sequelize.transaction(async (transaction) => {
    await lockPrices(sequelize, transaction);
    const key = (p: DatedPrice) => `${p.model}\u0000${p.tier}\u0000${p.effectiveFrom}`;
    const replaced = new Set(prices.map(key));
    const kept = (await datedPrices(sequelize, [...new Set(prices.map((p) => p.model))], transaction)).filter((p) => !replaced.has(key(p)));
    const overlap = findOverlap([...kept, ...prices]);
    if (overlap) throw new PriceValidationError(where, { effectiveFrom: overlap });
    const names = COLUMNS.map(([, column]) => column);
    for (const price of prices) {
      await sequelize.query(
        `INSERT INTO ai_model_prices (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})
         ON CONFLICT (model, tier, effective_from) DO UPDATE SET
           ${names.slice(3).map((column) => `${column} = excluded.${column}`).join(', ')}, updated_at = now()`,
        { bind: COLUMNS.map(([field]) => price[field]), transaction },
      );
    }
    return prices.length;
  });
}
