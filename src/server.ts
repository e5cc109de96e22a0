import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { BUILTIN_PLUGINS } from './runtime/builtin-plugins.js';
import { resolveDatabase } from './runtime/database-url.js';
import { takeOverShutdownSignals } from './runtime/embedded-postgres.js';
import { USAGE_PAGE_PATH } from './usage/index.js';
import { needsDemoSeed, seedDemo } from '../seeders/demo.js';

const log = (message: string) => console.log(`[ai-usage] ${message}`);

// A stray rejection is a bug to fix, not a reason to stop serving every other request.
process.on('unhandledRejection', (reason) => console.error('[UNHANDLED_REJECTION]', reason));

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await resolveDatabase(log);
  const app = await createApp({ databaseUrl: database.url, plugins: BUILTIN_PLUGINS, config });
  log('Database migrated.');
  if (app.geminiEndpoint.simulator) {
    log(`GEMINI_API_KEY is unset: Gemini is SIMULATED by the built-in simulator at ${app.geminiEndpoint.simulator.url} (no real model is called).`);
  } else {
    log(`Gemini: ${config.geminiBaseUrl ?? 'Google Gemini API'} with GEMINI_API_KEY.`);
  }

  if (process.env.DEMO_SEED !== 'false' && (await needsDemoSeed(app))) {
    log('First start: seeding demo data (users, subscriptions, 5,200 usage rows) ...');
    const demo = await seedDemo(app);
    log(`Demo data ready: ${demo.logRows} usage rows, ${demo.budgets.budgets} budgets, ${demo.budgets.refusals} refused calls of an over-quota customer.`);
    log(`API token of ${'demo@example.com'} (shown once): ${demo.demoApiToken}`);
    // A password chosen in the environment is never printed: only the built-in demo default is.
    log(`Viewer login (read-only): ${demo.viewerEmail} / ${process.env.VIEWER_PASSWORD ? '(the password in VIEWER_PASSWORD)' : demo.viewerPassword}`);
  }

  await app.listen();
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/admin`;
  log(`Admin panel: ${url}`);
  log(`Login: admin@example.com / ${process.env.ADMIN_PASSWORD ? '(the password in ADMIN_PASSWORD)' : 'admin-demo-password'} (demo data only; change it)`);
  log(`Usage page for customers: ${url.replace(/\/admin$/, USAGE_PAGE_PATH)}, login demo@example.com / ${process.env.DEMO_USER_PASSWORD ? '(the password in DEMO_USER_PASSWORD)' : 'demo-user-password'}`);

  // Stop accepting, replay what the spool holds while the database is up, leave the rest spooled
  // for the next start, and only then stop the embedded database.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down (no new requests; flushing the event spool) ...`);
    const force = setTimeout(() => {
      log('shutdown took over 30 s; exiting now (spooled events stay on disk).');
      process.exit(1);
    }, 30_000);
    force.unref();
    let code = 0;
    try {
      await app.close({ flushMs: 10_000 });
      await database.stop?.();
    } catch (error) {
      code = 1;
      console.error(`[ai-usage] shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      log('Stopped.');
      process.exit(code);
    }
  };
  takeOverShutdownSignals();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));
}

main().catch((error) => {
  console.error(`[ai-usage] startup failed: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.DEBUG) console.error(error);
  process.exit(1);
});
