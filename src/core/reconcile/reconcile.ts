import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { droppedMonths } from '../partitions/maintenance.js';
import { addMonths, type Month } from '../partitions/months.js';
import { AGGREGATE_COLUMNS, AGGREGATE_DRIFT_SQL, BUDGET_COUNTERS, BUDGET_DRIFT_SQL, FIX_AGGREGATES_SQL, FIX_BUDGETS_SQL, SUBSCRIPTION_DRIFT_SQL } from './reconcile-sql.js';

export interface ReconcileOptions {
  /** First UTC day, YYYY-MM-DD. */
  from: string;
  /** Last UTC day, YYYY-MM-DD, inclusive. */
  to: string;
  /** Fix every drift in one transaction; without it nothing is written. */
  apply?: boolean;
}

/** One column of one key: what the aggregate holds and what its logs sum to (null: no row / no logs). */
export interface ColumnDrift {
  column: string;
  actual: string | null;
  expected: string | null;
}

export interface AggregateDrift {
  userId: string | number | null;
  date: string;
  section: string;
  modelName: string;
  columns: ColumnDrift[];
}

export interface SubscriptionDrift {
  subscriptionId: number;
  userId: string | number;
  tokensUsed: { actual: string; expected: string };
  costUsedUsd: { actual: string; expected: string };
}

/** A budget's counter row for one period whose used_* differ from the ledger it settles, or reserved_* from its live holds. */
export interface BudgetDrift {
  budgetId: number;
  budgetName: string;
  periodStart: Date;
  periodEnd: Date;
  columns: ColumnDrift[];
}

export interface ReconcileResult {
  applied: boolean;
  aggregates: AggregateDrift[];
  subscriptions: SubscriptionDrift[];
  /** Subscriptions left alone because their period covers a month retention dropped. */
  skippedSubscriptions: number[];
  budgets: BudgetDrift[];
  /** Budget periods left alone because they cover a month retention dropped. */
  skippedBudgets: { budgetId: number; periodStart: Date }[];
}

export class ReconcileOptionError extends Error {
  override name = 'ReconcileOptionError';
}

