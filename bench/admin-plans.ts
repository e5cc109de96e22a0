import { QueryTypes, type Sequelize } from 'sequelize';
import { readLogListParams } from '../src/admin/ai-usage-log/filters.js';
import { logOrderSql, normalizeLogSort, prepareLogQuery } from '../src/admin/ai-usage-log/query.js';
import type { SectionDefinition } from '../src/core/sections.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function scans(node: PlanNode, found: string[] = []): string[] {
  if (node['Relation Name'] === 'ai_usage_logs' || node['Index Name']?.startsWith('ai_usage_logs')) {
    found.push(node['Index Name'] ? `${node['Node Type']} ${node['Index Name']}` : node['Node Type']);
  }
  for (const child of node.Plans ?? []) scans(child, found);
  return found;
}

/** How PostgreSQL reads ai_usage_logs for the first list page of these filters: the scans of its plan. */
export async function listPlan(sequelize: Sequelize, sections: readonly SectionDefinition[], filters: Record<string, string>): Promise<string[]> {
  const query = await prepareLogQuery(sequelize, readLogListParams(filters), { sections });
  const [row] = await sequelize.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `EXPLAIN (FORMAT JSON) SELECT * FROM ai_usage_logs ${query.whereSql} ${logOrderSql(normalizeLogSort(undefined))} LIMIT 20`,
    { bind: query.bind, type: QueryTypes.SELECT },
  );
  return scans(row!['QUERY PLAN'][0].Plan);
}
