// `npm run test:example` (part of `npm test`): packs this package as npm would publish it, installs
// the tarball into examples/host-app and runs that app's own test. A package that does not build,
// install or run without tsx and TypeScript fails here.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const example = path.join(root, 'examples', 'host-app');
const vendor = path.join(example, 'vendor');
const run = (command, args, cwd, env = {}) => {
  const started = Date.now();
  console.log(`[test:example] ${command} ${args.join(' ')} (in ${path.relative(root, cwd) || '.'})`);
  execFileSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`[test:example]   done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
};

// The example's test needs a PostgreSQL server of its own choosing (CI sets DATABASE_URL; .ci/run does).
if (!process.env.DATABASE_URL) {
  console.log('[test:example] SKIPPED: DATABASE_URL is unset (the example app needs a PostgreSQL server to create its database on)');
  process.exit(0);
}

rmSync(vendor, { recursive: true, force: true });
mkdirSync(vendor, { recursive: true });
run('npm', ['pack', '--silent', '--pack-destination', vendor], root);
const [tarball] = readdirSync(vendor).filter((name) => name.endsWith('.tgz'));
if (!tarball) throw new Error('npm pack wrote no tarball');
renameSync(path.join(vendor, tarball), path.join(vendor, 'adminjs-ai-usage.tgz'));

// The example's other dependencies stay installed between runs (and come from npm's cache with
// --prefer-offline); the package itself is always the tarball just packed.
rmSync(path.join(example, 'node_modules', 'adminjs-ai-usage'), { recursive: true, force: true });
run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock'], example);
if (!existsSync(path.join(example, 'node_modules', 'adminjs-ai-usage', 'dist'))) throw new Error('the tarball installed without dist/');
// Express refuses to serve AdminJS's default bundle folder `.adminjs` (a dot-folder).
run('npm', ['test'], example, { ADMIN_JS_TMP_DIR: 'adminjs-bundle', NODE_ENV: 'development' });
