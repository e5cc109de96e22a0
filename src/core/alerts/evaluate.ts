import type { Sequelize } from 'sequelize';
import { recordCrossing, recordRecovery, type FiredAlert, type Measurement } from './crossing-state.js';
import { measureMetric, sevenDayBaseline } from './metrics.js';
import { enabledAlertRules, type StoredAlertRule } from './rule-store.js';
import { resolveWindow } from './window.js';

export interface EvaluationResult {
  fired: FiredAlert[];
  /** Rules whose value came back to or below the threshold in this evaluation. */
  recovered: number[];
  /** Rules that could not be evaluated, with the reason; the others still were. */
  failed: { ruleId: number; error: Error }[];
}

/** Above the threshold, and for a spike rule also above factor times its 7-day baseline. */
function isAbove(rule: StoredAlertRule, measurement: Measurement): boolean {
  if (measurement.value <= rule.threshold) return false;
  return !rule.spike || measurement.value > rule.spike.factor * (measurement.baseline ?? 0);
}

async function measure(sequelize: Sequelize, rule: StoredAlertRule, from: Date, to: Date): Promise<Measurement> {
  const value = await measureMetric(sequelize, rule.metric, rule.scope, from, to);
  // The baseline only matters once the threshold is passed: skip its 7-day query otherwise.
  const baseline = rule.spike && value > rule.threshold ? await sevenDayBaseline(sequelize, rule.metric, rule.scope, from, to) : null;
  return { value, baseline };
}

/** Evaluates one rule at `at`: fires on a crossing from at-or-below to above, recovers on the way back. */
export async function evaluateAlertRule(sequelize: Sequelize, rule: StoredAlertRule, at: Date): Promise<{ fired: FiredAlert | null; recovered: boolean }> {
  const window = await resolveWindow(sequelize, rule, at);
  const measurement = await measure(sequelize, rule, window.from, window.to);
  if (isAbove(rule, measurement)) return { fired: await recordCrossing(sequelize, rule, window, measurement), recovered: false };
  return { fired: null, recovered: await recordRecovery(sequelize, rule, window, measurement.value) };
}

/**
 * Evaluates every enabled rule at `at` (default now). Safe to run from several app instances at
 * once: each crossing produces exactly one alert whoever evaluates it.
 */
export async function evaluateAlertRules(sequelize: Sequelize, at: Date = new Date()): Promise<EvaluationResult> {
  const result: EvaluationResult = { fired: [], recovered: [], failed: [] };
  for (const rule of await enabledAlertRules(sequelize)) {
    try {
      const outcome = await evaluateAlertRule(sequelize, rule, at);
      if (outcome.fired) result.fired.push(outcome.fired);
      if (outcome.recovered) result.recovered.push(rule.id);
    } catch (error) {
      result.failed.push({ ruleId: rule.id, error: error as Error });
    }
  }
  return result;
}
