import { createMigrator } from '../core/migrator.js';
import { BUILTIN_MIGRATION_DIRS } from '../runtime/builtin-plugins.js';
import { runCli, withCliDatabase } from './run-cli.js';

/**
 * npm run db:migrate                 apply pending migrations (core, then the built-in plugins')
 * npm run db:migrate:undo            undo the last one
 * npm run db:migrate:undo:all        undo all of them
 * npm run db:migrate -- status       list applied and pending
 */
runCli(async () => {
  const [command = 'up', flag] = process.argv.slice(2);
  await withCliDatabase(console.log, async (sequelize) => {
    const migrator = createMigrator(sequelize, BUILTIN_MIGRATION_DIRS);
    if (command === 'up') {
      const done = await migrator.up();
      console.log(done.length ? `Applied: ${done.map((m) => m.name).join(', ')}` : 'Nothing to apply: the schema is up to date.');
    } else if (command === 'down') {
      const done = await migrator.down(flag === '--all' ? { to: 0 } : undefined);
      console.log(done.length ? `Undone: ${done.map((m) => m.name).join(', ')}` : 'Nothing to undo.');
    } else if (command === 'status') {
      for (const m of await migrator.executed()) console.log(`applied  ${m.name}`);
      for (const m of await migrator.pending()) console.log(`pending  ${m.name}`);
    } else {
      throw new Error(`unknown command "${command}": use up, down [--all] or status`);
    }
  });
});
