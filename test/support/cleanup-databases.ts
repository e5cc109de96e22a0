import { SERVER_URL_ENV, TEMPLATE_ENV, withAdminClient } from './test-server.js';

/** Drops the template and any database a test file left behind, then stops embedded PostgreSQL. */
export async function cleanupDatabases(): Promise<void> {
  const serverUrl = process.env[SERVER_URL_ENV];
  const template = process.env[TEMPLATE_ENV];
  if (serverUrl && template) {
    await withAdminClient(serverUrl, async (client) => {
      const { rows } = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
        [template, `${template.replace(/tpl_\d+$/, '')}${process.pid}\\_%`],
      );
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
    });
  }
  await (globalThis as { __embeddedPostgres?: { stop(): Promise<void> } }).__embeddedPostgres?.stop();
}
