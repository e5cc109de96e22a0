import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTracker } from '../../../src/core/index.js';
import { maintainLogPartitions } from '../../../src/core/partitions/index.js';
import { insertBudget } from '../../budgets/support.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

let db: TestDatabase;
let archiveDir: string;
beforeAll(async () => {
  db = await createTestDatabase({ poolMax: 2 });
  archiveDir = await mkdtemp(path.join(tmpdir(), 'h3-cli-'));
  const old = new Date(Date.now() - 100 * 86_400_000);
  await maintainLogPartitions(db.sequelize, { from: old });
  const tracker = createTracker({ sequelize: db.sequelize, logger: { warn: () => {}, error: () => {} }, maxEventAgeMs: 365 * 86_400_000 });
  await tracker.track({ section: 'chat', modelName: 'gemini-2.5-flash', promptTokens: 5, completionTokens: 5, responseTimeMs: 5, createdAt: old });
});
afterAll(async () => {
  await db.drop();
  await rm(archiveDir, { recursive: true, force: true });
});

/** Runs an npm script's entry point as `npm run` would, against this test's database; resolves with its exit code and output. */
async function cli(script: string, args: string[]) {
  try {
    const { stdout, stderr } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

it('db:retention prints the partitions it would drop in a dry run, and with --archive --apply archives and drops them', async () => {
  const dry = await cli('src/cli/db-retention.ts', ['--keep-months', '2']);
  expect(dry.code).toBe(0);
  expect(dry.stdout).toMatch(/Dry run/);
  expect(dry.stdout).toMatch(/ai_usage_logs_y\d{4}m\d{2}/);
  expect(await readdir(archiveDir)).toEqual([]);

  const bad = await cli('src/cli/db-retention.ts', ['--keep-months', 'zero']);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/--keep-months must be a whole number/);

  const applied = await cli('src/cli/db-retention.ts', ['--keep-months', '2', '--archive', archiveDir, '--apply']);
  expect(applied.code).toBe(0);
  expect(applied.stdout).toMatch(/Dropped:/);
  expect((await readdir(archiveDir)).length).toBeGreaterThanOrEqual(1);
}, 120_000);

it('db:reconcile exits 0 without drift, 2 on drift in a dry run, fixes it with --apply, and refuses dropped months', async () => {
  const today = new Date().toISOString().slice(0, 10);
  await createTracker({ sequelize: db.sequelize }).track({ section: 'chat', modelName: 'gemini-2.5-flash', promptTokens: 5, completionTokens: 5, responseTimeMs: 5 });
  expect((await cli('src/cli/db-reconcile.ts', ['--from', today, '--to', today])).code).toBe(0);
  const budgetId = await insertBudget(db.sequelize, { name: 'cli budget', limitUsd: '100', period: 'day' });
  expect((await cli('src/cli/db-reconcile.ts', ['--from', today, '--to', today])).code).toBe(0);
  await db.sequelize.query('UPDATE ai_usage_tracking SET request_count = request_count + 1 WHERE date = $1', { bind: [today] });
  await db.sequelize.query('UPDATE ai_budget_usage SET used_tokens = used_tokens + 4 WHERE budget_id = $1', { bind: [budgetId] });
  const dry = await cli('src/cli/db-reconcile.ts', ['--from', today, '--to', today]);
  expect(dry.stdout).toMatch(/request_count 2 -> 1/);
  expect(dry.stdout).toMatch(new RegExp(`budget ${budgetId} "cli budget" period from ${today}T00:00:00.000Z: used_tokens 14 -> 10`));
  expect(dry.code).toBe(2);
  const fixed = await cli('src/cli/db-reconcile.ts', ['--from', today, '--to', today, '--apply']);
  expect(fixed.code).toBe(0);
  expect(fixed.stdout).toMatch(/Fixed 1 aggregate key\(s\), 0 subscription\(s\) and 1 budget counter row\(s\)/);
  expect((await cli('src/cli/db-reconcile.ts', ['--from', today, '--to', today])).code).toBe(0);
  const old = new Date(Date.now() - 100 * 86_400_000).toISOString().slice(0, 10);
  const refused = await cli('src/cli/db-reconcile.ts', ['--from', old, '--to', today]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/were dropped by retention/);
}, 120_000);
