import { performance } from 'node:perf_hooks';
import type { Sequelize } from 'sequelize';
import { BudgetExceededError, BudgetUnavailableError, type BudgetRefusal } from '../errors.js';
import { GroupCommit, type GroupCommitOptions } from '../group-commit.js';
import { withPgClient, type PgClient } from '../pg-client.js';
import { transientFailureReason } from '../spool/classify.js';
import { withinTimeout } from '../spool/record-or-spool.js';
import type { UserId } from '../users/user-id.js';
import { OWN_USERS, type UserReference } from '../users/user-reference.cjs';
import { DEFAULT_BUDGET_CONFIG, type BudgetConfig } from './config.js';
import { enforcedScopes } from './enforced-scopes.js';
import { callsParameter, ensureSql, RELEASE_SQL, reserveSql } from './reserve-sql.js';
import type { WorstCase } from './worst-case.js';

/** A call about to be sent, as its budgets see it. */
export interface BudgetCall {
  /** The ledger event id the call will be recorded under: the hold's key, released by that row's settle. */
  eventId: string;
  userId: UserId | null;
  section: string;
  /** Normalized, as the ledger stores it. */
  modelName: string;
  /** The event's created_at: the period the call is reserved (and later settled) in. */
  at: Date;
  hold: WorstCase;
}

export interface Reservation {
  /** Budgets holding the call's worst case until its ledger row settles them. */
  held: number;
  /** Warn-mode budgets the call did not fit: the call goes on, they are logged as [BUDGET_WARNING]. */
  overWarnings: BudgetRefusal[];
  /** Set when the call goes on without a reservation (AI_USAGE_BUDGET_FAIL_MODE=open, or no enforced budget covers it while PostgreSQL is unreachable). */
  unreserved?: string;
  /** Time the reserve took. */
  ms: number;
}

export interface BudgetGate {
  /** Reserves the call's worst case on every budget that applies; throws BudgetExceededError or BudgetUnavailableError when the call must not be sent. */
  reserve(call: BudgetCall): Promise<Reservation>;
  /** Releases the holds of a call whose ledger row will never be written (its settle would have). */
  release(eventId: string): Promise<void>;
}

export interface BudgetLogger {
  warn(message: string, details: Record<string, unknown>): void;
}

export interface BudgetGateOptions {
  sequelize: Sequelize;
  users?: UserReference;
  config?: BudgetConfig;
  /** True while the database is known to be down (the spool's outage): the fail mode applies at once. */
  outage?: () => boolean;
  logger?: BudgetLogger;
  /**
   * How concurrent reserves (and releases) are grouped into statements: by default one at a time,
   * 64 calls each. The calls of a process mostly share budgets, whose counter rows a second statement
   * would only wait for.
   */
  batching?: GroupCommitOptions;
}

/** One row of the reserve statement (reserve-sql.ts): a call and one budget that applies to it. */
interface ReserveRow {
  ord: number;
  targets: number;
  found: number;
  outcome: 'held' | 'refused' | 'retry' | null;
  held: number;
  budget_id: number | null;
  name: string;
  mode: 'enforce' | 'warn';
  fits: boolean;
  limit_usd: string | null;
  limit_tokens: string | null;
  used_usd: string;
  used_tokens: string;
  reserved_usd: string;
  reserved_tokens: string;
  period_start: Date;
  period_end: Date;
}

const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 4;

function refusalOf(row: ReserveRow, hold: WorstCase): BudgetRefusal {
  return {
    budgetId: row.budget_id!,
    budgetName: row.name,
    reason: hold.usd === null && row.limit_usd !== null ? 'unpriced' : 'limit',
    limitUsd: row.limit_usd,
    limitTokens: row.limit_tokens,
    usedUsd: row.used_usd,
    usedTokens: row.used_tokens,
    reservedUsd: row.reserved_usd,
    reservedTokens: row.reserved_tokens,
    holdUsd: hold.usd,
    holdTokens: String(hold.tokens),
    periodStart: new Date(row.period_start),
    resetsAt: new Date(row.period_end),
  };
}

const pgCode = (error: unknown): string | undefined => {
  const e = error as { code?: string; parent?: { code?: string } };
  return e?.code ?? e?.parent?.code;
};

