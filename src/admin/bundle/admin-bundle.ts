import type AdminJS from 'adminjs';
import { AssetBundler, componentsBundler, generateUserComponentEntry, NODE_ENV } from 'adminjs/bundler';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../runtime/config.js';
import { tsImportsPlugin } from './ts-imports-plugin.js';

/** Where bundles are written: ADMIN_JS_TMP_DIR (a name without a leading dot) under the project root. */
export function bundleDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(PROJECT_ROOT, env.ADMIN_JS_TMP_DIR || 'adminjs-bundle');
}

export interface AdminBundle {
  /** Absolute path of the bundle of this panel's components, named by its fingerprint. */
  file: string;
  /** sha256 of the entry, the component sources next to it and the build mode. */
  fingerprint: string;
  /** Whether this call built it (false: an up-to-date bundle was already there). */
  built: boolean;
}

export interface PrepareBundleOptions {
  /** NODE_ENV=production: a prebuilt bundle is expected (npm run build:admin). */
  production: boolean;
  /** ADMIN_JS_SKIP_BUNDLE=true: never build at startup; a missing or stale bundle is an error. */
  prebuiltOnly?: boolean;
  dir?: string;
}

const SOURCE = /\.(tsx?|jsx?|mjs)$/;

/** The fingerprint covers every file in the folders of the registered components (their sibling imports included). */
async function fingerprintOf(entry: string, componentFiles: string[]): Promise<string> {
  const hash = createHash('sha256').update(`${NODE_ENV}\n${entry}\n`);
  const folders = [...new Set(componentFiles.map((file) => path.dirname(file)))].sort();
  for (const folder of folders) {
    for (const name of (await readdir(folder)).filter((n) => SOURCE.test(n)).sort()) {
      hash.update(`${folder}/${name}\n`).update(await readFile(path.join(folder, name)));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

let building: Promise<unknown> = Promise.resolve();

/** Bundles with AdminJS's own rollup configuration, into a temporary file renamed into place (atomic for readers). */
async function build(entry: string, dir: string, file: string): Promise<void> {
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const entryFile = path.join(dir, `entry-${suffix}.js`);
  const output = path.join(dir, `bundle-${suffix}.tmp.js`);
  await writeFile(entryFile, entry);
  try {
    const input = componentsBundler.inputOptions;
    const bundler = new AssetBundler({ ...input, input: entryFile, plugins: [tsImportsPlugin(), ...(input.plugins ?? [])] }, { ...componentsBundler.outputOptions, file: output });
    await bundler.build();
    await rename(output, file);
  } finally {
    await rm(entryFile, { force: true });
    await rm(output, { force: true });
  }
}

const BUNDLE_FILE = /^components-[0-9a-f]{16}\.bundle\.js$/;
const KEEP_MS = 7 * 86_400_000;

/** Drops bundles of earlier component versions untouched for a week (another process may still serve a recent one). */
async function pruneOldBundles(dir: string, current: string): Promise<void> {
  const now = Date.now();
  for (const name of (await readdir(dir)).filter((n) => BUNDLE_FILE.test(n))) {
    const file = path.join(dir, name);
    if (file !== current && now - (await stat(file)).mtimeMs > KEEP_MS) await rm(file, { force: true });
  }
}

/**
 * Makes sure the bundle of this panel's custom components exists before the panel serves a page:
 * built now in development (once per change of the components), prebuilt in production.
 */
export async function prepareAdminBundle(admin: AdminJS, options: PrepareBundleOptions): Promise<AdminBundle> {
  const dir = options.dir ?? bundleDir();
  await mkdir(dir, { recursive: true });
  const entry = generateUserComponentEntry(admin, dir);
  const fingerprint = await fingerprintOf(entry, Object.values(admin.componentLoader.getComponents()).map((f) => path.resolve(f)));
  const file = path.join(dir, `components-${fingerprint}.bundle.js`);
  if (existsSync(file)) return { file, fingerprint, built: false };
  if (options.production && options.prebuiltOnly) {
    throw new Error(`the admin panel's prebuilt bundle ${path.relative(PROJECT_ROOT, file)} is missing or out of date: run \`npm run build:admin\` (same ADMIN_JS_TMP_DIR) before starting with ADMIN_JS_SKIP_BUNDLE=true`);
  }
  // One build at a time in this process; two processes may build the same file, each renaming a whole one into place.
  const run = building.then(() => (existsSync(file) ? undefined : build(entry, dir, file)));
  building = run.catch(() => undefined);
  await run;
  await pruneOldBundles(dir, file);
  return { file, fingerprint, built: true };
}
