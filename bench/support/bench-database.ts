import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { createSequelize, withDatabase } from '../../src/core/database.js';
import { createMigrator } from '../../src/core/migrator.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/runtime/embedded-postgres.js';
import { PROJECT_ROOT } from '../../src/runtime/config.js';
import pg from 'pg';
import path from 'node:path';

/**
 * A PostgreSQL server for benchmarks: the one DATABASE_URL points at (its own database is never
 * touched), else an embedded one under .data/bench-pg. Each benchmark gets fresh migrated databases.
 */
export interface BenchServer {
  createDatabase(label: string, options?: { poolMax?: number }): Promise<BenchDatabase>;
  close(): Promise<void>;
}

export interface BenchDatabase {
  name: string;
  url: string;
  sequelize: Sequelize;
  drop(): Promise<void>;
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startBenchServer(): Promise<BenchServer> {
  let embedded: RunningPostgres | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(PROJECT_ROOT, '.data', 'bench-pg'), port: 54339, database: 'postgres' });
    serverUrl = embedded.url;
  }
  const server = serverUrl;
  return {
    async createDatabase(label, options = {}) {
      const name = `bench_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
      await admin(server, `CREATE DATABASE ${name}`);
      const url = withDatabase(server, name);
      const sequelize = createSequelize(url, { poolMax: options.poolMax ?? 10 });
      await createMigrator(sequelize).up();
      return {
        name,
        url,
        sequelize,
        async drop() {
          await sequelize.close();
          await admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        },
      };
    },
    close: async () => embedded?.stop(),
  };
}
