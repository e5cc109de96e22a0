import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sequelize as SequelizeStatic, type QueryInterface, type Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import { withSessionAdvisoryLock } from './advisory-lock.js';
import { resolveUserReference, type UserReference, type UserReferenceOptions } from './users/user-reference.cjs';

/** The core schema's migrations: the top-level migrations/ folder. */
export const CORE_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** What our migrations receive after sequelize-cli's two arguments (sequelize-cli gives them nothing: they read AI_USAGE_USERS_*). */
export interface MigrationOptions {
  /** Where user ids point: our own `users` table (default) or the host's. */
  users: UserReference;
}

interface MigrationModule {
  up(queryInterface: QueryInterface, sequelize: typeof SequelizeStatic, options: MigrationOptions): Promise<void>;
  down(queryInterface: QueryInterface, sequelize: typeof SequelizeStatic, options: MigrationOptions): Promise<void>;
}

export interface MigratorOptions {
  /** The ledger's user reference; the same one the application is given (createAiUsage's `users`). */
  users?: UserReferenceOptions | UserReference;
  /** Log each migration to the console. */
  log?: boolean;
}

const require = createRequire(import.meta.url);

/** Session-level advisory lock key ("AI_MIG") held while migrations run. */
const MIGRATION_LOCK = 0x41_49_5f_4d_49_47n;

type UmzugOptions = ConstructorParameters<typeof Umzug<QueryInterface>>[0];

/**
 * Umzug whose up and down run under the migration lock (pending migrations are read after it is
 * taken), so app instances starting together on one database migrate one after the other.
 */
class ExclusiveUmzug extends Umzug<QueryInterface> {
  constructor(
    private readonly sequelize: Sequelize,
    options: UmzugOptions,
  ) {
    super(options);
  }

  override up(options?: Parameters<Umzug<QueryInterface>['up']>[0]) {
    return withSessionAdvisoryLock(this.sequelize, MIGRATION_LOCK, () => super.up(options));
  }

  override down(options?: Parameters<Umzug<QueryInterface>['down']>[0]) {
    return withSessionAdvisoryLock(this.sequelize, MIGRATION_LOCK, () => super.down(options));
  }
}

/**
 * Migrations are CommonJS files (`*.cjs`) so that sequelize-cli runs the same files; both record
 * what ran by file name in SequelizeMeta, so either tool sees what the other applied.
 */
function migrationsIn(dir: string) {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.cjs'))
    .sort()
    .map((file) => ({ name: file, path: path.join(dir, file) }));
}

/** A migrator over the core migrations followed by each extra folder (plugins'), in order. */
export function createMigrator(sequelize: Sequelize, extraDirs: readonly string[] = [], options: MigratorOptions = {}) {
  const queryInterface = sequelize.getQueryInterface();
  const migrationOptions: MigrationOptions = { users: resolveUserReference(options.users) };
  const files = [CORE_MIGRATIONS_DIR, ...extraDirs].flatMap(migrationsIn);
  const names = new Set<string>();
  for (const file of files) {
    if (names.has(file.name)) throw new Error(`two migrations are named ${file.name}; names must be unique across plugins`);
    names.add(file.name);
  }
  return new ExclusiveUmzug(sequelize, {
    migrations: files.map(({ name, path: file }) => {
      const migration = require(file) as MigrationModule;
      return {
        name,
        up: () => migration.up(queryInterface, SequelizeStatic, migrationOptions),
        down: () => migration.down(queryInterface, SequelizeStatic, migrationOptions),
      };
    }),
    storage: new SequelizeStorage({ sequelize, modelName: 'SequelizeMeta', tableName: 'SequelizeMeta' }),
    context: queryInterface,
    logger: options.log ? console : undefined,
  });
}
