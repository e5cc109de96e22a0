import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { createSequelize, withDatabase } from '../../src/core/database.js';
import { SERVER_URL_ENV, TEMPLATE_ENV, TEST_DB_PREFIX, withAdminClient } from './test-server.js';

export interface TestDatabase {
  name: string;
  url: string;
  sequelize: Sequelize;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is unset: run tests through jest, whose global setup prepares the database`);
  return value;
}

/** A fresh, fully migrated database of its own, cloned from the template made by global setup. */
export async function createTestDatabase(options: { poolMax?: number; /** An empty database instead of the migrated template (a host's own schema). */ empty?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = required(SERVER_URL_ENV);
  const template = required(TEMPLATE_ENV);
  // The jest parent's pid is in the template's name; teardown drops every database carrying it.
  const runPid = template.slice(template.lastIndexOf('_') + 1);
  const name = `${TEST_DB_PREFIX}${runPid}_${randomBytes(5).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${options.empty ? 'template0' : template}`));
  const url = withDatabase(serverUrl, name);
  const sequelize = createSequelize(url, { poolMax: options.poolMax ?? 10 });
  return {
    name,
    url,
    sequelize,
    async drop() {
      await sequelize.close();
      await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
