import { Resource } from '@adminjs/sequelize';
import { BaseRecord, ForbiddenError, type CurrentAdmin, type Filter, type ParamsType, type RecordJSON } from 'adminjs';
import { literal, Op, type ModelStatic, type OrderItem, type WhereOptions } from 'sequelize';
import { userColumnSql, userReferenceOf } from '../core/users/user-sql.js';
import { escapeLike, isIdOf, safePage, type IdKind } from './ids.js';
import { checkFilterPath, checkSort, ListParamsError } from './list-params.js';
import { dayEnd, dayStart, DEFAULT_PANEL_TIME_ZONE, isDay, wallTimeIn } from './time/time-zone.js';

export interface SafeResourceOptions {
  /** String properties matched whole (ids, enums, values picked from a list); other strings match "contains", case-insensitively. */
  exact?: readonly string[];
  /** Refuse create, update and delete: for tables only the tracker writes. */
  readOnly?: boolean;
  /** Attributes never sent to the browser, in any record or response (password hashes). */
  hidden?: readonly string[];
  /** IANA zone in which a datetime filter's bare days are read (the panel's); default UTC. */
  timeZone?: string;
}

/** A record whose JSON (what the browser receives) never carries the resource's hidden attributes. */
class ScreenedRecord extends BaseRecord {
  constructor(params: ParamsType, private readonly screened: SafeSequelizeResource) {
    super(params, screened);
  }

  override toJSON(currentAdmin?: CurrentAdmin): RecordJSON {
    const json = super.toJSON(currentAdmin);
    return { ...json, params: this.screened.visibleParams(json.params) };
  }
}

type FindOptions = { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: 'asc' | 'desc' } };
const NOTHING = Symbol('matches nothing');
/** A reference filter's value for "no user" (see components/user-filter.tsx and the log's filters). */
export const SYSTEM_USER = 'system';

/**
 * `{ from, to }` of a date or datetime filter. Bare days are whole days, both ends inclusive: of
 * the calendar for a date, of `timeZone` for a datetime. A value that is not a date matches nothing.
 */
function rangeCondition(path: string, type: 'date' | 'datetime', value: unknown, timeZone: string): WhereOptions | typeof NOTHING | undefined {
  const { from, to } = (value && typeof value === 'object' ? value : {}) as { from?: unknown; to?: unknown };
  const bound = (raw: unknown, end: boolean): { op: symbol; value: unknown } | typeof NOTHING | undefined => {
    if (typeof raw !== 'string' || !raw.trim()) return undefined;
    const text = raw.trim();
    if (isDay(text)) {
      const moment = end ? dayEnd(text, timeZone) : dayStart(text, timeZone);
      if (!moment) return NOTHING;
      if (type === 'date') return { op: end ? Op.lte : Op.gte, value: text };
      return { op: end ? Op.lt : Op.gte, value: moment };
    }
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) return NOTHING;
    if (type === 'date') return { op: end ? Op.lte : Op.gte, value: date.toISOString().slice(0, 10) };
    return { op: end ? Op.lte : Op.gte, value: date };
  };
  const start = bound(from, false);
  const end = bound(to, true);
  if (start === NOTHING || end === NOTHING) return NOTHING;
  if (!start && !end) return undefined;
  const range: Record<symbol, unknown> = {};
  if (start) range[start.op] = start.value;
  if (end) range[end.op] = end.value;
  return { [path]: range };
}

/**
 * @adminjs/sequelize's resource with filters that are exact where they should be and never a 500:
 * strings match case-insensitively (ILIKE) unless listed as exact; an id or number that cannot be
 * one (a partial uuid, "abc" for an integer) matches nothing instead of reaching PostgreSQL; sort
 * keys must be real attributes.
 */
export class SafeSequelizeResource extends Resource {
  protected readonly model: ModelStatic<any>;
  private readonly exact: Set<string>;
  private readonly readOnly: boolean;
  private readonly hidden: readonly string[];
  /** Zone of bare days in datetime filters. */
  protected readonly timeZone: string;

