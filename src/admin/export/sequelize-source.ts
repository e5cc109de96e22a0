import type { BaseResource } from 'adminjs';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FindOptions, ModelStatic } from 'sequelize';
import { USER_LOOKUP, userLookupJoinSql, userReferenceOf } from '../../core/users/user-sql.js';
import { ExportRequestError } from './errors.js';
import type { ExportSelect, ExportSource, ListQuery } from './types.js';
import { isUserField } from './user-fields.js';

/** The Sequelize model behind a resource of @adminjs/sequelize (or a subclass of its Resource), if it is one. */
export function sequelizeModelOf(resource: BaseResource): ModelStatic<any> | undefined {
  const model = (resource as unknown as { SequelizeModel?: ModelStatic<any> }).SequelizeModel;
  return model && typeof model.getTableName === 'function' ? model : undefined;
}

/** Attribute names of a model that are real columns (no VIRTUAL), the fields a SELECT can name. */
export function columnAttributes(model: ModelStatic<any>): string[] {
  return Object.entries(model.getAttributes())
    .filter(([, attribute]) => (attribute.type as { key?: string }).key !== 'VIRTUAL')
    .map(([name]) => name);
}

interface Capture {
  model: ModelStatic<any>;
  options?: FindOptions & { include?: unknown; order?: unknown };
}

/** Thrown by the capturing hook to stop the find before it reaches the database. */
class Captured extends Error {}

const capturing = new AsyncLocalStorage<Capture>();
const hooked = new WeakSet<ModelStatic<any>>();

/**
 * A `beforeFindAfterOptions` hook, inert except inside `captureFind`: there it records the options
 * findAll is about to turn into SQL (where and order already mapped to columns) and stops the query.
 */
function hookModel(model: ModelStatic<any>): void {
  if (hooked.has(model)) return;
  hooked.add(model);
  model.addHook('beforeFindAfterOptions', 'adminjs-export-capture', (options: FindOptions) => {
    const capture = capturing.getStore();
    if (!capture || capture.model !== model) return;
    capture.options = { ...options };
    throw new Captured();
  });
}

/** Runs the resource's own find for the list's query and returns the findAll options it would have queried with. */
async function captureFind(resource: BaseResource, model: ModelStatic<any>, query: ListQuery): Promise<Capture['options'] | 'nothing'> {
  const capture: Capture = { model };
  try {
    await capturing.run(capture, () => resource.find(query.filter, { limit: 1, offset: 0, sort: query.sort }));
  } catch (error) {
    if (error instanceof Captured) return capture.options;
    throw new ExportRequestError(`the list cannot apply this filter: ${(error as Error).message}`);
  }
  // find returned without querying: the resource decided that nothing can match (e.g. a malformed id).
  return 'nothing';
}

interface QueryGenerator {
  selectQuery(table: unknown, options: object, model: ModelStatic<any>): string;
  quoteTable(table: unknown): string;
  quoteIdentifier(name: string): string;
}

/** Adds the users join after the SELECT's FROM clause (the table as Sequelize aliases it, the model's name). */
function withUserJoin(sql: string, model: ModelStatic<any>, generator: QueryGenerator, userColumn: string): string {
  const from = `FROM ${generator.quoteTable(model.getTableName())} AS ${generator.quoteIdentifier(model.name)}`;
  const at = sql.indexOf(from);
  if (at < 0) throw new Error(`cannot join the users table to ${model.name}'s export: no "${from}" in its SELECT`);
  const join = userLookupJoinSql(userReferenceOf(model.sequelize!), `${generator.quoteIdentifier(model.name)}.${generator.quoteIdentifier(userColumn)}`);
  return `${sql.slice(0, at + from.length)} ${join}${sql.slice(at + from.length)}`;
}

/**
 * The SELECT behind a Sequelize resource's list, whatever its filter conversion: the resource's own
 * find() runs with the list's filter and sort, its findAll is stopped just before it queries, and
 * its options (the exact WHERE and ORDER BY the list uses) are rendered by Sequelize's own query
 * generator, with the chosen fields and without LIMIT/OFFSET. Works for stock @adminjs/sequelize
 * and for subclasses that build their own where (SafeSequelizeResource); a resource whose find does
 * not go through Model.findAll must be given its own ExportSource.
 */
export function sequelizeExportSource(resource: BaseResource, userField?: string): ExportSource {
  const model = sequelizeModelOf(resource);
  if (!model) throw new TypeError(`exportImportFeature: resource ${resource.decorate().id()} is not a @adminjs/sequelize resource: pass options.source`);
  hookModel(model);
  const attributes = model.getAttributes();
  const column = (name: string) => attributes[name]?.field ?? name;
  const generator = model.sequelize!.getQueryInterface().queryGenerator as QueryGenerator;
  const literal = (sql: string) => model.sequelize!.literal(sql);
  return {
    async select(query: ListQuery, fields: readonly string[]): Promise<ExportSelect> {
      const captured = await captureFind(resource, model, query);
      if (!captured) throw new Error(`resource ${resource.decorate().id()} does not list through Model.findAll (or turns hooks off): give exportImportFeature a source`);
      const joinUsers = userField !== undefined && fields.some(isUserField);
      const userColumn = (field: string) => literal(joinUsers ? `${USER_LOOKUP.alias}.${field === 'user.email' ? USER_LOOKUP.email : USER_LOOKUP.name}` : 'NULL::text');
      const selected = fields.map((field) => [isUserField(field) ? userColumn(field) : column(field), field]);
      const table = model.getTableName();
      if (captured === 'nothing') {
        const nothing = fields.map((field) => [isUserField(field) ? literal('NULL::text') : column(field), field]);
        return { sql: generator.selectQuery(table, { attributes: nothing, where: literal('FALSE'), model }, model).replace(/;$/, ''), bind: [] };
      }
      if (captured.include) throw new Error(`resource ${resource.decorate().id()} lists with includes (joins): give exportImportFeature a source`);
      const order = Array.isArray(captured.order) ? [...captured.order] : [];
      const key = column(model.primaryKeyAttribute);
      if (!order.some((item) => Array.isArray(item) && column(String(item[0])) === key)) order.push([key, 'ASC']);
      const options = { ...captured, attributes: selected, order, limit: undefined, offset: undefined, model };
      const sql = generator.selectQuery(table, options, model).replace(/;$/, '');
      return { sql: joinUsers ? withUserJoin(sql, model, generator, column(userField)) : sql, bind: [] };
    },
  };
}
