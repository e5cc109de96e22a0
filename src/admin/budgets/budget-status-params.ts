import type { ActionResponse, After, RecordJSON } from 'adminjs';
import { QueryTypes, type Sequelize } from 'sequelize';
import { budgetStatuses, BUDGET_REFUSAL_KIND, type BudgetStatus } from '../../core/budgets/index.js';
import type { UserModel } from '../../core/models/user.js';
import type { BudgetConfig } from '../../core/budgets/index.js';

/** Params the list and show add to each budget record (virtual properties of the resource). */
export const BUDGET_STATUS_PARAMS = ['usage', 'effectiveMode', 'periodStart', 'resetsAt', 'scope', 'refusals'] as const;

/** Refusals recorded per budget, all time (served by the partial index on failed requests). */
async function refusalCounts(sequelize: Sequelize, budgetIds: number[]): Promise<Map<string, number>> {
  const rows = await sequelize.query<{ budget_id: string; n: number }>(
    `SELECT metadata->>'budget_id' AS budget_id, count(*)::int AS n FROM ai_usage_logs
     WHERE success = false AND metadata->>'error_kind' = $1 AND metadata->>'budget_id' = ANY($2::text[])
     GROUP BY 1`,
    { bind: [BUDGET_REFUSAL_KIND, budgetIds.map(String)], type: QueryTypes.SELECT },
  );
  return new Map(rows.map((row) => [row.budget_id, row.n]));
}

async function userEmails(users: UserModel, ids: unknown[]): Promise<Map<string, string>> {
  const distinct = [...new Set(ids.filter((id) => id !== null && id !== undefined && id !== '').map(String))];
  if (!distinct.length) return new Map();
  const rows = await users.findAll({ where: { id: distinct } });
  return new Map(rows.map((row) => [String(row.id), row.email ?? `user ${row.id}`]));
}

/** What a budget counts, in words: "demo@example.com · chat · gemini-2.5-flash", or "every call". */
function scopeText(params: Record<string, unknown>, emails: Map<string, string>): string {
  const parts: string[] = [];
  if (params.userId !== null && params.userId !== undefined && params.userId !== '') parts.push(emails.get(String(params.userId)) ?? `user ${params.userId}`);
  if (params.section) parts.push(`section ${params.section}`);
  if (params.modelName) parts.push(`model ${params.modelName}`);
  return parts.length ? parts.join(' · ') : 'every call (all users)';
}

function statusParams(status: BudgetStatus | undefined): Record<string, unknown> {
  if (!status) return {};
  return {
    effectiveMode: status.mode,
    periodStart: status.periodStart ? status.periodStart.toISOString() : null,
    resetsAt: status.resetsAt ? status.resetsAt.toISOString() : null,
    // The bar's numbers, exact decimal strings; `usage` itself marks that they are there.
    usage: status.periodStart ? 'current' : 'inactive',
    currentLimitUsd: status.limitUsd,
    currentLimitTokens: status.limitTokens,
    usedUsd: status.usedUsd,
    usedTokens: status.usedTokens,
    reservedUsd: status.reservedUsd,
    reservedTokens: status.reservedTokens,
    remainingUsd: status.remainingUsd,
    remainingTokens: status.remainingTokens,
  };
}

/**
 * After-hook of the budgets' list and show: each record gets its current period's used, reserved
 * and remaining amounts (from the budget counters), the effective mode, when it resets, its scope
 * in words and how many calls it refused.
 */
export function withBudgetStatus(sequelize: Sequelize, users: UserModel, quotaMode: BudgetConfig['quotaMode']): After<ActionResponse> {
  return async (response) => {
    const records: RecordJSON[] = response.records ?? (response.record ? [response.record] : []);
    const ids = records.map((r) => Number(r.params.id)).filter(Number.isInteger);
    if (!ids.length) return response;
    const [statuses, refusals, emails] = await Promise.all([
      budgetStatuses(sequelize, { budgetIds: ids, quotaMode }),
      refusalCounts(sequelize, ids),
      userEmails(users, records.map((r) => r.params.userId)),
    ]);
    const byId = new Map(statuses.map((status) => [String(status.budgetId), status]));
    for (const record of records) {
      const id = String(record.params.id);
      Object.assign(record.params, statusParams(byId.get(id)), { scope: scopeText(record.params, emails), refusals: refusals.get(id) ?? 0 });
    }
    return response;
  };
}