  constructor(model: ModelStatic<any>, options: SafeResourceOptions = {}) {
    super(model as never);
    this.model = model;
    this.exact = new Set(options.exact ?? []);
    this.readOnly = options.readOnly ?? false;
    this.hidden = options.hidden ?? [];
    this.timeZone = options.timeZone ?? DEFAULT_PANEL_TIME_ZONE;
  }

  /** Params without the hidden attributes. */
  visibleParams(params: Record<string, any>): Record<string, any> {
    const visible = { ...params };
    for (const key of this.hidden) delete visible[key];
    return visible;
  }

  /** The AdminJS record of a model instance. */
  protected toRecord(row: { toJSON(): object }): BaseRecord {
    return new ScreenedRecord(this.visibleParams(row.toJSON()), this);
  }

  /** Records AdminJS builds from a form (new, edit) are screened too: the payload may hold a fresh hash. */
  override build(params: ParamsType): BaseRecord {
    return new ScreenedRecord(params, this);
  }

  private idKind(attribute: string): IdKind {
    const type = String(this.model.getAttributes()[attribute]?.type?.constructor?.name ?? '');
    if (type === 'UUID') return 'uuid';
    if (type === 'INTEGER' || type === 'BIGINT') return 'integer';
    return 'text';
  }

  /** A column's kind for a number or reference filter: an id kind, or a plain number (DECIMAL, REAL). */
  private numberKind(attribute: string): IdKind | 'number' {
    const type = String(this.model.getAttributes()[attribute]?.type?.constructor?.name ?? '');
    return type === 'STRING' || type === 'TEXT' || type === 'CITEXT' || type === 'UUID' || type === 'INTEGER' || type === 'BIGINT' ? this.idKind(attribute) : 'number';
  }

  /** Largest value of an integer column (a bigger one is a PostgreSQL error, not a miss). */
  private largestInteger(attribute: string): number {
    return this.model.getAttributes()[attribute]?.type?.constructor?.name === 'INTEGER' ? 2_147_483_647 : Number.MAX_SAFE_INTEGER;
  }

  /** Whether the resource is in an AdminJS panel (decorated): only then are its views known. */
  private get inPanel(): boolean {
    return Boolean((this as unknown as { _decorated?: unknown })._decorated);
  }

  private condition(path: string, value: unknown): WhereOptions | typeof NOTHING | undefined {
    if (this.inPanel) checkFilterPath(this, path);
    const property = this.property(path);
    if (!property) throw new ListParamsError(`cannot filter ${this.id()} by "${path}": no such field`);
    if (value === undefined || value === null || value === '') return undefined;
    const type = property.type();
    const ranged = type === 'date' || type === 'datetime';
    if (property.isArray() || type === 'mixed' || type === 'key-value' || (!ranged && typeof value === 'object')) {
      throw new ListParamsError(`cannot filter ${this.id()} by "${path}" with that value: give one value`);
    }
    if (typeof value === 'string' && value.includes('\0')) throw new ListParamsError(`filter "${path}" contains a NUL character`);
    const kind = this.idKind(path);
    switch (type) {
      case 'boolean':
        return value === 'true' || value === 'false' ? { [path]: value === 'true' } : NOTHING;
      case 'number':
      case 'float':
      case 'reference': {
        const text = String(value).trim();
        // The user filter's "No user (system)": rows without one.
        if (text === SYSTEM_USER && this.model.getAttributes()[path]?.allowNull !== false) return { [path]: null };
        const kind = this.numberKind(path);
        if (kind === 'uuid') return isIdOf('uuid', text) ? { [path]: text.toLowerCase() } : NOTHING;
        if (kind === 'text') return { [path]: text };
        if (kind === 'integer' && (!isIdOf('integer', text) || Number(text) > this.largestInteger(path))) return NOTHING;
        return text && Number.isFinite(Number(text)) ? { [path]: Number(text) } : NOTHING;
      }
      case 'date':
      case 'datetime':
        if (typeof value !== 'object') throw new ListParamsError(`filter "${path}" takes a range: ${path}~~from and/or ${path}~~to`);
        return rangeCondition(path, type, value, this.timeZone);
      default: {
        const text = String(value);
        if (kind === 'uuid') return isIdOf('uuid', text) ? { [path]: text.toLowerCase() } : NOTHING;
        return this.exact.has(path) ? { [path]: text } : { [path]: { [Op.iLike]: `%${escapeLike(text)}%` } };
      }
    }
  }

