import type AdminJS from 'adminjs';
import { Filter, flat, type Action, type ActionDecorator, type ActionRequest, type ActionResponse, type BaseResource, type Before } from 'adminjs';

/** A list request asked for what it may not (a hidden or unknown field, a malformed sort or page): answered 400 with this message. */
export class ListParamsError extends Error {
  override name = 'ListParamsError';
  readonly status = 400;
}

/**
 * A resource whose own find reads filter keys besides its properties (a search box, a quick date
 * range) lists every key it honours here; any other key is refused rather than silently ignored.
 */
export interface DeclaresFilterKeys {
  filterKeys(): readonly string[];
}

/** Largest page AdminJS's list serves (its PER_PAGE_LIMIT). */
const MAX_PER_PAGE = 500;
const WHOLE_NUMBER = /^\d{1,9}$/;

function declaredFilterKeys(resource: BaseResource): ReadonlySet<string> | undefined {
  const declares = (resource as Partial<DeclaresFilterKeys>).filterKeys;
  return typeof declares === 'function' ? new Set(declares.call(resource)) : undefined;
}

/**
 * Fields shown in the list or on a record's page: the only ones a list may sort or be exported by.
 * A property hidden from both (a password or token hash, an embedding) is never an oracle.
 */
export function shownPaths(resource: BaseResource): Set<string> {
  const decorated = resource.decorate();
  const shown = new Set((['list', 'show'] as const).flatMap((view) => decorated.getProperties({ where: view }).map((property) => property.propertyPath)));
  // The record id is in every record's link and JSON: never hidden.
  const key = resource.properties().find((property) => property.isId())?.path();
  if (key) shown.add(key);
  return shown;
}

/** The resource's id in the panel (its URL), for messages. */
const panelId = (resource: BaseResource) => resource.decorate().id();

/** Refuses a filter on a field the panel does not show (list or show) or the resource cannot apply. */
export function checkFilterPath(resource: BaseResource, path: string): void {
  const declared = declaredFilterKeys(resource);
  const applies = declared ? declared.has(path) : Boolean(resource.property(path));
  // A declared key that is no property (a search box, a quick range) filters by shown fields only.
  const shown = shownPaths(resource).has(path) || (declared?.has(path) && !resource.property(path));
  if (!applies || !shown) throw new ListParamsError(`cannot filter ${panelId(resource)} by "${path}": not a field of its list`);
}

/** Refuses a sort by a field that is not shown or not sortable, and a direction other than asc or desc. */
export function checkSort(resource: BaseResource, sortBy: unknown, direction: unknown): void {
  if (sortBy !== undefined && sortBy !== '') {
    const property = resource.decorate().getPropertyByKey(String(sortBy));
    if (typeof sortBy !== 'string' || !property || !property.isSortable() || property.type() === 'mixed' || !shownPaths(resource).has(sortBy) || !resource.property(sortBy)) {
      throw new ListParamsError(`cannot sort ${panelId(resource)} by "${String(sortBy)}": not a sortable field of its list`);
    }
  }
  if (direction !== undefined && direction !== '' && direction !== 'asc' && direction !== 'desc') {
    throw new ListParamsError('direction must be asc or desc');
  }
}

function checkWhole(name: string, value: unknown, max: number): void {
  if (value === undefined || value === '') return;
  if (typeof value !== 'string' || !WHOLE_NUMBER.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new ListParamsError(`${name} must be a whole number from 1 to ${max}`);
  }
}

/** The top-level filter paths of a `filters` object, as AdminJS's Filter reads them (`createdAt~~from` is createdAt). */
export function filterPathsOf(filters: unknown): string[] {
  if (!filters || typeof filters !== 'object') return [];
  return Object.keys(Filter.normalizeKeys(filters as Record<string, unknown>));
}

/**
 * The one check of a list's query string (list, search, statistics, export): filters only on
 * fields the panel shows and the resource applies, sort likewise, direction, page and perPage
 * well-formed, the search action's `searchProperty` a shown field. Throws ListParamsError.
 */
export function checkListQuery(resource: BaseResource, query: Record<string, unknown> | undefined): void {
  const raw = flat.unflatten<Record<string, unknown>, Record<string, unknown>>(query ?? {});
  if (raw.filters !== undefined && (typeof raw.filters !== 'object' || raw.filters === null)) throw new ListParamsError('filters must be given as filters.<field>=<value>');
  for (const path of filterPathsOf(raw.filters)) checkFilterPath(resource, path);
  checkSort(resource, raw.sortBy, raw.direction);
  checkWhole('page', raw.page, 1_000_000_000);
  checkWhole('perPage', raw.perPage, MAX_PER_PAGE);
  if (raw.searchProperty !== undefined) {
    if (typeof raw.searchProperty !== 'string' || !shownPaths(resource).has(raw.searchProperty)) {
      throw new ListParamsError(`cannot search ${panelId(resource)} by "${String(raw.searchProperty)}": not a field of its list`);
    }
  }
}

/** Actions that read a list's query string: the list, the reference pickers' search, and read-only resource actions (statistics, export). */
function readsListQuery(decorator: ActionDecorator): boolean {
  return decorator.name === 'list' || decorator.name === 'search' || (decorator.isResourceType() && decorator.custom()?.readOnly === true);
}

/**
 * Checks the list query of every list-reading action of every resource (core, plugins', features')
 * before AdminJS runs it: a ListParamsError reaches the panel's error handler as a 400 with its message.
 */
export function enforceListParams(admin: AdminJS): void {
  for (const resource of admin.resources) {
    for (const decorator of Object.values(resource.decorate().actions)) {
      if (!readsListQuery(decorator)) continue;
      const action = (decorator as unknown as { action: Action<ActionResponse> }).action;
      const check: Before = (request: ActionRequest) => {
        checkListQuery(resource, request.query);
        if (decorator.name === 'search' && request.params?.query) {
          const searched = request.query?.searchProperty ?? resource.decorate().titleProperty()?.name();
          if (typeof searched === 'string') checkFilterPath(resource, searched);
        }
        return request;
      };
      action.before = [check, ...[action.before ?? []].flat()];
    }
  }
}
