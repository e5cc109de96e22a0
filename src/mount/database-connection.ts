import type { Sequelize } from 'sequelize';
import { createSequelize } from '../core/database.js';

/** The PostgreSQL URL of a Sequelize instance's database: sessions, exports and jobs open connections of their own. */
export function connectionUrlOf(sequelize: Sequelize): string {
  const config = sequelize.config;
  const url = new URL('postgres://localhost');
  url.hostname = config.host ?? '127.0.0.1';
  if (config.port) url.port = String(config.port);
  if (config.username) url.username = encodeURIComponent(config.username);
  if (config.password) url.password = encodeURIComponent(config.password);
  url.pathname = `/${encodeURIComponent(config.database)}`;
  return url.toString();
}

export interface LedgerDatabase {
  sequelize: Sequelize;
  url: string;
  /** Whether the ledger made the Sequelize instance (and so closes it); a host's stays the host's. */
  owned: boolean;
}

/** The host's Sequelize instance, else one made from `databaseUrl` (or DATABASE_URL). */
export function ledgerDatabase(options: { sequelize?: Sequelize; databaseUrl?: string }, env: NodeJS.ProcessEnv = process.env): LedgerDatabase {
  if (options.sequelize) {
    if (options.sequelize.getDialect() !== 'postgres') throw new TypeError(`adminjs-ai-usage: the ledger needs PostgreSQL, the Sequelize instance speaks ${options.sequelize.getDialect()}`);
    return { sequelize: options.sequelize, url: options.databaseUrl ?? connectionUrlOf(options.sequelize), owned: false };
  }
  const url = options.databaseUrl ?? env.DATABASE_URL;
  if (!url) throw new TypeError('adminjs-ai-usage: pass `sequelize` (your Sequelize instance) or `databaseUrl`, or set DATABASE_URL');
  return { sequelize: createSequelize(url), url, owned: true };
}

export async function connect(sequelize: Sequelize): Promise<void> {
  try {
    await sequelize.authenticate();
  } catch (error) {
    throw new Error(`cannot connect to PostgreSQL: ${(error as Error).message}. Check DATABASE_URL, or unset it to use the embedded database.`, { cause: error });
  }
}
