import { parseArgs } from 'node:util';
import { reconcile } from '../core/reconcile/reconcile.js';
import { runCli, withCliDatabase } from './run-cli.js';

const USAGE = 'usage: npm run db:reconcile -- --from YYYY-MM-DD --to YYYY-MM-DD [--apply]';

/**
 * npm run db:reconcile: recomputes the daily aggregates of a range of UTC days, the debits of the
 * subscriptions and the budget counters of the periods overlapping it from the logs (reserved
 * amounts from the live holds), and prints every drifting key. --apply fixes them in
 * one transaction. Exit code 0 when nothing drifted or it was fixed, 2 when a dry run found drift.
 */
runCli(async () => {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, to: { type: 'string' }, apply: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.from || !values.to) throw new Error(`--from and --to are required\n${USAGE}`);
  let unfixedDrift = false;
  await withCliDatabase(() => {}, async (sequelize) => {
    const result = await reconcile(sequelize, { from: values.from!, to: values.to!, apply: values.apply });
    const drift = result.aggregates.length + result.subscriptions.length + result.budgets.length;
    if (drift === 0) console.log(`No drift from ${values.from} to ${values.to}: every aggregate equals the sum of its logs, every debit and budget counter its logs, every budget's reserved its holds.`);
    for (const key of result.aggregates) {
      console.log(`aggregate user=${key.userId ?? '(none)'} date=${key.date} section=${key.section} model=${key.modelName}: ${key.columns.map((c) => `${c.column} ${c.actual ?? '(no row)'} -> ${c.expected ?? '(no logs)'}`).join(', ')}`);
    }
    for (const sub of result.subscriptions) {
      console.log(`subscription ${sub.subscriptionId} (user ${sub.userId}): tokens_used ${sub.tokensUsed.actual} -> ${sub.tokensUsed.expected}, cost_used_usd ${sub.costUsedUsd.actual} -> ${sub.costUsedUsd.expected}`);
    }
    for (const budget of result.budgets) {
      console.log(`budget ${budget.budgetId} "${budget.budgetName}" period from ${budget.periodStart.toISOString()}: ${budget.columns.map((c) => `${c.column} ${c.actual ?? '(no row)'} -> ${c.expected}`).join(', ')}`);
    }
    if (result.skippedSubscriptions.length > 0) console.log(`Left alone (their period covers months retention dropped): subscriptions ${result.skippedSubscriptions.join(', ')}`);
    if (result.skippedBudgets.length > 0) console.log(`Left alone (their period covers months retention dropped): budget periods ${result.skippedBudgets.map((b) => `${b.budgetId} from ${b.periodStart.toISOString()}`).join(', ')}`);
    if (drift > 0) {
      const fixed = `${result.aggregates.length} aggregate key(s), ${result.subscriptions.length} subscription(s) and ${result.budgets.length} budget counter row(s)`;
      console.log(result.applied ? `Fixed ${fixed} in one transaction.` : `Dry run: ${drift} drifting key(s); add --apply to fix them.`);
    }
    unfixedDrift = drift > 0 && !result.applied;
  });
  // After the database is closed: an exit code scripts can test (process.exitCode does not survive tsx here).
  if (unfixedDrift) process.exit(2);
});
