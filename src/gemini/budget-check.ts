import type { BudgetGate } from '../core/budgets/budget-gate.js';
import { refusalMetadata } from '../core/budgets/refusal.js';
import { worstCase, type CallBounds, type WorstCase } from '../core/budgets/worst-case.js';
import { BudgetExceededError, BudgetUnavailableError } from '../core/errors.js';
import { normalizeModelName } from '../core/pricing.js';
import type { PriceSnapshot } from '../core/prices/snapshot.js';
import type { Tracker } from '../core/tracker.js';
import { callBounds } from './call-bounds.js';
import type { Attempt, CallInfo } from './instrumentation.js';
import { NO_TOKENS, type Observation } from './observations.js';
import type { TrackingContext } from './types.js';
import { serviceTierOf } from './usage.js';

type Record = (context: TrackingContext, call: CallInfo, attempt: Attempt, outcome: Observation) => Promise<void>;

/** The instrumentation's side of the budgets: reserve before each attempt, record and throw a refusal. */
export interface BudgetCheck {
  /** The call's bounds, computed once however many attempts it takes. */
  boundsOnce(call: CallInfo): () => Promise<CallBounds>;
  /** Reserves the attempt's worst case (noted in attempt.budget); records the refusal and throws it when the call must not be sent. */
  reserve(context: TrackingContext, call: CallInfo, attempt: Omit<Attempt, 'elapsedMs'>, bounds: () => Promise<CallBounds>): Promise<void>;
  release(eventId: string): Promise<void>;
}

export const isRefusal = (error: unknown): error is BudgetExceededError | BudgetUnavailableError =>
  error instanceof BudgetExceededError || error instanceof BudgetUnavailableError;

/** The dearer of the requested tier's and the standard price: a request may be served at standard. */
function holdOf(bounds: CallBounds, prices: PriceSnapshot | undefined, model: string, tier: string | undefined, at: Date): WorstCase {
  const standard = worstCase(bounds, prices?.priceAt(model, 'standard', at));
  if (!tier || tier === 'standard') return standard;
  const asked = worstCase(bounds, prices?.priceAt(model, tier as 'flex', at));
  if (asked.usd === null || (standard.usd !== null && Number(standard.usd) > Number(asked.usd))) return standard.usd === null ? asked : standard;
  return asked;
}

export function createBudgetCheck(gate: BudgetGate | undefined, tracker: Tracker, record: Record): BudgetCheck {
  return {
    boundsOnce(call) {
      let bounds: Promise<CallBounds> | undefined;
      return () => (bounds ??= Promise.resolve(call.shape()).then((shape) => callBounds(normalizeModelName(call.model), shape)));
    },

    async reserve(context, call, attempt, bounds) {
      if (!gate) return;
      const modelName = normalizeModelName(call.model);
      // Prices unreadable (the database is down): the hold has no USD amount; the gate's fail mode decides.
      const prices = await tracker.prices.snapshot().catch(() => undefined);
      const hold = holdOf(await bounds(), prices, modelName, serviceTierOf(call.serviceTier, undefined), attempt.startedAt);
      const base = { budget_hold_usd: hold.usd, budget_hold_tokens: hold.tokens };
      const t0 = performance.now();
      try {
        const reservation = await gate.reserve({ eventId: attempt.eventId, userId: context.userId ?? null, section: context.section, modelName, at: attempt.startedAt, hold });
        attempt.budget = {
          ...base,
          budget_reserve_ms: Math.round(reservation.ms * 1000) / 1000,
          budgets_held: reservation.held,
          ...(reservation.overWarnings.length ? { budgets_over: reservation.overWarnings.map((w) => w.budgetId) } : {}),
          ...(reservation.unreserved ? { budget_unreserved: reservation.unreserved } : {}),
        };
      } catch (error) {
        if (!isRefusal(error)) throw error;
        const kind = error instanceof BudgetExceededError ? 'budget_exceeded' : 'budget_unavailable';
        const refused: Attempt = { ...attempt, elapsedMs: 0, budget: base };
        const metadata = { ...refusalMetadata(error), budget_reserve_ms: Math.round((performance.now() - t0) * 1000) / 1000 };
        await record(context, call, refused, { tokens: NO_TOKENS, usageSource: 'none', failure: { message: `${kind}: ${error.message}`, kind }, metadata, billed: false });
        throw error;
      }
    },

    release: (eventId) => (gate ? gate.release(eventId) : Promise.resolve()),
  };
}
