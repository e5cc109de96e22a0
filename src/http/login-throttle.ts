import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { SecurityConfig } from '../security-config.js';

export interface LoginThrottle {
  /** When logins for this account or from this address are refused now: milliseconds until they are not; else 0. */
  retryAfterMs(email: string, ip: string): Promise<number>;
  /** Counts a failed login against the account and the address. */
  recordFailure(email: string, ip: string): Promise<void>;
  /** A successful login clears the account's failures (the address's stay: it may be trying other accounts). */
  recordSuccess(email: string): Promise<void>;
}

const keyOf = (value: string) => createHash('sha256').update(value).digest('hex');
const accountKey = (email: string) => keyOf(email.trim().toLowerCase());

/**
 * Failed logins counted in PostgreSQL (auth_login_attempts), per account and per client address,
 * in a fixed window starting at the first failure: several app instances share one count, and a
 * restart forgets nothing. The per-address limit is higher than the per-account one, so people
 * behind one shared address are not all locked out by one of them.
 */
export function createLoginThrottle(pool: pg.Pool, limits: SecurityConfig['loginThrottle']): LoginThrottle {
  return {
    async retryAfterMs(email, ip) {
      const { rows } = await pool.query<{ scope: string; failures: number; remaining_ms: number }>(
        `SELECT scope, failures, ceil(extract(epoch FROM window_start + $3 * interval '1 millisecond' - now()) * 1000)::float8 AS remaining_ms
           FROM auth_login_attempts
          WHERE ((scope = 'account' AND key_hash = $1) OR (scope = 'ip' AND key_hash = $2))
            AND window_start > now() - $3 * interval '1 millisecond'`,
        [accountKey(email), keyOf(ip), limits.windowMs],
      );
      const blocking = rows.filter((row) => row.failures >= (row.scope === 'account' ? limits.maxFailuresPerAccount : limits.maxFailuresPerIp));
      return Math.max(0, ...blocking.map((row) => row.remaining_ms));
    },
    async recordFailure(email, ip) {
      await pool.query(
        `WITH expired AS (DELETE FROM auth_login_attempts WHERE window_start < now() - 2 * $3 * interval '1 millisecond' AND key_hash NOT IN ($1, $2))
         INSERT INTO auth_login_attempts AS a (scope, key_hash, failures, window_start, last_failure_at)
         VALUES ('account', $1, 1, now(), now()), ('ip', $2, 1, now(), now())
         ON CONFLICT (scope, key_hash) DO UPDATE SET
           failures = CASE WHEN a.window_start <= now() - $3 * interval '1 millisecond' THEN 1 ELSE a.failures + 1 END,
           window_start = CASE WHEN a.window_start <= now() - $3 * interval '1 millisecond' THEN now() ELSE a.window_start END,
           last_failure_at = now()`,
        [accountKey(email), keyOf(ip), limits.windowMs],
      );
    },
    async recordSuccess(email) {
      await pool.query(`DELETE FROM auth_login_attempts WHERE scope = 'account' AND key_hash = $1`, [accountKey(email)]);
    },
  };
}
