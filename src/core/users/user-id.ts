import { InvalidEventError } from '../errors.js';
import type { UserReference } from './user-reference.cjs';

/** A user's id as the configured users table keys it: integer (our own users), uuid or text (a host's). */
export type UserId = number | string;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TEXT_ID_CHARS = 255;

/** Checks a user id against the id type of the users table; throws InvalidEventError naming `field`. */
export function checkUserId(value: unknown, idType: UserReference['idType'], field = 'userId'): UserId {
  if (idType === 'integer') {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
    throw new InvalidEventError(field, `must be a positive integer or null, got ${String(value)}`);
  }
  if (idType === 'uuid') {
    if (typeof value === 'string' && UUID.test(value)) return value.toLowerCase();
    throw new InvalidEventError(field, `must be a uuid or null, got ${String(value)}`);
  }
  if (typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT_ID_CHARS && !value.includes('\u0000')) return value;
  throw new InvalidEventError(field, `must be a string of 1 to ${MAX_TEXT_ID_CHARS} characters or null, got ${String(value)}`);
}
