import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { applyRetention } from '../core/partitions/retention.js';
import { runCli, withCliDatabase } from './run-cli.js';

const USAGE = 'usage: npm run db:retention -- --keep-months N [--archive DIR] [--apply]';

/**
 * npm run db:retention: drops the monthly log partitions older than the kept months (the current
 * one included), after archiving each as gzipped NDJSON with --archive. A dry run unless --apply.
 */
runCli(async () => {
  const { values } = parseArgs({
    options: {
      'keep-months': { type: 'string' },
      archive: { type: 'string' },
      apply: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values['keep-months'] === undefined) throw new Error(`--keep-months is required\n${USAGE}`);
  const keepMonths = Number(values['keep-months']);
  await withCliDatabase(() => {}, async (sequelize) => {
    const result = await applyRetention(sequelize, { keepMonths, archiveDir: values.archive, apply: values.apply, actor: `cli:${userInfo().username}` });
    console.log(`Keeping the logs from ${result.keepFrom} on; daily aggregates are kept for every month.`);
    if (result.partitions.length === 0) {
      console.log('No partition is older than that: nothing to drop.');
      return;
    }
    console.log(result.applied ? 'Dropped:' : `Dry run (nothing written; add --apply to drop${values.archive ? '' : ', --archive DIR to keep a copy'}):`);
    console.table(result.partitions.map((p) => ({ partition: p.partition, month: p.month, rows: p.rows, ...(result.applied ? { dropped: p.dropped, archive: p.archiveFile ?? '' } : {}) })));
  });
});
