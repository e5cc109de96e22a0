import { createMigrator } from '../../src/core/migrator.js';
import { createSequelize, withDatabase } from '../../src/core/database.js';
import { BUILTIN_MIGRATION_DIRS } from '../../src/runtime/builtin-plugins.js';
import { startEmbeddedPostgres } from '../../src/runtime/embedded-postgres.js';
import { SERVER_URL_ENV, TEMPLATE_ENV, TEST_DB_PREFIX, TEST_EMBEDDED_DIR, freePort, withAdminClient } from './test-server.js';

/**
 * Migrates once into a template database; each test file then clones it (CREATE DATABASE ...
 * TEMPLATE), which takes tens of milliseconds instead of a migration run per file.
 * DATABASE_URL names the server to use (its own database is never touched); unset, an embedded
 * PostgreSQL is started under .data/test-pg.
 */
export async function prepareDatabases(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const running = await startEmbeddedPostgres({ dataDir: TEST_EMBEDDED_DIR, port: await freePort(), database: 'postgres' });
    (globalThis as { __embeddedPostgres?: typeof running }).__embeddedPostgres = running;
    serverUrl = running.url;
  }
  const template = `${TEST_DB_PREFIX}tpl_${process.pid}`;
  await withAdminClient(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${template}`);
    await client.query(`CREATE DATABASE ${template}`);
  });
  const sequelize = createSequelize(withDatabase(serverUrl, template), { poolMax: 2 });
  try {
    await createMigrator(sequelize, BUILTIN_MIGRATION_DIRS).up();
  } finally {
    await sequelize.close();
  }
  process.env[SERVER_URL_ENV] = serverUrl;
  process.env[TEMPLATE_ENV] = template;
}
