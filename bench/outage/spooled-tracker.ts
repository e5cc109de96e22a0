import { createSequelize } from '../../src/core/database.js';
import { EventSpool, startSpoolDrainer } from '../../src/core/spool/index.js';
import { createTracker, type TrackerLogger } from '../../src/core/tracker.js';

/** A tracker wired as the app wires it (spool, breaker, drainer in the background), on its own pool. */
export function startSpooledTracker(databaseUrl: string, spoolDir: string, logger: TrackerLogger) {
  const sequelize = createSequelize(databaseUrl, { poolMax: 32 });
  const spool = new EventSpool({ dir: spoolDir, databaseUrl, maxBytes: 512 * 1024 * 1024, logger });
  const tracker = createTracker({ sequelize, logger, spool });
  const drainer = startSpoolDrainer({ spool, tracker, sequelize, logger });
  return {
    sequelize,
    spool,
    tracker,
    /** Resolves when the spool is empty (checked every 50 ms); the time it took in seconds. */
    async drained(): Promise<number> {
      const started = Date.now();
      while (spool.health().depth > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      return (Date.now() - started) / 1000;
    },
    async close() {
      await drainer.stop();
      spool.close();
      await sequelize.close();
    },
  };
}
