import { DataTypes, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { DataType } from 'sequelize';
import type { UserId } from '../users/user-id.js';

/** One AI request (attempt). Written only by the tracker, never updated. */
export interface AIUsageLogAttributes extends Model<InferAttributes<AIUsageLogAttributes>, InferCreationAttributes<AIUsageLogAttributes>> {
  id: string;
  userId: UserId | null;
  section: string;
  modelName: string;
  promptTokens: number;
  completionTokens: number;
  thoughtsTokens: number;
  cachedTokens: number;
  totalTokens: number;
  responseTimeMs: number;
  success: boolean;
  errorMessage: string | null;
  metadata: Record<string, unknown>;
  /** Exact decimal string; null exactly when costStatus is `unpriced`. */
  costUsd: string | null;
  costStatus: 'priced' | 'unpriced' | 'not_billed';
  toolUsePromptTokens: number;
  groundingQueries: number;
  serviceTier: 'standard' | 'flex' | 'batch' | 'priority';
  /** Token counts by modality: { prompt, cache, candidates, toolUse } each { TEXT: n, AUDIO: n, ... }. */
  usageDetails: Record<string, Record<string, number>> | null;
  /** The ai_model_prices row the cost was computed with. */
  priceId: number | null;
  createdAt: Date;
}

export type AIUsageLogModel = ModelStatic<AIUsageLogAttributes>;

export function defineAIUsageLog(sequelize: Sequelize, userIdType: DataType = DataTypes.INTEGER): AIUsageLogModel {
  return sequelize.define<AIUsageLogAttributes>(
    'AIUsageLog',
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      userId: { type: userIdType, allowNull: true },
      section: { type: DataTypes.TEXT, allowNull: false },
      modelName: { type: DataTypes.TEXT, allowNull: false },
      promptTokens: { type: DataTypes.INTEGER, allowNull: false },
      completionTokens: { type: DataTypes.INTEGER, allowNull: false },
      thoughtsTokens: { type: DataTypes.INTEGER, allowNull: false },
      cachedTokens: { type: DataTypes.INTEGER, allowNull: false },
      totalTokens: { type: DataTypes.INTEGER, allowNull: false },
      responseTimeMs: { type: DataTypes.INTEGER, allowNull: false },
      success: { type: DataTypes.BOOLEAN, allowNull: false },
      errorMessage: { type: DataTypes.TEXT, allowNull: true },
      metadata: { type: DataTypes.JSONB, allowNull: false },
      costUsd: { type: DataTypes.DECIMAL, allowNull: true },
      costStatus: { type: DataTypes.TEXT, allowNull: false },
      toolUsePromptTokens: { type: DataTypes.INTEGER, allowNull: false },
      groundingQueries: { type: DataTypes.INTEGER, allowNull: false },
      serviceTier: { type: DataTypes.TEXT, allowNull: false },
      usageDetails: { type: DataTypes.JSONB, allowNull: true },
      priceId: { type: DataTypes.INTEGER, allowNull: true },
      createdAt: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'ai_usage_logs', underscored: true, updatedAt: false },
  );
}
