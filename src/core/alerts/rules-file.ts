import { readFile } from 'node:fs/promises';
import type { Sequelize } from 'sequelize';
import { AlertRuleError, validateAlertRule, type AlertRule } from './rule.js';
import { upsertAlertRule } from './rule-store.js';

/** The rules file (AI_USAGE_ALERT_RULES_FILE) could not be read or holds an invalid rule. */
export class AlertRulesFileError extends Error {
  override name = 'AlertRulesFileError';
}

/** Reads and validates every rule of the file: a JSON array of rules, names unique. */
export async function readAlertRulesFile(path: string, options: { knownSections?: ReadonlySet<string> } = {}): Promise<AlertRule[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new AlertRulesFileError(`AI_USAGE_ALERT_RULES_FILE ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (!Array.isArray(parsed)) throw new AlertRulesFileError(`AI_USAGE_ALERT_RULES_FILE ${path}: expected a JSON array of rules`);
  const names = new Set<string>();
  return parsed.map((input, index) => {
    let rule: AlertRule;
    try {
      rule = validateAlertRule(input, options);
    } catch (error) {
      if (error instanceof AlertRuleError) throw new AlertRulesFileError(`AI_USAGE_ALERT_RULES_FILE ${path}, rule #${index + 1}: ${error.message}`, { cause: error });
      throw error;
    }
    if (names.has(rule.name)) throw new AlertRulesFileError(`AI_USAGE_ALERT_RULES_FILE ${path}: two rules are named "${rule.name}"; names must be unique`);
    names.add(rule.name);
    return rule;
  });
}

/**
 * Upserts the file's rules by name, all or none (a bad rule anywhere changes nothing). Rules made
 * in the panel with another name are left alone; a file rule's panel edits are replaced at start.
 */
export async function loadAlertRulesFile(sequelize: Sequelize, path: string, options: { knownSections?: ReadonlySet<string> } = {}): Promise<number> {
  const rules = await readAlertRulesFile(path, options);
  await sequelize.transaction(async (transaction) => {
    for (const rule of rules) await upsertAlertRule(sequelize, rule, 'file', transaction);
  });
  return rules.length;
}
