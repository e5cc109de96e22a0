import { Filter, flat, type BaseResource, type CurrentAdmin } from 'adminjs';
import { checkListQuery } from '../list-params.js';
import type { ListQuery } from './types.js';

/** Query-string keys that steer the export itself rather than say which records the list shows. */
const EXPORT_KEYS = new Set(['format', 'fields', 'exportId', 'page', 'perPage', 'refresh']);

/** A URL's query string as the flat key/value object AdminJS reads its list parameters from. */
export function flatQueryOf(search: string | URLSearchParams): Record<string, string> {
  const params = typeof search === 'string' ? new URLSearchParams(search.startsWith('?') ? search.slice(1) : search) : search;
  const flatQuery: Record<string, string> = {};
  for (const [key, value] of params) {
    if (!EXPORT_KEYS.has(key)) flatQuery[key] = value;
  }
  return flatQuery;
}

/**
 * The sort the list applies, as AdminJS's list action computes it (sortSetter, which adminjs does
 * not export): the query's, else the resource's default, else the first sortable list property.
 */
function listSort(resource: BaseResource, sortBy: unknown, direction: unknown): ListQuery['sort'] {
  const decorated = resource.decorate();
  const defaults: { sortBy?: string; direction?: string } = decorated.options.sort ?? {};
  const firstSortable = decorated.getListProperties().find((property) => property.isSortable())?.name();
  const by = (typeof sortBy === 'string' && sortBy) || defaults.sortBy || firstSortable || resource.properties().find((p) => p.isId())?.name();
  if (!by) throw new Error(`resource ${resource.decorate().id()} has no property to sort by`);
  const wanted = (typeof direction === 'string' && direction) || defaults.direction || 'asc';
  return { sortBy: by, direction: wanted === 'asc' ? 'asc' : 'desc' };
}

/** Reads the list's filters, search and sort from its query string, the way AdminJS's list action does. */
export function parseListQuery(resource: BaseResource, flatQuery: Record<string, string>, currentAdmin?: CurrentAdmin): ListQuery {
  checkListQuery(resource, flatQuery);
  const raw = flat.unflatten<Record<string, string>, Record<string, unknown>>(flatQuery);
  const filters = (raw.filters && typeof raw.filters === 'object' ? raw.filters : {}) as Record<string, unknown>;
  const filter = new Filter(filters, resource);
  return { filter, sort: listSort(resource, raw.sortBy, raw.direction), raw, currentAdmin };
}

/** The list parameters of an AdminJS action request's query (the query string of the page the action was opened from). */
export function flatQueryOfAction(query: Record<string, unknown> | undefined): Record<string, string> {
  const flatQuery: Record<string, string> = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    if (typeof value === 'string' && !EXPORT_KEYS.has(key)) flatQuery[key] = value;
  }
  return flatQuery;
}
