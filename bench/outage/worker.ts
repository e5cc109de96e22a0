// One application process of bench:outage's kill-and-restart run: sends events from..to through
// trackSafe with the spool, prints `ack <i> <status>` per answered event, waits for its spool to
// empty, prints `drained <seconds>` (from its start) and exits. The driver SIGKILLs the first one.
import { benchEvent, runCallers } from './events.js';
import { startSpooledTracker } from './spooled-tracker.js';

const [databaseUrl, spoolDir, run, from, to, users] = process.argv.slice(2);
const userIds = users!.split(',').map(Number);
const quiet = { warn: () => {}, error: () => {} };
const started = Date.now();
const app = startSpooledTracker(databaseUrl!, spoolDir!, quiet);
// The leftovers of a killed predecessor drain at boot, beside the live events.
const leftoversDrained = app.drained().then(() => console.log(`leftovers_drained ${(Date.now() - started) / 1000}`));
await runCallers(Number(from), Number(to), (i) => app.tracker.trackSafe(benchEvent(run!, i, userIds)), (i, result) => {
  process.stdout.write(`ack ${i} ${result === 'thrown' ? 'thrown' : result.status}\n`);
});
await leftoversDrained;
await app.drained();
console.log(`drained ${(Date.now() - started) / 1000}`);
await app.close();
process.exit(0);
