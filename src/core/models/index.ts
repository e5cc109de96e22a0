import type { Sequelize } from 'sequelize';
import { defineAIBudget, type AIBudgetModel } from './ai-budget.js';
import { defineAIModelPrice, type AIModelPriceModel } from './ai-model-price.js';
import { defineAIUsageLog, type AIUsageLogModel } from './ai-usage-log.js';
import { defineApiToken, type ApiTokenModel } from './api-token.js';
import { defineAIUsageTracking, type AIUsageTrackingModel } from './ai-usage-tracking.js';
import { defineSubscription, type SubscriptionModel } from './subscription.js';
import type { UserModel } from './user.js';
import { defineUserModel, userIdDataType } from '../users/user-model.js';
import { rememberUserReference } from '../users/user-sql.js';
import { OWN_USERS, type UserReference } from '../users/user-reference.cjs';

export interface CoreModels {
  User: UserModel;
  Subscription: SubscriptionModel;
  AIUsageLog: AIUsageLogModel;
  AIUsageTracking: AIUsageTrackingModel;
  ApiToken: ApiTokenModel;
  /** Where user ids point: our own `users` table or the host's (see UserReferenceOptions). */
  users: UserReference;
  AIModelPrice: AIModelPriceModel;
  /** ai_budgets: limits enforced before each Gemini call (src/core/budgets). */
  AIBudget: AIBudgetModel;
}

/** Defines the core models on `sequelize` with their associations. Tables come from migrations. */
export function defineCoreModels(sequelize: Sequelize, users: UserReference = OWN_USERS): CoreModels {
  const User = defineUserModel(sequelize, users);
  const userId = userIdDataType(users);
  const Subscription = defineSubscription(sequelize, userId);
  const AIUsageLog = defineAIUsageLog(sequelize, userId);
  const AIUsageTracking = defineAIUsageTracking(sequelize, userId);
  const ApiToken = defineApiToken(sequelize, userId);
  const AIModelPrice = defineAIModelPrice(sequelize);
  const AIBudget = defineAIBudget(sequelize, userId);
  // A host's users: no `references` on our columns, so AdminJS links user ids only to the resource the host names.
  const link = users.own ? {} : { constraints: false };
  User.hasMany(Subscription, { foreignKey: 'userId', as: 'subscriptions', ...link });
  Subscription.belongsTo(User, { foreignKey: 'userId', as: 'user', ...link });
  User.hasMany(AIUsageLog, { foreignKey: 'userId', as: 'usageLogs', ...link });
  AIUsageLog.belongsTo(User, { foreignKey: 'userId', as: 'user', ...link });
  AIUsageTracking.belongsTo(User, { foreignKey: 'userId', as: 'user', ...link });
  User.hasMany(ApiToken, { foreignKey: 'userId', as: 'apiTokens', ...link });
  ApiToken.belongsTo(User, { foreignKey: 'userId', as: 'user', ...link });
  AIBudget.belongsTo(User, { foreignKey: 'userId', as: 'user', ...link });
  AIBudget.belongsTo(Subscription, { foreignKey: 'subscriptionId', as: 'subscription' });
  rememberUserReference(sequelize, users);
  return { User, Subscription, AIUsageLog, AIUsageTracking, ApiToken, users, AIModelPrice, AIBudget };
}

export type { UserAttributes, UserRole } from './user.js';
export type { SubscriptionAttributes } from './subscription.js';
export type { AIUsageLogAttributes } from './ai-usage-log.js';
export type { AIUsageTrackingAttributes } from './ai-usage-tracking.js';
export type { ApiTokenAttributes } from './api-token.js';
export type { AIModelPriceAttributes } from './ai-model-price.js';
export type { AIBudgetAttributes, BudgetMode, BudgetPeriod } from './ai-budget.js';
