import type { BaseResource, ComponentLoader, CurrentAdmin, Filter } from 'adminjs';
import type { ModelStatic } from 'sequelize';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'ndjson', 'json'] as const;
/** csv: RFC 4180; xlsx: a typed spreadsheet; ndjson: one JSON object a line; json: one JSON array. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const IMPORT_MODES = ['atomic', 'per-row'] as const;
/** atomic: every row or none (one transaction); per-row: good rows are kept, bad rows reported. */
export type ImportMode = (typeof IMPORT_MODES)[number];

/** What the list shows, as the list's own query string says it: the export reproduces exactly this. */
export interface ListQuery {
  /** AdminJS filter built from `filters.*`, the same object the list action passes to resource.find(). */
  filter: Filter;
  sort: { sortBy: string; direction: 'asc' | 'desc' };
  /** The whole unflattened query string (search box and any custom parameters a resource reads). */
  raw: Record<string, unknown>;
  currentAdmin?: CurrentAdmin;
}

/** One SELECT producing the rows of an export, with one output column per field, aliased by the field's path. */
export interface ExportSelect {
  sql: string;
  /** Values of $1, $2, ... in `sql`. */
  bind: unknown[];
}

/**
 * Turns the list's query into the SELECT the export streams. A resource with its own filtering or
 * search (a custom adapter) supplies one, so that the export matches its list; stock
 * @adminjs/sequelize resources get `sequelizeExportSource`.
 */
export interface ExportSource {
  select(query: ListQuery, fields: readonly string[]): ExportSelect | Promise<ExportSelect>;
}

export interface ImportOptions {
  /** Default mode of an import. Default 'atomic'. */
  mode?: ImportMode;
  /** Whether the admin may choose 'per-row' instead of the default mode. Default false. */
  allowPerRow?: boolean;
  /** Most rows one file may hold. Default 100,000. */
  maxRows?: number;
  /** Largest accepted upload in bytes. Default 50 MB. */
  maxFileBytes?: number;
  /** Fields an import may write; defaults to the exportable fields. The primary key is always accepted. */
  fields?: string[];
  /** Sequelize model to validate and write rows with; defaults to the @adminjs/sequelize resource's model. */
  model?: ModelStatic<any>;
}

/** The fields ticked by default for a list query, given the default ones (the list's columns). */
export type DefaultFields = (query: ListQuery, listFields: readonly string[]) => string[];

export interface ExportImportFeatureOptions {
  /** The application's ComponentLoader: the feature registers its export and import components on it. */
  componentLoader: ComponentLoader;
  /** Fields ticked by default in the export dialog; default: the resource's list properties. A function gets the list's query and those defaults (e.g. to tick the error message when the list shows failures). */
  fields?: string[] | DefaultFields;
  /** Spreadsheet headers (CSV, XLSX) where the panel's label would misdescribe the exported value; default: the panel's labels. */
  labels?: Record<string, string>;
  /** Field holding a user id: the export offers the user's name and email (`user.username`, `user.email`), joined from the users table. Default 'userId' when the resource has it; false: none. */
  userField?: string | false;
  /** Fields offered for export; default: every property visible on the show page that the source can select. */
  exportableFields?: string[];
  /** Formats offered; default all of EXPORT_FORMATS. */
  formats?: ExportFormat[];
  /** Where export rows come from; default: the SELECT @adminjs/sequelize would run for the list. */
  source?: ExportSource | ((resource: BaseResource) => ExportSource);
  /** Whether viewers may export; admins always may. Default true. */
  viewerMayExport?: boolean;
  /** Import for admins (never viewers), with its options; false turns it off. Default true; it also needs the resource's new/edit actions. */
  import?: boolean | ImportOptions;
  /** Rows fetched from the database cursor per round trip. Default 1,000 (see settings.ts). */
  batchSize?: number;
  /** Base path of the streaming export router (createExportRouter), as the browser sees it. Default '/admin/export'. */
  routePath?: string;
  /** Where unexpected import failures are reported (the admin sees an error notice). Default console.error. */
  logError?: (message: string, error: unknown) => void;
}

/** Progress of one running or finished export, as the progress endpoint reports it. */
export interface ExportProgress {
  exportId: string;
  resourceId: string;
  format: ExportFormat;
  rows: number;
  /** `refused`: a cap on concurrent exports was reached (`error` says which); nothing was exported. */
  state: 'running' | 'done' | 'cancelled' | 'failed' | 'refused';
  /** The export is paused until the client reads what it was sent (a slow download). */
  waitingForClient: boolean;
  error?: string;
}
