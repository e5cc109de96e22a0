import { DataTypes, type DataType, type ModelAttributes, type Sequelize } from 'sequelize';
import { defineUser, type UserModel } from '../models/user.js';
import type { UserReference } from './user-reference.cjs';

/** The Sequelize type of a user_id column for these users. */
export function userIdDataType(users: UserReference): DataType {
  return users.idType === 'uuid' ? DataTypes.UUID : users.idType === 'text' ? DataTypes.TEXT : DataTypes.INTEGER;
}

function tableOf(name: string): { tableName: string; schema?: string } {
  const [first, second] = name.split('.');
  return second ? { schema: first!, tableName: second } : { tableName: first! };
}

/**
 * The User model over the configured users: ours (logins, roles) or a read-only view of the host's
 * table, with its id, name and email columns mapped to `id`, `username` and `email`.
 */
export function defineUserModel(sequelize: Sequelize, users: UserReference): UserModel {
  if (users.own) return defineUser(sequelize);
  const attributes: ModelAttributes = { id: { type: userIdDataType(users), primaryKey: true, field: users.idColumn } };
  if (users.nameColumn) attributes.username = { type: DataTypes.TEXT, field: users.nameColumn };
  if (users.emailColumn) attributes.email = { type: DataTypes.TEXT, field: users.emailColumn };
  // A host table unknown to us (table null) is never queried: every path checks `users.table` first.
  return sequelize.define('User', attributes, { ...tableOf(users.table ?? 'ai_usage_host_users'), timestamps: false }) as unknown as UserModel;
}
