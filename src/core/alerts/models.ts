import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

/** Sequelize models of the alert tables, for the panel (the evaluator speaks SQL). */
export interface AlertModels {
  AlertRule: ModelStatic<Model>;
  Alert: ModelStatic<Model>;
  AlertDelivery: ModelStatic<Model>;
}

const timestamps = { createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE };

export function defineAlertModels(sequelize: Sequelize): AlertModels {
  const AlertRule = sequelize.define(
    'AlertRule',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: DataTypes.TEXT, allowNull: false },
      metric: { type: DataTypes.TEXT, allowNull: false },
      window: { type: DataTypes.TEXT, allowNull: false },
      threshold: { type: DataTypes.DECIMAL, allowNull: false },
      scopeUserEmail: DataTypes.TEXT,
      scopeSection: DataTypes.TEXT,
      scopeModel: DataTypes.TEXT,
      spikeVs: DataTypes.TEXT,
      spikeFactor: DataTypes.DECIMAL,
      webhookUrl: DataTypes.TEXT,
      webhookSecret: DataTypes.TEXT,
      emailRecipients: { type: DataTypes.ARRAY(DataTypes.TEXT), allowNull: false, defaultValue: [] },
      enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      source: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'panel' },
      ...timestamps,
    },
    { tableName: 'ai_usage_alert_rules', underscored: true },
  );
  const Alert = sequelize.define(
    'Alert',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      ruleId: DataTypes.INTEGER,
      ruleName: DataTypes.TEXT,
      metric: DataTypes.TEXT,
      window: DataTypes.TEXT,
      scope: DataTypes.JSONB,
      value: DataTypes.DECIMAL,
      threshold: DataTypes.DECIMAL,
      baseline: DataTypes.DECIMAL,
      windowStart: DataTypes.DATE,
      windowEnd: DataTypes.DATE,
      windowKey: DataTypes.TEXT,
      crossing: DataTypes.INTEGER,
      triggeredAt: DataTypes.DATE,
      recoveredAt: DataTypes.DATE,
      acknowledgedAt: DataTypes.DATE,
      acknowledgedBy: DataTypes.TEXT,
    },
    { tableName: 'ai_usage_alerts', underscored: true, timestamps: false },
  );
  const AlertDelivery = sequelize.define(
    'AlertDelivery',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      alertId: DataTypes.BIGINT,
      channel: DataTypes.TEXT,
      target: DataTypes.TEXT,
      status: DataTypes.TEXT,
      attempts: DataTypes.INTEGER,
      responseStatus: DataTypes.INTEGER,
      lastError: DataTypes.TEXT,
      deliveredAt: DataTypes.DATE,
      ...timestamps,
    },
    { tableName: 'ai_usage_alert_deliveries', underscored: true },
  );
  return { AlertRule, Alert, AlertDelivery };
}
