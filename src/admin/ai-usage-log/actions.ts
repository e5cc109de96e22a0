import { Filter, flat, type ActionHandler, type ActionRequest } from 'adminjs';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { SectionRegistry } from '../../core/sections.js';
import { distinctValuesSql } from './search.js';
import { readLogListParams } from './filters.js';
import { computeLogStats, type LogStatsOptions } from './stats.js';

/** The filters of an action request's query string (`filters.*`), as the list action reads them. */
export function filtersOf(request: ActionRequest): Record<string, unknown> {
  const { filters = {} } = flat.unflatten(request.query ?? {}) as { filters?: Record<string, unknown> };
  return filters;
}

/** Handler of the `stats` action: statistics of exactly the rows the list shows for the same query string. */
export function statsHandler(sequelize: Sequelize, sections: SectionRegistry, timeZone: string, options: LogStatsOptions = {}): ActionHandler<{ stats: unknown }> {
  return async (request, _response, context) => {
    const filter = new Filter(filtersOf(request), context.resource);
    const stats = await computeLogStats(sequelize, readLogListParams(filter, undefined, timeZone), { sections: sections.list() }, options);
    return { stats };
  };
}

/** The model names ever used, from the daily aggregate (a loose index scan: milliseconds at any size). */
export async function usedModels(sequelize: Sequelize): Promise<string[]> {
  const rows = await sequelize.query<{ v: string }>(distinctValuesSql('ai_usage_tracking', 'model_name'), { type: QueryTypes.SELECT });
  return rows.map((row) => row.v);
}

/** Handler of the hidden `modelChoices` action that feeds the model filter. */
export function modelChoicesHandler(sequelize: Sequelize): ActionHandler<{ models: string[] }> {
  return async () => ({ models: await usedModels(sequelize) });
}
