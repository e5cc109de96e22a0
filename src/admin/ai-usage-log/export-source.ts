import type { Sequelize } from 'sequelize';
import type { SectionRegistry } from '../../core/sections.js';
import { USER_LOOKUP, userLookupJoinSql, userReferenceOf } from '../../core/users/user-sql.js';
import type { ExportSelect, ExportSource, ListQuery } from '../export/types.js';
import { readLogListParams } from './filters.js';
import { LOG_COLUMNS, prepareLogQuery } from './query.js';

/** Export-only fields: the user's name and email, from the configured users table joined once (only when asked for). */
const JOINED_FIELDS: Readonly<Record<string, string>> = {
  'user.username': `${USER_LOOKUP.alias}.${USER_LOOKUP.name}`,
  'user.email': `${USER_LOOKUP.alias}.${USER_LOOKUP.email}`,
};

/**
 * The rows of the AI usage log list, for the export: the same prepareLogQuery the list, its count
 * and its statistics run, so an export holds exactly the rows the list shows for the same filters,
 * search and sort, in the same order (no LIMIT/OFFSET: every page).
 */
export function aiUsageLogExportSource(sequelize: Sequelize, sections: SectionRegistry, timeZone: string): ExportSource {
  const userJoin = userLookupJoinSql(userReferenceOf(sequelize), 'ai_usage_logs.user_id');
  return {
    async select(query: ListQuery, fields: readonly string[]): Promise<ExportSelect> {
      const columns = fields.map((field) => {
        const sql = LOG_COLUMNS[field] ? `ai_usage_logs.${LOG_COLUMNS[field]}` : JOINED_FIELDS[field];
        if (!sql) throw new Error(`ai_usage_logs has no exportable field "${field}"`);
        return `${sql} AS "${field.replace(/"/g, '""')}"`;
      });
      const log = await prepareLogQuery(sequelize, readLogListParams(query.filter, query.sort, timeZone), { sections: sections.list() });
      const join = fields.some((field) => JOINED_FIELDS[field]) ? userJoin : '';
      return { sql: `SELECT ${columns.join(', ')} FROM ai_usage_logs ${join} ${log.whereSql} ${log.orderSql}`, bind: log.bind };
    },
  };
}
