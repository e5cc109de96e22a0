import { ValidationError, type ActionContext, type ActionRequest, type Before } from 'adminjs';
import { QueryTypes, type Sequelize } from 'sequelize';
import { normalizeModelName } from '../../core/pricing.js';
import type { SectionRegistry } from '../../core/sections.js';
import type { UserModel } from '../../core/models/user.js';
import { usedModels } from '../ai-usage-log/actions.js';
import { isIdOf } from '../ids.js';
import { BUDGET_MODES, BUDGET_PERIODS } from '../../core/models/ai-budget.js';

/** Fields fixed once a budget exists: its counters sum exactly the calls of this scope and period. */
export const BUDGET_SCOPE_FIELDS = ['userId', 'section', 'modelName', 'period'] as const;
/** Fields an admin may change on an existing budget. */
export const BUDGET_EDITABLE_FIELDS = ['name', 'limitUsd', 'limitTokens', 'mode'] as const;

const USD = /^\d{1,12}(\.\d{1,12})?$/;
const TOKENS = /^\d{1,18}$/;
const MAX_NAME = 200;

export interface BudgetPayloadContext {
  sequelize: Sequelize;
  sections: SectionRegistry;
  users: UserModel;
  /** Kind of the users' id column: how a typed user id must look. */
  userIdKind: 'uuid' | 'integer' | 'text';
}

type Field = (typeof BUDGET_SCOPE_FIELDS)[number] | (typeof BUDGET_EDITABLE_FIELDS)[number];
/** The form's fields, trimmed, blank as null (a field not asked for is null too). */
type Fields = Record<Field, string | null>;

const text = (value: unknown): string | null => (value === undefined || value === null || String(value).trim() === '' ? null : String(value).trim());

/** A form error shown on `field`, and as the notice. */
const invalid = (field: string, message: string) => new ValidationError({ [field]: { message } }, { message: `Budget not saved: ${message}` });

function checkLimits(fields: Fields): void {
  if (fields.limitUsd !== null && !USD.test(fields.limitUsd)) throw invalid('limitUsd', `limit in USD must be an amount of 0 or more like 25 or 0.50 (at most 12 decimals), not "${fields.limitUsd}"`);
  if (fields.limitTokens !== null && !TOKENS.test(fields.limitTokens)) throw invalid('limitTokens', `token limit must be a whole number of 0 or more, not "${fields.limitTokens}"`);
  if (fields.limitUsd === null && fields.limitTokens === null) throw invalid('limitUsd', 'set a limit in USD, a token limit, or both');
}

function checkNameAndMode(fields: Fields): void {
  if (fields.name === null) throw invalid('name', 'give the budget a name (shown in the panel, in refusals and on the usage page)');
  if (fields.name.length > MAX_NAME) throw invalid('name', `the name is longer than ${MAX_NAME} characters`);
  if (!(BUDGET_MODES as readonly string[]).includes(fields.mode ?? '')) throw invalid('mode', `mode must be ${BUDGET_MODES.join(' or ')}`);
}

/** Model names a budget may name: priced in the catalogue, or already used. */
async function knownModels(sequelize: Sequelize): Promise<Set<string>> {
  const priced = await sequelize.query<{ model: string }>('SELECT DISTINCT model FROM ai_model_prices', { type: QueryTypes.SELECT });
  return new Set([...priced.map((row) => row.model), ...(await usedModels(sequelize))]);
}

async function checkScope(fields: Fields, context: BudgetPayloadContext): Promise<void> {
  if (!(BUDGET_PERIODS as readonly string[]).includes(fields.period ?? '')) throw invalid('period', `period must be one of ${BUDGET_PERIODS.join(', ')}`);
  if (fields.userId !== null) {
    const exists = isIdOf(context.userIdKind, fields.userId) && (await context.users.findByPk(fields.userId)) !== null;
    if (!exists) throw invalid('userId', `unknown user "${fields.userId}": pick one, or leave it empty for every user`);
  }
  if (fields.period === 'subscription' && fields.userId === null) throw invalid('userId', 'a budget over the subscription period needs a user: their active subscription sets the period');
  if (fields.section !== null && !context.sections.has(fields.section)) {
    throw invalid('section', `unknown section "${fields.section}": known are ${context.sections.list().map((s) => s.id).join(', ')}`);
  }
  if (fields.modelName !== null) {
    fields.modelName = normalizeModelName(fields.modelName);
    if (!(await knownModels(context.sequelize)).has(fields.modelName)) {
      throw invalid('modelName', `unknown model "${fields.modelName}": it has no price and no recorded usage (add its price first, or check the spelling)`);
    }
  }
}

const ALL_FIELDS: readonly Field[] = [...BUDGET_EDITABLE_FIELDS, ...BUDGET_SCOPE_FIELDS];
const pick = (payload: Record<string, unknown>): Fields => Object.fromEntries(ALL_FIELDS.map((key) => [key, text(payload[key])])) as Fields;
const only = (fields: Fields, keys: readonly Field[]) => Object.fromEntries(keys.map((key) => [key, fields[key]]));

/**
 * Before-hook of `new`: the form's fields checked with a message on the field at fault (limits,
 * scope, period, mode), the payload reduced to them, blanks as null.
 */
export function validateNewBudget(context: BudgetPayloadContext): Before {
  return async (request: ActionRequest) => {
    if (request.method !== 'post') return request;
    const fields = pick(request.payload ?? {});
    checkNameAndMode(fields);
    checkLimits(fields);
    await checkScope(fields, context);
    return { ...request, payload: only(fields, ALL_FIELDS) };
  };
}

/**
 * Before-hook of `edit`: name, limits and mode only. A payload that changes the scope or period is
 * refused with a message (a different scope is a new budget).
 */
export function validateBudgetEdit(editable: (context: ActionContext) => boolean): Before {
  return async (request: ActionRequest, context: ActionContext) => {
    // AdminJS runs before-hooks ahead of its access check: a budget that may not be edited is refused there, not judged here.
    if (request.method !== 'post' || !editable(context)) return request;
    const payload = request.payload ?? {};
    const current = context.record?.params ?? {};
    for (const key of BUDGET_SCOPE_FIELDS) {
      if (key in payload && text(payload[key]) !== text(current[key])) throw invalid(key, 'the scope and period of a budget are fixed once created: create a new budget instead');
    }
    // A field the form did not send keeps its value.
    const fields = pick({ ...current, ...payload });
    checkNameAndMode(fields);
    checkLimits(fields);
    return { ...request, payload: only(fields, BUDGET_EDITABLE_FIELDS) };
  };
}
