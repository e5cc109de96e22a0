/** How budgets behave; AppConfig.budgets, from the environment (README, Budgets). */
export interface BudgetConfig {
  /** AI_USAGE_BUDGET_FAIL_MODE: `closed` (default) refuses a call its enforced budgets cannot be checked for (PostgreSQL unreachable); `open` lets it through unreserved. */
  failMode: 'closed' | 'open';
  /** AI_USAGE_QUOTA_MODE: what a subscription's token quota does when the subscription sets no quota_mode: `enforce` (default), `warn` or `off`. */
  quotaMode: 'enforce' | 'warn' | 'off';
  /** AI_USAGE_BUDGET_HOLD_TTL_SECONDS (default 900): a hold older than this is released by the sweeper; longer than any call should take. */
  holdTtlSeconds: number;
  /** AI_USAGE_BUDGET_TIMEOUT_MS (default 5000, like the spool's write timeout): how long a reserve waits for PostgreSQL (a pool connection included) before the fail mode applies. */
  timeoutMs: number;
}

export const DEFAULT_BUDGET_CONFIG: BudgetConfig = { failMode: 'closed', quotaMode: 'enforce', holdTtlSeconds: 900, timeoutMs: 5000 };

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new TypeError(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${name} must be a positive number, got "${raw}"`);
  return value;
}

export function loadBudgetConfig(env: NodeJS.ProcessEnv = process.env): BudgetConfig {
  return {
    failMode: oneOf(env, 'AI_USAGE_BUDGET_FAIL_MODE', ['closed', 'open'], DEFAULT_BUDGET_CONFIG.failMode),
    quotaMode: oneOf(env, 'AI_USAGE_QUOTA_MODE', ['enforce', 'warn', 'off'], DEFAULT_BUDGET_CONFIG.quotaMode),
    holdTtlSeconds: positive(env, 'AI_USAGE_BUDGET_HOLD_TTL_SECONDS', DEFAULT_BUDGET_CONFIG.holdTtlSeconds),
    timeoutMs: positive(env, 'AI_USAGE_BUDGET_TIMEOUT_MS', DEFAULT_BUDGET_CONFIG.timeoutMs),
  };
}
