/** Where the ledger's user ids point. */
export interface UserReferenceOptions {
  /** The host's users table (optionally schema.table); omit when the users live where the database cannot reference them (no foreign keys, no names). */
  table?: string | null;
  /** Type of the users' primary key. Default integer. */
  idType?: 'integer' | 'uuid' | 'text';
  /** Primary key column. Default id. */
  idColumn?: string;
  /** Column shown as the user's name in the panel and searched by the search box. */
  nameColumn?: string | null;
  /** Email column, shown and searched. */
  emailColumn?: string | null;
  /** Id of your AdminJS resource of these users (in your own panel): user ids in the ledger link to its records. */
  resourceId?: string | null;
}

export interface UserReference {
  /** Our own users table (created by our migrations, with logins and roles). */
  readonly own: boolean;
  readonly table: string | null;
  readonly idType: 'integer' | 'uuid' | 'text';
  readonly idColumn: string;
  readonly nameColumn: string | null;
  readonly emailColumn: string | null;
  /** AdminJS resource the panel links user ids to; null: no links. */
  readonly resourceId: string | null;
}

export declare const OWN_USERS: UserReference;
export declare function resolveUserReference(options?: UserReferenceOptions | UserReference | null, env?: NodeJS.ProcessEnv): UserReference;
export declare function quoted(name: string): string;
export declare function userForeignKey(users: UserReference, onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL'): string;
