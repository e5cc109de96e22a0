import { QueryTypes, type Sequelize } from 'sequelize';
import { loadPrices } from './catalog.js';
import { formatPico, usdToPico } from './money.js';
import { APPLY_REPRICE_SQL } from './reprice-sql.js';
import { PriceSnapshot } from './snapshot.js';
import type { CostStatus, ServiceTier, UsageDetails } from './types.js';

export interface RepriceOptions {
  /** Only this model (model_name as stored). */
  model?: string;
  /** First UTC day (YYYY-MM-DD) of created_at to consider. */
  from?: string;
  /** Last UTC day (YYYY-MM-DD, inclusive) of created_at to consider. */
  to?: string;
  /** Write the changes; without it nothing is written (a dry run). */
  apply?: boolean;
  /** Also recompute rows already priced (after a price correction); by default only unpriced rows. */
  repricePriced?: boolean;
  /** Who asks, for the audit rows: `cli:<user>` or `admin:<email>`. */
  actor: string;
  /** Rows per transaction. Default 500. */
  batchSize?: number;
}

export interface ModelRepriceSummary {
  model: string;
  /** Rows considered. */
  rows: number;
  /** Rows whose cost, status or price changes. */
  changed: number;
  /** Rows that stay unpriced: their model, tier or day still has no price. */
  stillUnpriced: number;
  /** Sum of new cost minus old cost of the changed rows, exact USD. */
  deltaUsd: string;
}

export interface RepriceSummary {
  applied: boolean;
  /** Rows actually updated (with apply): fewer than planned when some changed meanwhile. */
  appliedRows: number;
  models: ModelRepriceSummary[];
}

interface Candidate {
  id: string;
  created_at: Date;
  /** created_at to the microsecond, for matching the row again (a JS Date keeps milliseconds). */
  created_at_exact: string;
  model_name: string;
  service_tier: ServiceTier;
  prompt_tokens: number;
  cached_tokens: number;
  completion_tokens: number;
  thoughts_tokens: number;
  tool_use_prompt_tokens: number;
  grounding_queries: number;
  usage_details: UsageDetails | null;
  cost_status: CostStatus;
  cost_usd: string | null;
  price_id: number | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class RepriceOptionError extends Error {
  override name = 'RepriceOptionError';
}

function checkDay(name: string, value: string | undefined): void {
  if (value !== undefined && (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))) throw new RepriceOptionError(`${name} must be a date YYYY-MM-DD, got "${value}"`);
}

/**
 * Prices unpriced rows (and, with `repricePriced`, re-prices priced ones) with the prices now in
 * ai_model_prices. A dry run by default: it reports per model the rows that would change and the
 * money delta. With `apply`, each batch is one transaction that updates logs, aggregates and
 * subscriptions by the same deltas and writes an audit row per change; running it again changes nothing.
 */
export async function reprice(sequelize: Sequelize, options: RepriceOptions): Promise<RepriceSummary> {
  checkDay('--from', options.from);
  checkDay('--to', options.to);
  if (options.from && options.to && options.from > options.to) throw new RepriceOptionError(`--from ${options.from} is after --to ${options.to}`);
  const snapshot = new PriceSnapshot(await loadPrices(sequelize));
  const batchSize = options.batchSize ?? 500;
  const statuses = options.repricePriced ? ['unpriced', 'priced'] : ['unpriced'];
  const reason = `reprice${options.model ? ` --model ${options.model}` : ''}${options.from ? ` --from ${options.from}` : ''}${options.to ? ` --to ${options.to}` : ''}${options.repricePriced ? ' --reprice-priced' : ''}`;
  const summaries = new Map<string, { rows: number; changed: number; stillUnpriced: number; delta: bigint }>();
  let after: { createdAt: string; id: string } | undefined;
  let appliedRows = 0;

  for (;;) {
    const candidates = await sequelize.query<Candidate>(
      `SELECT id, created_at, created_at::text AS created_at_exact, model_name, service_tier, prompt_tokens, cached_tokens, completion_tokens, thoughts_tokens,
              tool_use_prompt_tokens, grounding_queries, usage_details, cost_status, cost_usd::text AS cost_usd, price_id
       FROM ai_usage_logs
       WHERE cost_status = ANY($1) AND ($2::text IS NULL OR model_name = $2)
         AND ($3::date IS NULL OR created_at >= $3::date::timestamp AT TIME ZONE 'UTC')
         AND ($4::date IS NULL OR created_at < ($4::date + 1)::timestamp AT TIME ZONE 'UTC')
         AND ($5::timestamptz IS NULL OR (created_at, id) > ($5::timestamptz, $6::uuid))
       ORDER BY created_at, id LIMIT $7`,
      { bind: [statuses, options.model ?? null, options.from ?? null, options.to ?? null, after?.createdAt ?? null, after?.id ?? null, batchSize], type: QueryTypes.SELECT },
    );
    if (candidates.length === 0) break;
    after = { createdAt: candidates.at(-1)!.created_at_exact, id: candidates.at(-1)!.id };

    const changes: Record<string, unknown>[] = [];
    for (const row of candidates) {
      const usage = {
        promptTokens: row.prompt_tokens, cachedTokens: row.cached_tokens, completionTokens: row.completion_tokens, thoughtsTokens: row.thoughts_tokens,
        toolUsePromptTokens: row.tool_use_prompt_tokens, groundingQueries: row.grounding_queries, usageDetails: row.usage_details,
      };
      const quote = snapshot.quote(row.model_name, row.service_tier, row.created_at, usage);
      const summary = summaries.get(row.model_name) ?? { rows: 0, changed: 0, stillUnpriced: 0, delta: 0n };
      summaries.set(row.model_name, summary);
      summary.rows += 1;
      const oldPico = row.cost_usd === null ? null : usdToPico(row.cost_usd);
      const newPico = quote.costUsd === null ? null : usdToPico(quote.costUsd);
      if (quote.status === 'unpriced') summary.stillUnpriced += 1;
      if (quote.status === row.cost_status && oldPico === newPico && quote.priceId === row.price_id) continue;
      summary.changed += 1;
      summary.delta += (newPico ?? 0n) - (oldPico ?? 0n);
      changes.push({
        id: row.id, created_at: row.created_at_exact, old_status: row.cost_status, old_cost: row.cost_usd, old_price_id: row.price_id,
        new_status: quote.status, new_cost: quote.costUsd, new_price_id: quote.priceId,
      });
    }
    if (options.apply && changes.length > 0) {
      const [result] = await sequelize.transaction((transaction) =>
        sequelize.query<{ changed: number }>(APPLY_REPRICE_SQL, { bind: [JSON.stringify(changes), options.actor, reason], type: QueryTypes.SELECT, transaction }),
      );
      appliedRows += result?.changed ?? 0;
    }
    if (candidates.length < batchSize) break;
  }

  return {
    applied: Boolean(options.apply),
    appliedRows,
    models: [...summaries].sort(([a], [b]) => a.localeCompare(b)).map(([model, s]) => ({ model, rows: s.rows, changed: s.changed, stillUnpriced: s.stillUnpriced, deltaUsd: formatPico(s.delta) })),
  };
}
