import type { Sequelize } from 'sequelize';
import type { SectionRegistry } from '../core/sections.js';
import { findAccount, findActiveSubscription, type ActiveSubscription } from './account-query.js';
import { aggregateDetailRows, aggregateGroups, type AggregateDetailRow, type AggregateSums } from './aggregate-query.js';
import { addDays, daysBetween, periodOfSubscription, resolvePeriod, type UsagePeriod } from './period.js';
import { requestsPage } from './requests-query.js';
import { usageBudgets } from './budgets.js';
import { budgetsOfUser, DEFAULT_BUDGET_CONFIG, type BudgetConfig } from '../core/budgets/index.js';
import type { UsageFigures, UsageQuota, UsageReport, UsageRequestsPage } from './types.js';
import type { UserId } from '../core/users/user-id.js';

export interface UsageServiceOptions {
  sequelize: Sequelize;
  sections: SectionRegistry;
  /** Whether end users see money (cost_usd); tokens and requests are always shown. */
  showCost: boolean;
  /** What a subscription's quota does when its subscription says nothing (AI_USAGE_QUOTA_MODE); default enforce. */
  quotaMode?: BudgetConfig['quotaMode'];
}

/** The query parameters a report accepts: `from` and `to`, whole UTC days. */
export type PeriodQuery = { from?: unknown; to?: unknown };

const UNKNOWN_SECTION_COLOR = '#6b7280';

/** A bigint sum as a JSON number; past 2^53 it would silently round, so that is an error. */
function exactNumber(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`usage count ${text} exceeds the exact range of a JSON number`);
  return value;
}

/** End users' view of their own usage: the report, its CSV rows and their recent requests. */
export function createUsageService({ sequelize, sections, showCost, quotaMode = DEFAULT_BUDGET_CONFIG.quotaMode }: UsageServiceOptions) {
  const figures = (sums: AggregateSums): UsageFigures => ({
    requests: exactNumber(sums.requests),
    failures: exactNumber(sums.failures),
    tokens: exactNumber(sums.tokens),
    ...(showCost ? { cost_usd: sums.cost_usd, unpriced_requests: exactNumber(sums.unpriced) } : {}),
  });
  const sectionLook = (id: string) => (sections.has(id) ? sections.get(id) : { label: id, color: UNKNOWN_SECTION_COLOR });

  function quotaOf(subscription: ActiveSubscription | null): UsageQuota | null {
    if (!subscription) return null;
    const tokenQuota = exactNumber(subscription.tokenQuota);
    const tokensUsed = exactNumber(subscription.tokensUsed);
    return {
      plan: subscription.plan,
      period_start: subscription.periodStart.toISOString(),
      period_end: subscription.periodEnd.toISOString(),
      token_quota: tokenQuota,
      tokens_used: tokensUsed,
      used_ratio: tokenQuota > 0 ? tokensUsed / tokenQuota : tokensUsed > 0 ? Number.MAX_VALUE : 0,
      ...(showCost ? { cost_used_usd: subscription.costUsedUsd } : {}),
    };
  }

  /** The period a query asks for, defaulting to the active subscription's; a bad query is a 400. */
  async function periodFor(userId: UserId, query: PeriodQuery): Promise<{ period: UsagePeriod; subscription: ActiveSubscription | null }> {
    const subscription = await findActiveSubscription(sequelize, userId);
    const fallback = subscription ? periodOfSubscription(subscription.periodStart, subscription.periodEnd) : null;
    return { period: resolvePeriod(query, fallback), subscription };
  }

  /** The user's report; null when the user does not exist. */
  async function report(userId: UserId, query: PeriodQuery): Promise<UsageReport | null> {
    const account = await findAccount(sequelize, userId);
    if (!account) return null;
    const { period, subscription } = await periodFor(userId, query);
    const [groups, budgets] = await Promise.all([aggregateGroups(sequelize, userId, period), budgetsOfUser(sequelize, userId, { quotaMode })]);
    const zero = { requests: '0', failures: '0', tokens: '0', cost_usd: '0', unpriced: '0' };
    const days = Array.from({ length: daysBetween(period.from, period.to) + 1 }, (_, i) => addDays(period.from, i));
    return {
      user: { id: account.id, email: account.email, name: account.name },
      period,
      totals: figures(groups.totals),
      by_day: days.map((date) => ({ date, ...figures(groups.byDay.get(date) ?? zero) })),
      by_section: groups.bySection.map(({ section, ...sums }) => ({ section, label: sectionLook(section).label, color: sectionLook(section).color, ...figures(sums) })),
      by_model: groups.byModel.map(({ model, ...sums }) => ({ model, ...figures(sums) })),
      quota: quotaOf(subscription),
      budgets: usageBudgets(budgets, showCost),
    };
  }

  /** The daily aggregate rows behind a report (for the CSV download), and the period they cover. */
  async function detailRows(userId: UserId, query: PeriodQuery): Promise<{ period: UsagePeriod; rows: AggregateDetailRow[] }> {
    const { period } = await periodFor(userId, query);
    return { period, rows: await aggregateDetailRows(sequelize, userId, period) };
  }

  /** A page of the user's own requests, newest first. */
  async function requests(userId: UserId, cursor: unknown, limit: number): Promise<UsageRequestsPage> {
    const page = await requestsPage(sequelize, userId, cursor, limit);
    return {
      requests: page.rows.map((row) => ({
        id: row.id,
        created_at: row.created_at,
        section: row.section,
        section_label: sectionLook(row.section).label,
        model: row.model_name,
        success: row.success,
        error: row.error_message,
        prompt_tokens: row.prompt_tokens,
        completion_tokens: row.completion_tokens,
        thoughts_tokens: row.thoughts_tokens,
        cached_tokens: row.cached_tokens,
        total_tokens: row.total_tokens,
        response_time_ms: row.response_time_ms,
        ...(showCost ? { cost_usd: row.cost_usd, cost_status: row.cost_status } : {}),
      })),
      next_cursor: page.nextCursor,
    };
  }

  return { showCost, sections: sectionLook, report, detailRows, requests };
}

export type UsageService = ReturnType<typeof createUsageService>;
