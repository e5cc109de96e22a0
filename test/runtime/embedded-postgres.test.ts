import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/runtime/config.js';
import { startEmbeddedPostgres } from '../../src/runtime/embedded-postgres.js';
import { freePort } from '../support/test-server.js';

const dataDir = path.join(PROJECT_ROOT, '.data', `test-orphan-${process.pid}`);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function startChild(port: number): Promise<ReturnType<typeof spawn>> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'test/support/embedded-child.ts'), dataDir, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before ready`)));
  });
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('recovers the cluster when the process that started it was SIGKILLed', async () => {
  const port = await freePort();
  const child = await startChild(port);
  const orphan = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  expect(isAlive(orphan)).toBe(true); // the postmaster outlived its parent

  const messages: string[] = [];
  const running = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'recovered', log: (m) => messages.push(m) });
  try {
    expect(messages).toContain(`Found an orphaned embedded PostgreSQL (pid ${orphan}) left by a previous run; stopping it.`);
    expect(isAlive(orphan)).toBe(false);
    const client = new pg.Client({ connectionString: running.url });
    await client.connect();
    expect((await client.query('SELECT current_database() AS db')).rows).toEqual([{ db: 'recovered' }]);
    await client.end();
  } finally {
    await running.stop();
  }
  expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
}, 60_000);
