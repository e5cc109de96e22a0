import { QueryTypes, type Sequelize } from 'sequelize';
import { badParameter } from './period.js';
import type { UserId } from '../core/users/user-id.js';

/** A position in a user's requests, newest first: the last row's created_at (microseconds kept as text) and id. */
interface RequestsCursor {
  createdAt: string;
  id: string;
}

export interface RequestRow {
  id: string;
  created_at: string;
  section: string;
  model_name: string;
  success: boolean;
  error_message: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  thoughts_tokens: number;
  cached_tokens: number;
  total_tokens: number;
  response_time_ms: number;
  cost_usd: string | null;
  cost_status: string;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

export function encodeCursor(row: { created_at: string; id: string }): string {
  return Buffer.from(`${row.created_at}|${row.id}`).toString('base64url');
}

function decodeCursor(value: unknown): RequestsCursor | null {
  if (value === undefined || value === '') return null;
  const [createdAt, id, extra] = typeof value === 'string' ? Buffer.from(value, 'base64url').toString().split('|') : [];
  if (!createdAt || !id || extra !== undefined || !TIMESTAMP.test(createdAt) || !UUID.test(id)) {
    throw badParameter('cursor', 'not a cursor this API gave out (use next_cursor of the previous page)');
  }
  return { createdAt, id };
}

export function parsePageSize(value: unknown): number {
  if (value === undefined || value === '') return DEFAULT_PAGE_SIZE;
  const size = typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(size >= 1 && size <= MAX_PAGE_SIZE)) throw badParameter('limit', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  return size;
}

/**
 * One page of the user's requests, newest first, after `cursor`: keyset pagination on
 * (created_at, id) over the (user_id, created_at) index, so page 1,000 costs what page 1 does.
 * Never selects the metadata (where prompts may live).
 */
export async function requestsPage(sequelize: Sequelize, userId: UserId, cursorParam: unknown, limit: number): Promise<{ rows: RequestRow[]; nextCursor: string | null }> {
  const cursor = decodeCursor(cursorParam);
  const rows = await sequelize.query<RequestRow>(
    `SELECT id, to_json(created_at) #>> '{}' AS created_at, section, model_name, success, left(error_message, 300) AS error_message,
            prompt_tokens, completion_tokens, thoughts_tokens, cached_tokens, total_tokens, response_time_ms,
            trim_scale(cost_usd)::text AS cost_usd, cost_status
     FROM ai_usage_logs
     WHERE user_id = $1 ${cursor ? 'AND (created_at, id) < ($3::timestamptz, $4::uuid)' : ''}
     ORDER BY created_at DESC, id DESC
     LIMIT $2`,
    { bind: cursor ? [userId, limit + 1, cursor.createdAt, cursor.id] : [userId, limit + 1], type: QueryTypes.SELECT },
  );
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, nextCursor: more ? encodeCursor(page[page.length - 1]!) : null };
}
