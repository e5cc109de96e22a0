import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { reprice } from '../core/prices/reprice.js';
import { runCli, withCliDatabase } from './run-cli.js';

const USAGE = 'usage: npm run prices:reprice -- [--model M] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--reprice-priced] [--apply]';

/**
 * npm run prices:reprice: prices the unpriced rows with the prices now in ai_model_prices (and, with
 * --reprice-priced, recomputes priced rows after a price correction). A dry run unless --apply.
 */
runCli(async () => {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      apply: { type: 'boolean', default: false },
      'reprice-priced': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  await withCliDatabase(() => {}, async (sequelize) => {
    const summary = await reprice(sequelize, {
      model: values.model, from: values.from, to: values.to, apply: values.apply, repricePriced: values['reprice-priced'], actor: `cli:${userInfo().username}`,
    });
    console.log(summary.applied ? `Applied: ${summary.appliedRows} rows updated.` : 'Dry run (nothing written; add --apply to write):');
    if (summary.models.length === 0) console.log('No rows match.');
    else console.table(summary.models.map((m) => ({ model: m.model, rows: m.rows, changed: m.changed, still_unpriced: m.stillUnpriced, delta_usd: m.deltaUsd })));
  });
});
