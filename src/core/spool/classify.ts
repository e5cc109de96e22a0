/**
 * Decides whether a failed record statement was the database's fault (unreachable, shutting down,
 * overloaded, read-only after a failover, timed out) rather than the event's. Only those events
 * are spooled for a later replay; an event the database refuses on its merits never is.
 */

/** SQLSTATE classes that say nothing about the event: connection (08), resources (53), operator intervention (57), system (58), transaction rollback (40), authorization (28). */
const TRANSIENT_CLASSES = new Set(['08', '28', '40', '53', '57', '58']);
const TRANSIENT_STATES = new Set([
  '25006', // read_only_sql_transaction: connected to a standby, e.g. during a failover
  '55P03', // lock_not_available: lock_timeout
  '3D000', // invalid_catalog_name: the database is being restored or recreated
]);
/** Socket and resolver errors of Node, as pg reports them. */
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'EHOSTDOWN',
  'ENETUNREACH', 'ENETDOWN', 'ENETRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'ESOCKETTIMEDOUT',
]);
/** pg's errors without a code when a connection dies or never comes, and Sequelize's after its pool closed. */
const TRANSIENT_MESSAGES = /connection terminated|not queryable|timeout exceeded when trying to connect|query read timeout|connection manager was closed|connection timed out/i;
/** Sequelize wraps every failure to connect in one of these (ConnectionRefusedError, HostNotReachableError, ConnectionAcquireTimeoutError...). */
const SEQUELIZE_CONNECTION_ERROR = /^Sequelize(Connection|HostNot|InvalidConnection|AccessDenied)/;

type ErrorLike = { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; parent?: unknown; original?: unknown; errors?: unknown };

function causes(error: unknown, seen = new Set<unknown>()): unknown[] {
  if (error === null || typeof error !== 'object' || seen.has(error)) return [];
  seen.add(error);
  const e = error as ErrorLike;
  const nested = [e.cause, e.parent, e.original, ...(Array.isArray(e.errors) ? e.errors : [])];
  return [error, ...nested.flatMap((inner) => causes(inner, seen))];
}

/** Why a record-statement failure is the database's fault (e.g. `pg 57P01`, `ECONNREFUSED`), or undefined when it may be the event's. */
export function transientFailureReason(error: unknown): string | undefined {
  for (const candidate of causes(error)) {
    const { name, code, message } = candidate as ErrorLike;
    if (typeof code === 'string') {
      if (/^[0-9A-Z]{5}$/.test(code) && (TRANSIENT_CLASSES.has(code.slice(0, 2)) || TRANSIENT_STATES.has(code))) return `pg ${code}`;
      if (TRANSIENT_NODE_CODES.has(code)) return code;
    }
    if (typeof name === 'string' && SEQUELIZE_CONNECTION_ERROR.test(name)) return name;
    if (name === 'TrackWriteTimeoutError') return 'timeout';
    if (typeof message === 'string' && TRANSIENT_MESSAGES.test(message)) return message;
  }
  return undefined;
}
