import { DataTypes, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import type { DataType } from 'sequelize';
import type { UserId } from '../../src/core/index.js';

export type PageStatus = 'pending' | 'ready' | 'failed';

export interface WebsitePageAttributes extends Model<InferAttributes<WebsitePageAttributes>, InferCreationAttributes<WebsitePageAttributes>> {
  id: CreationOptional<number>;
  userId: UserId;
  /** Where the page came from; null when it was given as HTML or text. */
  url: CreationOptional<string | null>;
  title: string;
  /** Extracted plain text the Q&A pairs are generated from. */
  content: string;
  contentLength: number;
  status: CreationOptional<PageStatus>;
  /** Why the last generation failed. */
  failureReason: CreationOptional<string | null>;
  generatedAt: CreationOptional<Date | null>;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export interface QAPairAttributes extends Model<InferAttributes<QAPairAttributes>, InferCreationAttributes<QAPairAttributes>> {
  id: CreationOptional<number>;
  pageId: number;
  position: number;
  question: string;
  answer: string;
  embedding: CreationOptional<number[] | null>;
  embeddingModel: CreationOptional<string | null>;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export interface KnowledgeModels {
  WebsitePage: ModelStatic<WebsitePageAttributes>;
  QAPair: ModelStatic<QAPairAttributes>;
}

export function defineKnowledgeModels(sequelize: Sequelize, userIdType: DataType = DataTypes.INTEGER): KnowledgeModels {
  const WebsitePage = sequelize.define<WebsitePageAttributes>(
    'WebsitePage',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: userIdType, allowNull: false },
      url: { type: DataTypes.TEXT, allowNull: true },
      title: { type: DataTypes.TEXT, allowNull: false },
      content: { type: DataTypes.TEXT, allowNull: false },
      contentLength: { type: DataTypes.INTEGER, allowNull: false },
      status: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'pending', validate: { isIn: [['pending', 'ready', 'failed']] } },
      failureReason: { type: DataTypes.TEXT, allowNull: true },
      generatedAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { tableName: 'knowledge_pages', underscored: true },
  );
  const QAPair = sequelize.define<QAPairAttributes>(
    'QAPair',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      pageId: { type: DataTypes.INTEGER, allowNull: false },
      position: { type: DataTypes.INTEGER, allowNull: false },
      question: { type: DataTypes.TEXT, allowNull: false },
      answer: { type: DataTypes.TEXT, allowNull: false },
      embedding: { type: DataTypes.ARRAY(DataTypes.REAL), allowNull: true },
      embeddingModel: { type: DataTypes.TEXT, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { tableName: 'knowledge_qa_pairs', underscored: true },
  );
  WebsitePage.hasMany(QAPair, { foreignKey: 'pageId', as: 'pairs' });
  QAPair.belongsTo(WebsitePage, { foreignKey: 'pageId', as: 'page' });
  return { WebsitePage, QAPair };
}