  /** The WHERE of an AdminJS filter, or NOTHING when a value cannot match. */
  protected where(filter: Filter | undefined): WhereOptions | typeof NOTHING {
    const conditions: WhereOptions[] = [];
    for (const { path, value } of Object.values(filter?.filters ?? {})) {
      const condition = this.condition(path, value);
      if (condition === NOTHING) return NOTHING;
      if (condition) conditions.push(condition);
    }
    return { [Op.and]: conditions };
  }

  /** The WHERE of an AdminJS filter as Sequelize options, or null when a value cannot match (for queries of a feature: counts, exports). */
  whereOf(filter: Filter | undefined): WhereOptions | null {
    const where = this.where(filter);
    return where === NOTHING ? null : where;
  }

  override async count(filter: Filter): Promise<number> {
    const where = this.where(filter);
    return where === NOTHING ? 0 : this.model.count({ where });
  }

  override async find(filter: Filter, { limit = 20, offset = 0, sort = {} }: FindOptions): Promise<BaseRecord[]> {
    const where = this.where(filter);
    if (where === NOTHING) return [];
    if (this.inPanel) checkSort(this, sort.sortBy, sort.direction);
    const key = this.primaryKey();
    const sortBy = sort.sortBy && this.model.getAttributes()[sort.sortBy] ? sort.sortBy : key;
    const direction = sort.direction === 'desc' ? 'DESC' : 'ASC';
    const order: OrderItem[] = sortBy === key ? [[key, direction]] : [...this.byUserName(sortBy, direction), [sortBy, direction], [key, direction]];
    const rows = await this.model.findAll({ where, ...safePage(limit, offset), order });
    return rows.map((row) => this.toRecord(row));
  }

  /** A column pointing at the panel's users sorts by the user's name first (system rows last), not by the id. */
  private byUserName(sortBy: string, direction: 'ASC' | 'DESC'): OrderItem[] {
    const users = userReferenceOf(this.model.sequelize!);
    const reference = this.inPanel ? this.decorate().getPropertyByKey(sortBy)?.referenceName() : undefined;
    const field = this.model.getAttributes()[sortBy]?.field;
    if (!reference || reference !== users.resourceId || !users.nameColumn || !field) return [];
    return [[literal(userColumnSql(users, 'name', `"${this.model.name}"."${field}"`)), `${direction} NULLS LAST`]];
  }

  override async findOne(id: unknown): Promise<BaseRecord | null> {
    if (!isIdOf(this.idKind(this.primaryKey()), String(id))) return null;
    const row = await this.model.findByPk(String(id));
    return row ? this.toRecord(row) : null;
  }

  override async findMany(ids: unknown[]): Promise<BaseRecord[]> {
    const valid = ids.map(String).filter((id) => isIdOf(this.idKind(this.primaryKey()), id));
    if (!valid.length) return [];
    const rows = await this.model.findAll({ where: { [this.primaryKey()]: { [Op.in]: valid } } });
    return rows.map((row) => this.toRecord(row));
  }

  /** Datetimes typed on the panel zone's wall clock (sent without an offset) as the moments they name there. */
  private zoned(params: ParamsType): ParamsType {
    const zoned = { ...params };
    for (const [key, value] of Object.entries(params)) {
      if (typeof value !== 'string' || this.property(key)?.type() !== 'datetime') continue;
      const moment = wallTimeIn(value, this.timeZone);
      if (moment) zoned[key] = moment;
    }
    return zoned;
  }

  override async create(params: ParamsType): Promise<ParamsType> {
    this.refuseWrites();
    return this.visibleParams(await super.create(this.zoned(params)));
  }

  override async update(id: unknown, params: ParamsType): Promise<ParamsType> {
    this.refuseWrites();
    return this.visibleParams(await super.update(id, this.zoned(params)));
  }

  override async delete(id: unknown): Promise<void> {
    this.refuseWrites();
    return super.delete(id);
  }

  private refuseWrites(): void {
    if (!this.readOnly) return;
    const message = `${this.name()} is read-only: only the tracker writes it`;
    throw Object.assign(new ForbiddenError(message), { message });
  }
}
