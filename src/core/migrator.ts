import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sequelize as SequelizeStatic, type QueryInterface, type Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';

/** The core schema's migrations: the top-level migrations/ folder. */
export const CORE_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

interface MigrationModule {
  up(queryInterface: QueryInterface, sequelize: typeof SequelizeStatic): Promise<void>;
  down(queryInterface: QueryInterface, sequelize: typeof SequelizeStatic): Promise<void>;
}

const require = createRequire(import.meta.url);

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
export function createMigrator(sequelize: Sequelize, extraDirs: readonly string[] = [], log = false) {
  const queryInterface = sequelize.getQueryInterface();
  const files = [CORE_MIGRATIONS_DIR, ...extraDirs].flatMap(migrationsIn);
  const names = new Set<string>();
  for (const file of files) {
    if (names.has(file.name)) throw new Error(`two migrations are named ${file.name}; names must be unique across plugins`);
    names.add(file.name);
  }
  return new Umzug({
    migrations: files.map(({ name, path: file }) => {
      const migration = require(file) as MigrationModule;
      return {
        name,
        up: () => migration.up(queryInterface, SequelizeStatic),
        down: () => migration.down(queryInterface, SequelizeStatic),
      };
    }),
    storage: new SequelizeStorage({ sequelize, modelName: 'SequelizeMeta', tableName: 'SequelizeMeta' }),
    context: queryInterface,
    logger: log ? console : undefined,
  });
}
