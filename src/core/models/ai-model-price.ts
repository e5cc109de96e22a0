import { DataTypes, QueryTypes, ValidationError, ValidationErrorItem, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize, type Transaction } from 'sequelize';
import { assertNoOverlap } from '../prices/store.js';
import { PriceValidationError, validatePrice, type PriceFields } from '../prices/validate.js';

/** A row of ai_model_prices (USD per 1M tokens; grounding per 1,000): see src/core/prices/types.ts. */
export interface AIModelPriceAttributes
  extends Model<InferAttributes<AIModelPriceAttributes>, InferCreationAttributes<AIModelPriceAttributes>>, PriceFields {
  id: number;
  createdAt: Date;
  updatedAt: Date;
}

export type AIModelPriceModel = ModelStatic<AIModelPriceAttributes>;

/** A refusal in the shape every writer understands: the panel shows it by field, an import by line. */
function refusal(message: string, fieldErrors: Record<string, string>, price: Model): ValidationError {
  const items = Object.entries(fieldErrors).map(([field, text]) => new ValidationErrorItem(text, 'validation error', field, '', price, 'price', 'price', []));
  return new ValidationError(message, items);
}

async function checkPrice(sequelize: Sequelize, price: AIModelPriceAttributes, transaction: Transaction | null | undefined): Promise<void> {
  try {
    const fields = validatePrice(price.get({ plain: true }) as Record<string, unknown>);
    price.set('model', fields.model);
    price.set('tier', fields.tier);
    const id = typeof price.id === 'number' ? price.id : undefined;
    if (transaction) await assertNoOverlap(sequelize, fields, id, transaction);
    else await sequelize.transaction((own) => assertNoOverlap(sequelize, fields, id, own));
  } catch (error) {
    throw error instanceof PriceValidationError ? refusal(error.message, error.fieldErrors, price) : error;
  }
}

/**
 * The price catalogue as a model, for the panel and imports. Every write is checked like the
 * pricing file: numbers, tiers, dates, no overlapping periods; a price that costed rows cannot be
 * deleted (end it with effectiveTo, or correct it and reprice).
 */
export function defineAIModelPrice(sequelize: Sequelize): AIModelPriceModel {
  const rate = (allowNull: boolean) => ({ type: DataTypes.DECIMAL(14, 6), allowNull });
  return sequelize.define<AIModelPriceAttributes>(
    'AIModelPrice',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      model: { type: DataTypes.TEXT, allowNull: false },
      tier: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'standard' },
      effectiveFrom: { type: DataTypes.DATEONLY, allowNull: false },
      effectiveTo: { type: DataTypes.DATEONLY, allowNull: true },
      inputPerMillion: rate(false),
      outputPerMillion: rate(false),
      cachedInputPerMillion: rate(false),
      audioInputPerMillion: rate(true),
      cachedAudioInputPerMillion: rate(true),
      audioOutputPerMillion: rate(true),
      imageOutputPerMillion: rate(true),
      longContextThresholdTokens: { type: DataTypes.INTEGER, allowNull: true },
      longInputPerMillion: rate(true),
      longOutputPerMillion: rate(true),
      longCachedInputPerMillion: rate(true),
      groundingPerThousand: rate(true),
      groundingUnit: { type: DataTypes.TEXT, allowNull: true },
      source: { type: DataTypes.TEXT, allowNull: true },
      note: { type: DataTypes.TEXT, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    {
      tableName: 'ai_model_prices',
      underscored: true,
      hooks: {
        beforeCreate: (price, options) => checkPrice(sequelize, price, options.transaction),
        beforeUpdate: (price, options) => checkPrice(sequelize, price, options.transaction),
        async beforeDestroy(price, options) {
          const [used] = await sequelize.query<{ n: number }>('SELECT count(*)::int AS n FROM ai_usage_logs WHERE price_id = $1', { bind: [price.id], type: QueryTypes.SELECT, transaction: options.transaction });
          if (used && used.n > 0) {
            throw refusal(`this price costed ${used.n} requests: end it with effectiveTo, or correct it and reprice`, { id: `costed ${used.n} requests; set effectiveTo instead of deleting` }, price);
          }
        },
      },
    },
  );
}
