import { tsImport } from 'tsx/esm/api';

export default async function globalTeardown() {
  const { cleanupDatabases } = await tsImport('./cleanup-databases.ts', import.meta.url);
  await cleanupDatabases();
}
