import type { Sequelize } from 'sequelize';
import type { SectionRegistry } from '../../core/sections.js';
import type { UserReference } from '../../core/users/user-reference.cjs';
import { userColumnSql, userReferenceOf } from '../../core/users/user-sql.js';
import type { ExportSelect, ExportSource, ListQuery } from '../export/types.js';
import { readLogListParams } from './filters.js';
import { LOG_COLUMNS, prepareLogQuery } from './query.js';

/** Export-only fields: the user's name and email, joined in from the configured users table, next to the log's own columns. */
const joinedFields = (users: UserReference): Readonly<Record<string, string>> => ({
  'user.username': userColumnSql(users, 'name', 'ai_usage_logs.user_id'),
  'user.email': userColumnSql(users, 'email', 'ai_usage_logs.user_id'),
});

/**
 * The rows of the AI usage log list, for the export: the same prepareLogQuery the list, its count
 * and its statistics run, so an export holds exactly the rows the list shows for the same filters,
 * search and sort, in the same order (no LIMIT/OFFSET: every page).
 */
export function aiUsageLogExportSource(sequelize: Sequelize, sections: SectionRegistry, timeZone: string): ExportSource {
  const JOINED_FIELDS = joinedFields(userReferenceOf(sequelize));
  return {
    async select(query: ListQuery, fields: readonly string[]): Promise<ExportSelect> {
      const columns = fields.map((field) => {
        const sql = LOG_COLUMNS[field] ? `ai_usage_logs.${LOG_COLUMNS[field]}` : JOINED_FIELDS[field];
        if (!sql) throw new Error(`ai_usage_logs has no exportable field "${field}"`);
        return `${sql} AS "${field.replace(/"/g, '""')}"`;
      });
      const log = await prepareLogQuery(sequelize, readLogListParams(query.filter, query.sort, timeZone), { sections: sections.list() });
      return { sql: `SELECT ${columns.join(', ')} FROM ai_usage_logs ${log.whereSql} ${log.orderSql}`, bind: log.bind };
    },
  };
}
