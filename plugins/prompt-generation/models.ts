import { DataTypes, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { DataType } from 'sequelize';
import type { UserId } from '../../src/core/index.js';

export type GenerationStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface PromptGenerationAttributes extends Model<InferAttributes<PromptGenerationAttributes>, InferCreationAttributes<PromptGenerationAttributes>> {
  id: CreationOptional<string>;
  userId: UserId;
  businessType: string;
  tone: string;
  language: string;
  audience: CreationOptional<string | null>;
  instructions: CreationOptional<string | null>;
  status: GenerationStatus;
  isAsync: CreationOptional<boolean>;
  /** pg-boss job id of an async generation. */
  jobId: CreationOptional<string | null>;
  /** The generated system prompt. */
  output: CreationOptional<string | null>;
  errorMessage: CreationOptional<string | null>;
  attempts: CreationOptional<number>;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export type PromptGenerationModel = ModelStatic<PromptGenerationAttributes>;

export function definePromptGeneration(sequelize: Sequelize, userIdType: DataType = DataTypes.INTEGER): PromptGenerationModel {
  const text = (max: number, allowNull = false) => ({ type: DataTypes.TEXT, allowNull, validate: { len: [allowNull ? 0 : 1, max] as [number, number] } });
  return sequelize.define<PromptGenerationAttributes>(
    'PromptGeneration',
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      userId: { type: userIdType, allowNull: false },
      businessType: text(120),
      tone: text(60),
      language: text(60),
      audience: text(200, true),
      instructions: text(2000, true),
      status: { type: DataTypes.TEXT, allowNull: false, validate: { isIn: [['queued', 'running', 'completed', 'failed']] } },
      isAsync: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      jobId: { type: DataTypes.TEXT, allowNull: true },
      output: { type: DataTypes.TEXT, allowNull: true },
      errorMessage: { type: DataTypes.TEXT, allowNull: true },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { tableName: 'prompt_generations', underscored: true },
  );
}
