import { DataTypes, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { DataType } from 'sequelize';
import type { UserId } from '../users/user-id.js';

/** Daily aggregate per (user, UTC day, section, model); kept equal to the sum of the logs by the tracker. */
export interface AIUsageTrackingAttributes extends Model<InferAttributes<AIUsageTrackingAttributes>, InferCreationAttributes<AIUsageTrackingAttributes>> {
  id: string;
  userId: UserId | null;
  date: string;
  section: string;
  modelName: string;
  // bigint sums arrive from pg as strings.
  requestCount: string;
  successCount: string;
  failureCount: string;
  /** Requests recorded without a price (cost null): their money is not in costUsd until repriced. */
  unpricedRequestCount: string;
  promptTokens: string;
  completionTokens: string;
  thoughtsTokens: string;
  cachedTokens: string;
  toolUsePromptTokens: string;
  groundingQueries: string;
  totalTokens: string;
  totalResponseTimeMs: string;
  costUsd: string;
  createdAt: Date;
  updatedAt: Date;
}

export type AIUsageTrackingModel = ModelStatic<AIUsageTrackingAttributes>;

export function defineAIUsageTracking(sequelize: Sequelize, userIdType: DataType = DataTypes.INTEGER): AIUsageTrackingModel {
  // A fresh object per column: Sequelize writes each attribute's name into its definition.
  const sum = () => ({ type: DataTypes.BIGINT, allowNull: false });
  return sequelize.define<AIUsageTrackingAttributes>(
    'AIUsageTracking',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      userId: { type: userIdType, allowNull: true },
      date: { type: DataTypes.DATEONLY, allowNull: false },
      section: { type: DataTypes.TEXT, allowNull: false },
      modelName: { type: DataTypes.TEXT, allowNull: false },
      requestCount: sum(),
      successCount: sum(),
      failureCount: sum(),
      unpricedRequestCount: sum(),
      promptTokens: sum(),
      completionTokens: sum(),
      thoughtsTokens: sum(),
      cachedTokens: sum(),
      toolUsePromptTokens: sum(),
      groundingQueries: sum(),
      totalTokens: sum(),
      totalResponseTimeMs: sum(),
      costUsd: { type: DataTypes.DECIMAL, allowNull: false },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { tableName: 'ai_usage_tracking', underscored: true },
  );
}
