// A process that spools events while its database is unreachable, leases some of them as a
// drainer would, prints their ids and waits to be SIGKILLed: the stand-in for a crashed app.
import { randomUUID } from 'node:crypto';
import { createSequelize, createTracker } from '../../../src/core/index.js';
import { EventSpool } from '../../../src/core/spool/index.js';

const [spoolDir, databaseUrl, deadPort, count] = process.argv.slice(2);
const silent = { warn: () => {}, error: () => {} };
const spool = new EventSpool({ dir: spoolDir!, databaseUrl: databaseUrl!, maxBytes: 64 * 1024 * 1024, logger: silent });
const tracker = createTracker({ sequelize: createSequelize(`postgres://postgres@127.0.0.1:${deadPort}/x`), logger: silent, spool });
const ids: string[] = [];
for (let i = 0; i < Number(count); i++) {
  const id = randomUUID();
  const result = await tracker.trackSafe({ id, section: 'chat', promptTokens: 10, completionTokens: i, responseTimeMs: 5 });
  if (result.status !== 'spooled') throw new Error(`expected spooled, got ${result.status}`);
  ids.push(id);
}
spool.store.lease(10, 3_600_000);
console.log(JSON.stringify(ids));
setInterval(() => {}, 60_000);
