import { DataTypes, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { DataType } from 'sequelize';
import type { UserId } from '../users/user-id.js';

export interface SubscriptionAttributes extends Model<InferAttributes<SubscriptionAttributes>, InferCreationAttributes<SubscriptionAttributes>> {
  id: CreationOptional<number>;
  userId: ForeignKey<UserId>;
  plan: string;
  /** Tokens included in one period. */
  tokenQuota: number;
  /** Tokens debited by the tracker during the period (thinking included). bigint: a string from pg. */
  tokensUsed: CreationOptional<string>;
  /** USD debited during the period; exact decimal string. */
  costUsedUsd: CreationOptional<string>;
  periodStart: Date;
  periodEnd: Date;
  canceledAt: CreationOptional<Date | null>;
  /** The quota budget's mode for this subscription: enforce, warn or off; null follows AI_USAGE_QUOTA_MODE. */
  quotaMode: CreationOptional<'enforce' | 'warn' | 'off' | null>;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export type SubscriptionModel = ModelStatic<SubscriptionAttributes>;

export function defineSubscription(sequelize: Sequelize, userIdType: DataType = DataTypes.INTEGER): SubscriptionModel {
  return sequelize.define<SubscriptionAttributes>(
    'Subscription',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: userIdType, allowNull: false },
      plan: { type: DataTypes.TEXT, allowNull: false },
      tokenQuota: { type: DataTypes.BIGINT, allowNull: false, validate: { min: 0 } },
      tokensUsed: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      costUsedUsd: { type: DataTypes.DECIMAL, allowNull: false, defaultValue: 0 },
      periodStart: { type: DataTypes.DATE, allowNull: false },
      periodEnd: { type: DataTypes.DATE, allowNull: false },
      canceledAt: { type: DataTypes.DATE, allowNull: true },
      quotaMode: { type: DataTypes.TEXT, allowNull: true, validate: { isIn: [['enforce', 'warn', 'off']] } },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { tableName: 'subscriptions', underscored: true },
  );
}
