import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { PriceSnapshot } from './snapshot.js';
import type { ModelPrice } from './types.js';

export interface PriceCatalog {
  /**
   * The prices in force: loaded from ai_model_prices on first use and reloaded when older than
   * `refreshMs`, so an edit made anywhere (panel, file, SQL, another instance) is priced within that time.
   */
  snapshot(): Promise<PriceSnapshot>;
  /** Drops the cached prices; the next snapshot() reads the table. Called after an edit in this process. */
  invalidate(): void;
}

export interface PriceCatalogOptions {
  /** How long a loaded price list is trusted; 0 reads the table for every request. Default 2,000 ms. */
  refreshMs?: number;
}

export const PRICE_COLUMNS = `id, model, tier, effective_from::text AS "effectiveFrom", effective_to::text AS "effectiveTo",
  input_per_million::text AS "inputPerMillion", output_per_million::text AS "outputPerMillion",
  cached_input_per_million::text AS "cachedInputPerMillion", audio_input_per_million::text AS "audioInputPerMillion",
  cached_audio_input_per_million::text AS "cachedAudioInputPerMillion", audio_output_per_million::text AS "audioOutputPerMillion",
  image_output_per_million::text AS "imageOutputPerMillion", long_context_threshold_tokens AS "longContextThresholdTokens",
  long_input_per_million::text AS "longInputPerMillion", long_output_per_million::text AS "longOutputPerMillion",
  long_cached_input_per_million::text AS "longCachedInputPerMillion", grounding_per_thousand::text AS "groundingPerThousand",
  grounding_unit AS "groundingUnit"`;

/** Every row of ai_model_prices. */
export function loadPrices(sequelize: Sequelize, transaction?: Transaction): Promise<ModelPrice[]> {
  return sequelize.query<ModelPrice>(`SELECT ${PRICE_COLUMNS} FROM ai_model_prices ORDER BY id`, { type: QueryTypes.SELECT, transaction });
}

export function createPriceCatalog(sequelize: Sequelize, options: PriceCatalogOptions = {}): PriceCatalog {
  const refreshMs = options.refreshMs ?? 2_000;
  let current: { snapshot: Promise<PriceSnapshot>; loadedAt: number } | undefined;

  function load() {
    const loading = { snapshot: loadPrices(sequelize).then((rows) => new PriceSnapshot(rows)), loadedAt: Date.now() };
    // A failed load is not cached: the next request tries again.
    loading.snapshot.catch(() => {
      if (current === loading) current = undefined;
    });
    current = loading;
    return loading.snapshot;
  }

  return {
    snapshot() {
      if (!current || Date.now() - current.loadedAt >= refreshMs) return load();
      return current.snapshot;
    },
    invalidate() {
      current = undefined;
    },
  };
}
