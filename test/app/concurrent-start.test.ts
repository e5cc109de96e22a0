import { loadConfig } from '../../src/config.js';
import { createSequelize } from '../../src/core/database.js';
import { createAiUsage, type AiUsage } from '../../src/mount/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * Several app instances started together on one fresh database (a rolling deploy, an autoscaler):
 * each migrates, seeds its catalogues and schedules its jobs; none may fail or half-apply.
 */
const silent = { info() {}, warn() {}, error() {} };
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ empty: true });
});
afterAll(() => db?.drop());

it('starts three instances at once on an empty database, and all of them start', async () => {
  const pools = [0, 1, 2].map(() => createSequelize(db.url, { poolMax: 5 }));
  const started: AiUsage[] = [];
  try {
    const results = await Promise.allSettled(
      pools.map((sequelize) =>
        createAiUsage({ sequelize, config: loadConfig({ NODE_ENV: 'test' }), logger: silent, gemini: { apiKey: 'k', baseUrl: 'http://127.0.0.1:9' } }).then((ledger) => {
          started.push(ledger);
          return ledger;
        }),
      ),
    );
    expect(results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'started'))).toEqual(['started', 'started', 'started']);
    await expect(started[0]!.tracker.track({ section: 'chat', responseTimeMs: 3 })).resolves.toMatchObject({ status: 'recorded' });
  } finally {
    for (const ledger of started) await ledger.close();
    for (const sequelize of pools) await sequelize.close();
  }
});
