import { createApp } from '../app.js';
import { BUILTIN_PLUGINS } from '../runtime/builtin-plugins.js';
import { resolveDatabase } from '../runtime/database-url.js';
import { runCli } from './run-cli.js';
import { needsDemoSeed, seedDemo } from '../../seeders/demo.js';

/** npm run db:seed: the demo data of `npm start`'s first run, on an empty database only. */
runCli(async () => {
  const database = await resolveDatabase((message) => console.log(message));
  const app = await createApp({ databaseUrl: database.url, plugins: BUILTIN_PLUGINS });
  try {
    if (!(await needsDemoSeed(app))) {
      console.log('The database already has users: the demo seed runs only on an empty database.');
      return;
    }
    const demo = await seedDemo(app);
    console.log(`Seeded ${demo.logRows} usage rows, ${demo.budgets.budgets} budgets (${demo.budgets.refusals} calls of an over-quota customer refused). Login ${demo.adminEmail} / ${demo.adminPassword}; usage page /usage: ${demo.demoEmail} / ${demo.demoPassword}; API token of demo@example.com: ${demo.demoApiToken}`);
  } finally {
    await app.close();
    await database.stop?.();
  }
});
