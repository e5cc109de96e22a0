import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

/** A spooled event whose replay kept failing on its own merits (ai_usage_dead_letters, written by the spool's drainer). */
export type DeadLetterModel = ModelStatic<Model>;

/** The model of ai_usage_dead_letters, defined once per Sequelize instance. */
export function defineDeadLetterModel(sequelize: Sequelize): DeadLetterModel {
  if (sequelize.models.AIUsageDeadLetter) return sequelize.models.AIUsageDeadLetter as DeadLetterModel;
  return sequelize.define(
    'AIUsageDeadLetter',
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      payload: { type: DataTypes.JSONB, allowNull: false },
      reason: { type: DataTypes.TEXT, allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false },
      spooledAt: { type: DataTypes.DATE, allowNull: false },
      deadAt: { type: DataTypes.DATE, allowNull: false },
      replayedAt: { type: DataTypes.DATE },
      replayError: { type: DataTypes.TEXT },
    },
    { tableName: 'ai_usage_dead_letters', underscored: true, timestamps: false },
  );
}
