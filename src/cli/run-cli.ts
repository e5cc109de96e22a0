import type { Sequelize } from 'sequelize';
import { createSequelize } from '../core/database.js';
import { resolveDatabase } from '../runtime/database-url.js';

/** Runs a command's main: its error message on stderr and exit code 1 on failure. */
export function runCli(main: () => Promise<void>): void {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

/** Runs `work` on the application's database (DATABASE_URL or embedded), then closes it again. */
export async function withCliDatabase(log: (message: string) => void, work: (sequelize: Sequelize) => Promise<void>): Promise<void> {
  const database = await resolveDatabase(log);
  const sequelize = createSequelize(database.url, { poolMax: 2 });
  try {
    await work(sequelize);
  } finally {
    await sequelize.close();
    await database.stop?.();
  }
}
