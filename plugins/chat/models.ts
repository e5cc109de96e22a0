import { DataTypes, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { DataType } from 'sequelize';
import type { UserId } from '../../src/core/index.js';

export interface ConversationAttributes extends Model<InferAttributes<ConversationAttributes>, InferCreationAttributes<ConversationAttributes>> {
  id: string;
  userId: UserId;
  title: string;
  systemPrompt: CreationOptional<string | null>;
  /** Summary of the first `summarizedMessageCount` messages, sent instead of them. */
  summary: CreationOptional<string | null>;
  summarizedMessageCount: CreationOptional<number>;
  messageCount: CreationOptional<number>;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export interface MessageAttributes extends Model<InferAttributes<MessageAttributes>, InferCreationAttributes<MessageAttributes>> {
  id: string;
  conversationId: string;
  /** 0-based order within the conversation. */
  position: number;
  role: 'user' | 'model';
  content: string;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export interface ChatModels {
  Conversation: ModelStatic<ConversationAttributes>;
  Message: ModelStatic<MessageAttributes>;
}

export function defineChatModels(sequelize: Sequelize, userIdType: DataType = DataTypes.INTEGER): ChatModels {
  const Conversation = sequelize.define<ConversationAttributes>(
    'ChatConversation',
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      userId: { type: userIdType, allowNull: false },
      title: { type: DataTypes.TEXT, allowNull: false, validate: { len: [1, 200] } },
      systemPrompt: { type: DataTypes.TEXT, allowNull: true },
      summary: { type: DataTypes.TEXT, allowNull: true },
      summarizedMessageCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      messageCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { tableName: 'chat_conversations', underscored: true },
  );
  const Message = sequelize.define<MessageAttributes>(
    'ChatMessage',
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      conversationId: { type: DataTypes.UUID, allowNull: false },
      position: { type: DataTypes.INTEGER, allowNull: false },
      role: { type: DataTypes.TEXT, allowNull: false, validate: { isIn: [['user', 'model']] } },
      content: { type: DataTypes.TEXT, allowNull: false },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { tableName: 'chat_messages', underscored: true },
  );
  Conversation.hasMany(Message, { foreignKey: 'conversationId', as: 'messages' });
  Message.belongsTo(Conversation, { foreignKey: 'conversationId', as: 'conversation' });
  return { Conversation, Message };
}
