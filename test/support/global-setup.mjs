// Jest loads global setup outside its ESM transform, so the TypeScript is loaded through tsx.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { prepareDatabases } = await tsImport('./prepare-databases.ts', import.meta.url);
  await prepareDatabases();
}
