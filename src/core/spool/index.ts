export { transientFailureReason } from './classify.js';
export { EventSpool, spoolFileName, type EventSpoolOptions, type SpoolHealth } from './event-spool.js';
export { startSpoolDrainer, type SpoolDrainer, type SpoolDrainerOptions, type DrainRound } from './drainer.js';
export { spoolHealthReport, type HealthReport } from './health.js';
