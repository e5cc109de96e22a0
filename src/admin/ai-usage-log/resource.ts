import { BaseRecord, type Filter } from 'adminjs';
import type { AIUsageLogModel } from '../../core/models/ai-usage-log.js';
import type { SectionRegistry } from '../../core/sections.js';
import { safePage } from '../ids.js';
import { checkFilterPath, ListParamsError, type DeclaresFilterKeys } from '../list-params.js';
import { SafeSequelizeResource } from '../safe-resource.js';
import { userReferenceOf } from '../../core/users/user-sql.js';
import { countLogs, type LogCountOptions } from './count.js';
import { readLogListParams, SEARCH_FILTER, type LogListParams } from './filters.js';
import { logPageSortSql, normalizeLogSort, prepareLogQuery, type LogQuery } from './query.js';

type FindOptions = { limit?: number; offset?: number; sort?: LogListParams['sort'] };

/**
 * The AI usage log as an AdminJS resource: list and count run buildLogQuery (the one definition
 * of the list's filters, search and sort, shared with the statistics and the export); create,
 * update and delete are refused whatever calls them.
 */
export class AIUsageLogResource extends SafeSequelizeResource implements DeclaresFilterKeys {
  /** The list action calls find and count with the same Filter: resolve its search once. */
  private readonly queries = new WeakMap<object, Promise<LogQuery>>();

  constructor(
    model: AIUsageLogModel,
    private readonly sections: SectionRegistry,
    private readonly countOptions: LogCountOptions = {},
    timeZone?: string,
  ) {
    super(model, { readOnly: true, timeZone });
  }

  /** Every filter key readLogListParams applies; any other is refused, never ignored. */
  filterKeys(): readonly string[] {
    return ['success', 'section', 'modelName', 'userId', 'createdAt', 'period', 'id', 'refused', 'budgetId', SEARCH_FILTER];
  }

  /** The WHERE of a filter; its search is resolved once for the find and count of one list request. */
  private logQuery(filter: Filter | undefined): Promise<LogQuery> {
    for (const [path, { value }] of Object.entries(filter?.filters ?? {})) {
      checkFilterPath(this, path);
      if (path === 'createdAt' && (typeof value !== 'object' || value === null)) throw new ListParamsError('filter "createdAt" takes a range: createdAt~~from and/or createdAt~~to');
    }
    const make = () => prepareLogQuery(this.model.sequelize!, readLogListParams(filter, undefined, this.timeZone), { sections: this.sections.list() });
    if (!filter) return make();
    let query = this.queries.get(filter);
    if (!query) {
      query = make();
      this.queries.set(filter, query);
    }
    return query;
  }

  override async count(filter: Filter): Promise<number> {
    return (await countLogs(this.model.sequelize!, await this.logQuery(filter), this.countOptions)).total;
  }

  override async find(filter: Filter, { limit = 20, offset = 0, sort }: FindOptions): Promise<BaseRecord[]> {
    const query = await this.logQuery(filter);
    const page = safePage(limit, offset);
    const n = query.bind.length;
    const order = logPageSortSql(normalizeLogSort(sort), userReferenceOf(this.model.sequelize!));
    const rows = await this.model.sequelize!.query(`SELECT ai_usage_logs.* FROM ${order.fromSql} ${query.whereSql} ${order.orderSql} LIMIT $${n + 1} OFFSET $${n + 2}`, {
      bind: [...query.bind, page.limit, page.offset],
      model: this.model,
      mapToModel: true,
    });
    return rows.map((row) => this.toRecord(row));
  }

  /** Adds `metadataJson`, the metadata exactly as stored, for the show page (params flatten nested keys). */
  protected override toRecord(row: { toJSON(): object }): BaseRecord {
    const params = row.toJSON() as Record<string, unknown>;
    return new BaseRecord({ ...params, metadataJson: JSON.stringify(params.metadata ?? {}) }, this);
  }
}
