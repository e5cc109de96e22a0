import { DataTypes, type CreationOptional, type DataType, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { UserId } from '../users/user-id.js';

export const BUDGET_PERIODS = ['day', 'month', 'subscription'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];
export const BUDGET_MODES = ['enforce', 'warn'] as const;
export type BudgetMode = (typeof BUDGET_MODES)[number];

/** One row of ai_budgets: a limit on the calls in its scope (null columns match anything) per period. */
export interface AIBudgetAttributes extends Model<InferAttributes<AIBudgetAttributes>, InferCreationAttributes<AIBudgetAttributes>> {
  id: CreationOptional<number>;
  name: string;
  userId: CreationOptional<UserId | null>;
  section: CreationOptional<string | null>;
  modelName: CreationOptional<string | null>;
  period: BudgetPeriod;
  /** Exact decimal string. */
  limitUsd: CreationOptional<string | null>;
  /** bigint: a string from pg. */
  limitTokens: CreationOptional<string | null>;
  /** null only on a subscription's quota budget, whose mode is the subscription's quota_mode or the global default. */
  mode: CreationOptional<BudgetMode | null>;
  /** Set on the token quota budget a subscription gets automatically. */
  subscriptionId: CreationOptional<number | null>;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export type AIBudgetModel = ModelStatic<AIBudgetAttributes>;

export function defineAIBudget(sequelize: Sequelize, userIdType: DataType = DataTypes.INTEGER): AIBudgetModel {
  return sequelize.define<AIBudgetAttributes>(
    'AIBudget',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: DataTypes.TEXT, allowNull: false },
      userId: { type: userIdType, allowNull: true },
      section: { type: DataTypes.TEXT, allowNull: true },
      modelName: { type: DataTypes.TEXT, allowNull: true },
      period: { type: DataTypes.TEXT, allowNull: false, validate: { isIn: [[...BUDGET_PERIODS]] } },
      limitUsd: { type: DataTypes.DECIMAL, allowNull: true },
      limitTokens: { type: DataTypes.BIGINT, allowNull: true },
      mode: { type: DataTypes.TEXT, allowNull: true },
      subscriptionId: { type: DataTypes.INTEGER, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { tableName: 'ai_budgets', underscored: true },
  );
}
