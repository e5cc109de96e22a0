import type { Sequelize } from 'sequelize';
import { defineAIUsageLog, type AIUsageLogModel } from './ai-usage-log.js';
import { defineApiToken, type ApiTokenModel } from './api-token.js';
import { defineAIUsageTracking, type AIUsageTrackingModel } from './ai-usage-tracking.js';
import { defineSubscription, type SubscriptionModel } from './subscription.js';
import { defineUser, type UserModel } from './user.js';

export interface CoreModels {
  User: UserModel;
  Subscription: SubscriptionModel;
  AIUsageLog: AIUsageLogModel;
  AIUsageTracking: AIUsageTrackingModel;
  ApiToken: ApiTokenModel;
}

/** Defines the core models on `sequelize` with their associations. Tables come from migrations. */
export function defineCoreModels(sequelize: Sequelize): CoreModels {
  const User = defineUser(sequelize);
  const Subscription = defineSubscription(sequelize);
  const AIUsageLog = defineAIUsageLog(sequelize);
  const AIUsageTracking = defineAIUsageTracking(sequelize);
  const ApiToken = defineApiToken(sequelize);
  User.hasMany(Subscription, { foreignKey: 'userId', as: 'subscriptions' });
  Subscription.belongsTo(User, { foreignKey: 'userId', as: 'user' });
  User.hasMany(AIUsageLog, { foreignKey: 'userId', as: 'usageLogs' });
  AIUsageLog.belongsTo(User, { foreignKey: 'userId', as: 'user' });
  AIUsageTracking.belongsTo(User, { foreignKey: 'userId', as: 'user' });
  User.hasMany(ApiToken, { foreignKey: 'userId', as: 'apiTokens' });
  ApiToken.belongsTo(User, { foreignKey: 'userId', as: 'user' });
  return { User, Subscription, AIUsageLog, AIUsageTracking, ApiToken };
}

export type { UserAttributes, UserRole } from './user.js';
export type { SubscriptionAttributes } from './subscription.js';
export type { AIUsageLogAttributes } from './ai-usage-log.js';
export type { AIUsageTrackingAttributes } from './ai-usage-tracking.js';
export type { ApiTokenAttributes } from './api-token.js';