/** Reserve-before-call over ai_budget_usage (see reserve-sql.ts and README, Budgets). */
export function createBudgetGate(options: BudgetGateOptions): BudgetGate {
  const { sequelize } = options;
  const config = options.config ?? DEFAULT_BUDGET_CONFIG;
  const users = options.users ?? OWN_USERS;
  const logger = options.logger ?? { warn: (message, details) => console.warn(message, details) };
  const reserveStatement = { name: `ai_budget_reserve_${users.idType}`, text: reserveSql(users) };
  const ensureStatement = { name: `ai_budget_ensure_${users.idType}`, text: ensureSql(users) };
  const scopes = enforcedScopes(sequelize, config.quotaMode);

  /**
   * The reserve statement (reserve-sql.ts) for a batch of calls, prepared: it locks and reserves in
   * one execution, so the locks are held for that time on the server only. When a counter row is
   * missing (a budget's first call of a period) it is created and the reserve runs again.
   * Returns each call's rows, in the calls' order.
   */
  async function attempt(client: PgClient, calls: BudgetCall[]): Promise<ReserveRow[][]> {
    const json = callsParameter(calls);
    for (let round = 0; ; round++) {
      const { rows } = await client.query<ReserveRow>({ ...reserveStatement, values: [json, config.quotaMode, config.holdTtlSeconds] });
      if (rows[0]!.found === rows[0]!.targets || round === 2) {
        const byCall = calls.map((): ReserveRow[] => []);
        for (const row of rows) byCall[row.ord - 1]!.push(row);
        return byCall;
      }
      await client.query({ ...ensureStatement, values: [json, config.quotaMode] });
    }
  }

  /**
   * Every call held or refused, in arrival order: the calls the statement left to retry (they would
   * fit after a refused one) go again, together, until none is left. Each round decides at least its
   * first call, which has only held calls ahead of it.
   */
  async function decideInOrder(client: PgClient, calls: BudgetCall[]): Promise<ReserveRow[][]> {
    const decided: ReserveRow[][] = [];
    let pending = calls.map((call, index) => ({ call, index }));
    while (pending.length > 0) {
      const rows = await attempt(client, pending.map((p) => p.call));
      // Missing counter rows: nothing was decided, and reserve() reports it for every call.
      const incomplete = rows[0]![0]!.found !== rows[0]![0]!.targets;
      const retry: typeof pending = [];
      pending.forEach((p, i) => (!incomplete && rows[i]![0]!.outcome === 'retry' ? retry.push(p) : (decided[p.index] = rows[i]!)));
      pending = retry;
    }
    return decided;
  }

  async function run(calls: BudgetCall[]): Promise<ReserveRow[][]> {
    for (let tries = 1; ; tries++) {
      try {
        return await withinTimeout(
          withPgClient(sequelize, (client) => decideInOrder(client, calls)),
          config.timeoutMs,
        );
      } catch (error) {
        if (tries < MAX_ATTEMPTS && RETRYABLE.has(pgCode(error) ?? '')) continue;
        throw error;
      }
    }
  }

  // Concurrent reserves share statements, and so do releases; a batch that failed because PostgreSQL
  // is unreachable fails all its calls at once instead of trying each again.
  const batching = { maxConcurrent: options.batching?.maxConcurrent ?? 1, maxBatch: options.batching?.maxBatch };
  const notUnreachable = (error: unknown) => !transientFailureReason(error);
  const reserves = new GroupCommit(run, batching, notUnreachable);
  const releases = new GroupCommit(
    async (eventIds: string[]) => {
      await withPgClient(sequelize, (client) => client.query({ name: 'ai_budget_release', text: RELEASE_SQL, values: [eventIds] }));
      return eventIds.map(() => undefined);
    },
    batching,
    notUnreachable,
  );

  function unavailable(call: BudgetCall, cause: unknown, t0: number): Reservation {
    if (!scopes.mayCover(call.userId, call.section, call.modelName)) {
      return { held: 0, overWarnings: [], unreserved: 'no enforced budget covers the call and PostgreSQL is unreachable', ms: performance.now() - t0 };
    }
    if (config.failMode === 'closed') throw new BudgetUnavailableError(cause);
    const reason = `budgets not checked (AI_USAGE_BUDGET_FAIL_MODE=open): ${cause instanceof Error ? cause.message : String(cause)}`;
    logger.warn(`[BUDGET_WARNING] ${reason}`, { call });
    return { held: 0, overWarnings: [], unreserved: reason, ms: performance.now() - t0 };
  }

  return {
    async reserve(call) {
      const t0 = performance.now();
      if (options.outage?.()) return unavailable(call, new Error('the database is down'), t0);
      let rows: ReserveRow[];
      try {
        rows = await reserves.submit(call.eventId, call);
      } catch (error) {
        if (transientFailureReason(error)) return unavailable(call, error, t0);
        throw error;
      }
      scopes.freshen();
      const ms = performance.now() - t0;
      const verdict = rows[0]!;
      const budgets = rows.filter((row) => row.budget_id !== null);
      if (verdict.found !== verdict.targets) throw new Error(`budget reserve: ${verdict.targets - verdict.found} counter row(s) could not be created`);
      if (verdict.outcome === 'refused') {
        const refusing = budgets.find((row) => row.mode === 'enforce' && !row.fits)!;
        throw new BudgetExceededError(refusalOf(refusing, call.hold));
      }
      if (verdict.held !== budgets.length) {
        // Cannot happen under the row locks; if it does, the call is not sent and what was held is given back.
        await this.release(call.eventId);
        throw new Error(`budget reserve held ${verdict.held} of ${budgets.length} budgets; released`);
      }
      const overWarnings = budgets.filter((row) => row.mode === 'warn' && !row.fits).map((row) => refusalOf(row, call.hold));
      for (const warning of overWarnings) logger.warn(`[BUDGET_WARNING] budget "${warning.budgetName}" (warn mode) is over its limit; the call goes on`, { warning, call });
      return { held: budgets.length, overWarnings, ms };
    },
    release(eventId) {
      return releases.submit(eventId, eventId);
    },
  };
}
