import { DataTypes, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { DataType } from 'sequelize';
import type { UserId } from '../users/user-id.js';

/** A per-user bearer token for the JSON API; only its SHA-256 is stored. */
export interface ApiTokenAttributes extends Model<InferAttributes<ApiTokenAttributes>, InferCreationAttributes<ApiTokenAttributes>> {
  id: CreationOptional<number>;
  userId: ForeignKey<UserId>;
  name: CreationOptional<string>;
  tokenHash: string;
  /** First characters of the token, to recognise it in the panel. */
  tokenPrefix: string;
  lastUsedAt: CreationOptional<Date | null>;
  expiresAt: CreationOptional<Date | null>;
  revokedAt: CreationOptional<Date | null>;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export type ApiTokenModel = ModelStatic<ApiTokenAttributes>;

export function defineApiToken(sequelize: Sequelize, userIdType: DataType = DataTypes.INTEGER): ApiTokenModel {
  return sequelize.define<ApiTokenAttributes>(
    'ApiToken',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: userIdType, allowNull: false },
      name: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'default' },
      tokenHash: { type: DataTypes.TEXT, allowNull: false },
      tokenPrefix: { type: DataTypes.TEXT, allowNull: false },
      lastUsedAt: { type: DataTypes.DATE, allowNull: true },
      expiresAt: { type: DataTypes.DATE, allowNull: true },
      revokedAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { tableName: 'api_tokens', underscored: true },
  );
}