/** The range touches months whose logs retention dropped: recomputing would zero their aggregates. */
export class LogsDroppedError extends Error {
  override name = 'LogsDroppedError';
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function checkDay(name: string, value: string): void {
  if (!DAY.test(value) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) throw new ReconcileOptionError(`${name} must be a date YYYY-MM-DD, got "${value}"`);
}

/** The months of `dropped` that overlap the instants [from, to). */
const monthsOverlapping = (dropped: Month[], from: Date, to: Date) =>
  dropped.filter((month) => Date.parse(`${month}-01T00:00:00Z`) < to.getTime() && Date.parse(`${addMonths(month, 1)}-01T00:00:00Z`) > from.getTime());

async function findDrift(sequelize: Sequelize, options: ReconcileOptions, dropped: Month[], transaction?: Transaction) {
  const bind = [options.from, options.to];
  const rows = await sequelize.query<Record<string, string | boolean | null>>(AGGREGATE_DRIFT_SQL, { bind, type: QueryTypes.SELECT, transaction });
  const aggregates = rows.map((row) => ({
    userId: row.user_id as string | null,
    date: row.date as string,
    section: row.section as string,
    modelName: row.model_name as string,
    columns: AGGREGATE_COLUMNS.filter((column) => row[`differs_${column}`] === true)
      .map((column) => ({ column, actual: (row[`actual_${column}`] as string | null) ?? null, expected: (row[`expected_${column}`] as string | null) ?? null })),
  }));
  const subscriptionRows = await sequelize.query<{
    subscription_id: number; user_id: string | number; period_start: Date; period_end: Date;
    actual_tokens_used: string; expected_tokens_used: string; actual_cost_used_usd: string; expected_cost_used_usd: string;
  }>(SUBSCRIPTION_DRIFT_SQL, { bind, type: QueryTypes.SELECT, transaction });
  const skippedSubscriptions: number[] = [];
  const subscriptions: SubscriptionDrift[] = [];
  for (const row of subscriptionRows) {
    if (monthsOverlapping(dropped, new Date(row.period_start), new Date(row.period_end)).length > 0) {
      skippedSubscriptions.push(row.subscription_id);
      continue;
    }
    subscriptions.push({
      subscriptionId: row.subscription_id,
      userId: row.user_id,
      tokensUsed: { actual: row.actual_tokens_used, expected: row.expected_tokens_used },
      costUsedUsd: { actual: row.actual_cost_used_usd, expected: row.expected_cost_used_usd },
    });
  }
  const budgetRows = await sequelize.query<Record<string, string | number | boolean | Date | null>>(BUDGET_DRIFT_SQL, { bind, type: QueryTypes.SELECT, transaction });
  const budgets: BudgetDrift[] = [];
  const skippedBudgets: ReconcileResult['skippedBudgets'] = [];
  // What FIX_BUDGETS_SQL sets each drifting counter row to: every counter, not only the drifting ones.
  const budgetFixes: Record<string, unknown>[] = [];
  for (const row of budgetRows) {
    const period = { budgetId: row.budget_id as number, periodStart: new Date(row.period_start as Date) };
    if (monthsOverlapping(dropped, period.periodStart, new Date(row.period_end as Date)).length > 0) {
      skippedBudgets.push(period);
      continue;
    }
    budgets.push({
      ...period,
      budgetName: row.name as string,
      periodEnd: new Date(row.period_end as Date),
      columns: BUDGET_COUNTERS.filter((column) => row[`differs_${column}`] === true)
        .map((column) => ({ column, actual: (row[`actual_${column}`] as string | null) ?? null, expected: row[`expected_${column}`] as string })),
    });
    budgetFixes.push({
      budget_id: row.budget_id,
      period_start: row.period_start,
      period_end: row.period_end,
      ...Object.fromEntries(BUDGET_COUNTERS.map((column) => [column, row[`expected_${column}`]])),
    });
  }
  return { drift: { aggregates, subscriptions, skippedSubscriptions, budgets, skippedBudgets }, budgetFixes };
}

/**
 * Recomputes the daily aggregates of a range of UTC days (every column the record statement sums),
 * the debits of the subscriptions whose period overlaps it and the budget counters of the periods
 * overlapping it from the logs (and the live holds), and reports every key that drifted. With
 * `apply`, those tables are locked against the tracker and the budget reserve (SHARE ROW EXCLUSIVE:
 * calls wait, nothing is lost), the drift is found again and fixed, all in one transaction.
 * Refuses a range touching a month whose logs retention dropped.
 */
export async function reconcile(sequelize: Sequelize, options: ReconcileOptions): Promise<ReconcileResult> {
  checkDay('--from', options.from);
  checkDay('--to', options.to);
  if (options.from > options.to) throw new ReconcileOptionError(`--from ${options.from} is after --to ${options.to}`);
  const dropped = await droppedMonths(sequelize);
  const refused = monthsOverlapping(dropped, new Date(`${options.from}T00:00:00Z`), new Date(Date.parse(`${options.to}T00:00:00Z`) + 86_400_000));
  if (refused.length > 0) {
    throw new LogsDroppedError(`the logs of ${refused.join(', ')} were dropped by retention: their aggregates are the only record left and cannot be recomputed; pick a range after ${refused.at(-1)}`);
  }
  if (!options.apply) return { applied: false, ...(await findDrift(sequelize, options, dropped)).drift };
  return sequelize.transaction(async (transaction) => {
    await sequelize.query('LOCK TABLE ai_usage_tracking, subscriptions, ai_budget_usage, ai_budget_holds IN SHARE ROW EXCLUSIVE MODE', { transaction });
    const { drift, budgetFixes } = await findDrift(sequelize, options, dropped, transaction);
    if (drift.aggregates.length > 0) await sequelize.query(FIX_AGGREGATES_SQL, { bind: [options.from, options.to], transaction });
    if (drift.subscriptions.length > 0) {
      await sequelize.query(
        `UPDATE subscriptions AS s SET tokens_used = f.tokens_used, cost_used_usd = f.cost_used_usd, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS f (id integer, tokens_used bigint, cost_used_usd numeric) WHERE s.id = f.id`,
        { bind: [JSON.stringify(drift.subscriptions.map((s) => ({ id: s.subscriptionId, tokens_used: s.tokensUsed.expected, cost_used_usd: s.costUsedUsd.expected })))], transaction },
      );
    }
    if (budgetFixes.length > 0) await sequelize.query(FIX_BUDGETS_SQL, { bind: [JSON.stringify(budgetFixes)], transaction });
    return { applied: true, ...drift };
  });
}
