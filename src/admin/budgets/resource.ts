import { ValidationError, type ActionContext, type ParamsType, type ResourceWithOptions } from 'adminjs';
import { DatabaseError } from 'sequelize';
import { AI_USAGE_LOGS_ID } from '../resources/ai-usage-log.js';
import type { AdminContext } from '../resources/context.js';
import { SafeSequelizeResource } from '../safe-resource.js';
import { BUDGET_MODES, BUDGET_PERIODS } from '../../core/models/ai-budget.js';
import { validateBudgetEdit, validateNewBudget } from './budget-payload.js';
import { withBudgetStatus } from './budget-status-params.js';

export const BUDGETS_ID = 'ai_budgets';

const choices = (values: readonly string[]) => values.map((value) => ({ value, label: value }));
/** A subscription's quota budget follows its subscription: edited and deleted there, not here. */
const ownBudget = ({ record }: ActionContext) => !record?.params?.subscriptionId;

/** Budgets whose database refusals (a constraint, a trigger, a user deleted meanwhile) reach the form as messages, never a 500. */
class BudgetsResource extends SafeSequelizeResource {
  private async explained<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof DatabaseError) throw new ValidationError({}, { message: `Budget not saved: ${error.message}` });
      throw error;
    }
  }

  override create(params: ParamsType): Promise<ParamsType> {
    return this.explained(() => super.create(params));
  }

  override update(id: unknown, params: ParamsType): Promise<ParamsType> {
    return this.explained(() => super.update(id, params));
  }
}

/**
 * Budgets (ai_budgets): admins create, edit and delete them, viewers read. List and show carry the
 * current period's used / held / remaining per limit as a bar, the effective mode, when the period
 * resets (panel time zone), and a link to the calls the budget refused.
 */
export function budgetsResource(context: AdminContext): ResourceWithOptions {
  const { core, sequelize, sections, components: C } = context;
  const status = withBudgetStatus(sequelize, core.User, context.config.budgets.quotaMode);
  const payload = { sequelize, sections, users: core.User, userIdKind: core.users.idType };
  const shown = (list: boolean) => ({ list, show: true, edit: false, filter: false });
  const fixed = { components: { edit: C.FixedOnceCreated } };
  return {
    resource: new BudgetsResource(core.AIBudget, { exact: ['section', 'modelName', 'period', 'mode'], timeZone: context.config.panelTimeZone }),
    options: {
      id: BUDGETS_ID,
      navigation: { name: 'AI usage', icon: 'Activity' },
      // Budgets an admin made first (no subscription), then subscriptions' quotas, newest first.
      sort: { sortBy: 'subscriptionId', direction: 'desc' },
      listProperties: ['name', 'scope', 'period', 'effectiveMode', 'usage', 'resetsAt', 'refusals'],
      showProperties: ['name', 'scope', 'period', 'effectiveMode', 'usage', 'periodStart', 'resetsAt', 'refusals', 'userId', 'section', 'modelName', 'limitUsd', 'limitTokens', 'subscriptionId', 'createdAt', 'updatedAt'],
      editProperties: ['name', 'userId', 'section', 'modelName', 'period', 'limitUsd', 'limitTokens', 'mode'],
      filterProperties: ['name', 'userId', 'section', 'modelName', 'period', 'mode'],
      properties: {
        name: { isTitle: true },
        userId: { reference: core.users.resourceId ?? undefined, components: { list: C.UserCell, show: C.UserCell, edit: C.FixedOnceCreated }, custom: { emptyLabel: 'every user' }, description: 'Empty: every user’s calls (and system work) count' },
        section: { ...fixed, availableValues: sections.list().map((s) => ({ value: s.id, label: s.label ?? s.id })), description: 'Empty: every section' },
        modelName: { ...fixed, description: 'Empty: every model. A model with a price or with recorded usage, e.g. gemini-2.5-flash' },
        period: { ...fixed, availableValues: choices(BUDGET_PERIODS), description: 'UTC day, UTC calendar month, or the user’s active subscription period' },
        limitUsd: { type: 'string', description: 'USD per period, e.g. 25 or 0.50; leave empty for a token limit only' },
        limitTokens: { type: 'string', description: 'Tokens per period (thinking included); leave empty for a USD limit only' },
        mode: { availableValues: choices(BUDGET_MODES), description: 'enforce: a call that does not fit is refused before it is sent (429); warn: it goes on and a warning is logged' },
        scope: { type: 'string', isSortable: false, isVisible: shown(true) },
        effectiveMode: { type: 'string', isSortable: false, isVisible: shown(true), components: { list: C.BudgetMode, show: C.BudgetMode } },
        usage: { type: 'string', isSortable: false, isVisible: shown(true), components: { list: C.BudgetUsage, show: C.BudgetUsage } },
        periodStart: { type: 'datetime', isSortable: false, isVisible: shown(false) },
        resetsAt: { type: 'datetime', isSortable: false, isVisible: shown(true) },
        refusals: { type: 'number', isSortable: false, isVisible: shown(true), components: { list: C.BudgetRefusalsLink, show: C.BudgetRefusalsLink }, custom: { logsResourceId: AI_USAGE_LOGS_ID } },
        subscriptionId: { reference: 'subscriptions', isVisible: { list: false, show: true, edit: false, filter: false } },
      },
      translations: {
        en: {
          labels: { [BUDGETS_ID]: 'Budgets' },
          properties: {
            userId: 'User', modelName: 'Model', limitUsd: 'Limit (USD)', limitTokens: 'Limit (tokens)', mode: 'Mode', effectiveMode: 'Mode',
            usage: 'Used / held / left this period', periodStart: 'Period started', resetsAt: 'Resets at', refusals: 'Refusals', subscriptionId: 'Quota of subscription',
          },
        },
      },
      actions: {
        list: { after: status },
        show: { after: status },
        new: { before: validateNewBudget(payload) },
        edit: { before: validateBudgetEdit(ownBudget), isAccessible: ownBudget, isVisible: ownBudget },
        delete: { isAccessible: ownBudget, isVisible: ownBudget },
        // One at a time: a bulk delete would also take subscriptions' quotas.
        bulkDelete: { isAccessible: false, isVisible: false },
      },
    },
  };
}
