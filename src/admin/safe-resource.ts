import { Resource } from '@adminjs/sequelize';
import { BaseRecord, ForbiddenError, type CurrentAdmin, type Filter, type ParamsType, type RecordJSON } from 'adminjs';
import { Op, type ModelStatic, type WhereOptions } from 'sequelize';
import { escapeLike, isIdOf, safePage, type IdKind } from './ids.js';

export interface SafeResourceOptions {
  /** String properties matched whole (ids, enums, values picked from a list); other strings match "contains", case-insensitively. */
  exact?: readonly string[];
  /** Refuse create, update and delete: for tables only the tracker writes. */
  readOnly?: boolean;
  /** Attributes never sent to the browser, in any record or response (password hashes). */
  hidden?: readonly string[];
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

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `{ from, to }` of a date or datetime filter. A datetime "to" given as a bare day takes in that
 * whole day; a value that is not a date matches nothing.
 */
function rangeCondition(path: string, type: 'date' | 'datetime', value: unknown): WhereOptions | typeof NOTHING | undefined {
  const { from, to } = (value && typeof value === 'object' ? value : {}) as { from?: unknown; to?: unknown };
  const parse = (raw: unknown) => {
    if (typeof raw !== 'string' || !raw.trim()) return undefined;
    const date = new Date(DATE_ONLY.test(raw) ? `${raw}T00:00:00.000Z` : raw);
    return Number.isNaN(date.getTime()) ? NOTHING : date;
  };
  const start = parse(from);
  const end = parse(to);
  if (start === NOTHING || end === NOTHING) return NOTHING;
  if (!start && !end) return undefined;
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const range: Record<symbol, unknown> = {};
  if (start) range[Op.gte] = type === 'date' ? day(start) : start;
  if (end && type === 'date') range[Op.lte] = day(end);
  else if (end && DATE_ONLY.test(String(to))) range[Op.lt] = new Date(end.getTime() + 86_400_000);
  else if (end) range[Op.lte] = end;
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

  constructor(model: ModelStatic<any>, options: SafeResourceOptions = {}) {
    super(model as never);
    this.model = model;
    this.exact = new Set(options.exact ?? []);
    this.readOnly = options.readOnly ?? false;
    this.hidden = options.hidden ?? [];
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

  private condition(path: string, value: unknown): WhereOptions | typeof NOTHING | undefined {
    const property = this.property(path);
    if (!property || value === undefined || value === null || value === '') return undefined;
    const kind = this.idKind(path);
    switch (property.type()) {
      case 'boolean':
        return value === 'true' || value === 'false' ? { [path]: value === 'true' } : NOTHING;
      case 'number':
      case 'float':
      case 'reference':
        if (kind === 'integer' && !isIdOf('integer', String(value))) return NOTHING;
        return Number.isFinite(Number(value)) ? { [path]: Number(value) } : NOTHING;
      case 'date':
      case 'datetime':
        return rangeCondition(path, property.type() as 'date' | 'datetime', value);
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

  override async count(filter: Filter): Promise<number> {
    const where = this.where(filter);
    return where === NOTHING ? 0 : this.model.count({ where });
  }

  override async find(filter: Filter, { limit = 20, offset = 0, sort = {} }: FindOptions): Promise<BaseRecord[]> {
    const where = this.where(filter);
    if (where === NOTHING) return [];
    const key = this.primaryKey();
    const sortBy = sort.sortBy && this.model.getAttributes()[sort.sortBy] ? sort.sortBy : key;
    const direction = sort.direction === 'desc' ? 'DESC' : 'ASC';
    const rows = await this.model.findAll({ where, ...safePage(limit, offset), order: sortBy === key ? [[key, direction]] : [[sortBy, direction], [key, direction]] });
    return rows.map((row) => this.toRecord(row));
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

  override async create(params: ParamsType): Promise<ParamsType> {
    this.refuseWrites();
    return this.visibleParams(await super.create(params));
  }

  override async update(id: unknown, params: ParamsType): Promise<ParamsType> {
    this.refuseWrites();
    return this.visibleParams(await super.update(id, params));
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
