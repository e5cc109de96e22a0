import { DataTypes, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { UserId } from '../../core/users/user-id.js';
import { userIdDataType } from '../../core/users/user-model.js';
import type { UserReference } from '../../core/users/user-reference.cjs';

/** Periods a budget counts over (all UTC): a day, a calendar month, or its user's subscription period. */
export const BUDGET_PERIODS = ['day', 'month', 'subscription'] as const;
/** What a budget does when a call does not fit: refuse it, or let it through with a warning. */
export const BUDGET_MODES = ['enforce', 'warn'] as const;

/** One row of ai_budgets (src/core/budgets keeps its counters; the panel edits the rows). */
export interface AIBudgetAttributes extends Model<InferAttributes<AIBudgetAttributes>, InferCreationAttributes<AIBudgetAttributes>> {
  id: CreationOptional<number>;
  name: string;
  /** Scope: only this user's calls; null = every user's (and system work). */
  userId: UserId | null;
  section: string | null;
  modelName: string | null;
  period: (typeof BUDGET_PERIODS)[number];
  /** Exact decimal string (numeric). */
  limitUsd: string | null;
  /** bigint, a string from pg. */
  limitTokens: string | null;
  /** Null only on a subscription's quota budget, whose mode is the subscription's. */
  mode: (typeof BUDGET_MODES)[number] | null;
  /** Set on the quota budget a subscription keeps (by trigger). */
  subscriptionId: number | null;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export type AIBudgetModel = ModelStatic<AIBudgetAttributes>;

/** The panel's model of ai_budgets; the table comes from its migration. */
export function defineBudgetModel(sequelize: Sequelize, users: UserReference): AIBudgetModel {
  return sequelize.define<AIBudgetAttributes>(
    'AIBudget',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: DataTypes.TEXT, allowNull: false },
      userId: { type: userIdDataType(users), allowNull: true },
      section: { type: DataTypes.TEXT, allowNull: true },
      modelName: { type: DataTypes.TEXT, allowNull: true },
      period: { type: DataTypes.TEXT, allowNull: false },
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
