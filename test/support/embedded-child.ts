// Starts embedded PostgreSQL in the given folder, says "ready", and waits to be killed: the
// stand-in for an `npm start` that dies by SIGKILL and orphans its postmaster.
import { startEmbeddedPostgres } from '../../src/runtime/embedded-postgres.js';

const [dataDir, port] = process.argv.slice(2);
await startEmbeddedPostgres({ dataDir: dataDir!, port: Number(port), database: 'postgres' });
console.log('ready');
setInterval(() => {}, 60_000);
