import { randomUUID } from 'node:crypto';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { one } from '../support/fixtures.js';
import { listenOnFreePort } from '../support/http.js';

let db: TestDatabase;
let app: App;
let baseUrl: string;
beforeAll(async () => {
  db = await createTestDatabase();
  app = await createApp({ databaseUrl: db.url, config: loadConfig({ NODE_ENV: 'test' }), logger: { info: () => {}, error: () => {} } });
  baseUrl = await listenOnFreePort(app);
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

const health = async () => {
  const response = await fetch(`${baseUrl}/health`);
  return { status: response.status, body: await response.json() };
};

it('reports the spool on /health, and the drainer started at boot replays what it finds', async () => {
  expect(await health()).toEqual({
    status: 200,
    body: { status: 'ok', database: 'up', spool: expect.objectContaining({ depth: 0, oldestAgeSeconds: null, deadLetters: 0, lastError: null, maxBytes: 512 * 1024 * 1024 }), partitions: expect.objectContaining({ defaultRows: 0, warning: null }) },
  });
  // What a process killed during an outage leaves behind, found by this one's drainer.
  const id = randomUUID();
  await app.spool.events.append({ event: { ...(await normalized(id)) }, quote: null }, 'test');
  app.spool.events.databaseUp();
  while ((await health()).body.spool.depth > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await one<{ id: string }>(db.sequelize, 'SELECT id FROM ai_usage_logs WHERE id = $1', [id])).toEqual({ id });
  expect((await health()).body).toMatchObject({ status: 'ok', spool: { depth: 0, lastDrainAt: expect.any(String) } });
});

async function normalized(id: string) {
  const { normalizeEvent } = await import('../../src/core/event.js');
  return normalizeEvent({ id, section: 'chat', promptTokens: 5, completionTokens: 5, responseTimeMs: 10 }, app.tracker.sections);
}
