import { Sequelize } from 'sequelize';

export interface DatabaseOptions {
  /** Most connections the pool opens; the tracker's throughput grows with it up to the core count of the server. */
  poolMax?: number;
  /** Log every SQL statement to the console. */
  logSql?: boolean;
}

/** A Sequelize instance for PostgreSQL, configured the way every part of this project expects. */
export function createSequelize(url: string, options: DatabaseOptions = {}): Sequelize {
  return new Sequelize(url, {
    dialect: 'postgres',
    logging: options.logSql ? console.log : false,
    pool: { max: options.poolMax ?? 20, min: 0, idle: 10_000, acquire: 30_000 },
    define: { underscored: true },
  });
}

/** Replaces the database of a postgres:// URL, keeping host, port and credentials. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
