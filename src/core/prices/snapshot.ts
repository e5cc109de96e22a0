import { costInPico } from './cost.js';
import { formatPico } from './money.js';
import type { BillableUsage, CostQuote, ModelPrice, ServiceTier } from './types.js';

const key = (model: string, tier: string) => `${model}\u0000${tier}`;

/** The prices of one moment, indexed for the tracker's hot path. */
export class PriceSnapshot {
  private readonly byModelTier = new Map<string, ModelPrice[]>();

  constructor(readonly prices: readonly ModelPrice[]) {
    for (const price of prices) {
      const entries = this.byModelTier.get(key(price.model, price.tier)) ?? [];
      entries.push(price);
      this.byModelTier.set(key(price.model, price.tier), entries);
    }
    for (const entries of this.byModelTier.values()) entries.sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  }

  /**
   * The price of `model` at `tier` on the UTC day of `at`: the latest row that started by then and
   * has not ended. None before a model's first price or after its last one ended: such a request is
   * unpriced (visible, repairable), never billed at a guessed rate.
   */
  priceAt(model: string, tier: ServiceTier, at: Date): ModelPrice | undefined {
    const entries = this.byModelTier.get(key(model, tier));
    if (!entries) return undefined;
    const day = at.toISOString().slice(0, 10);
    const price = entries.filter((e) => e.effectiveFrom <= day).at(-1);
    return price && (price.effectiveTo === null || day < price.effectiveTo) ? price : undefined;
  }

  /** Models that appear in the catalogue under any tier. */
  hasModel(model: string): boolean {
    return this.prices.some((p) => p.model === model);
  }

  /** Prices a billed request: `priced` with the row used, or `unpriced` with cost null. */
  quote(model: string, tier: ServiceTier, at: Date, usage: BillableUsage): CostQuote {
    const price = this.priceAt(model, tier, at);
    if (!price) return { status: 'unpriced', costUsd: null, priceId: null };
    return { status: 'priced', costUsd: formatPico(costInPico(price, usage)), priceId: price.id };
  }
}
