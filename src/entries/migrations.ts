export { createMigrator, CORE_MIGRATIONS_DIR, type MigratorOptions, type MigrationOptions } from '../core/migrator.js';
export { resolveUserReference, type UserReference, type UserReferenceOptions } from '../core/users/user-reference.cjs';
