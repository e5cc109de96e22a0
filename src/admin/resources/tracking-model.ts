import type { ModelAttributeColumnOptions, ModelStatic } from 'sequelize';
import type { AIUsageTrackingModel } from '../../core/models/ai-usage-tracking.js';

const PANEL_MODEL = 'AIUsageTrackingPanelRow';

/**
 * The daily aggregate as the panel reads it: the core model's attributes, each given an object of
 * its own. The core definition reuses one object for all its sums, and Sequelize writes each sum's
 * column into that shared object, so every sum would read request_count (reported to the core
 * owner; this stays correct once that is fixed). Columns follow from the names (underscored).
 */
export function trackingPanelModel(core: AIUsageTrackingModel): ModelStatic<any> {
  const sequelize = core.sequelize!;
  if (sequelize.isDefined(PANEL_MODEL)) return sequelize.model(PANEL_MODEL);
  const attributes: Record<string, ModelAttributeColumnOptions> = {};
  for (const [name, attribute] of Object.entries(core.getAttributes())) {
    attributes[name] = { type: attribute.type, allowNull: attribute.allowNull, primaryKey: attribute.primaryKey, autoIncrement: attribute.autoIncrement };
  }
  return sequelize.define(PANEL_MODEL, attributes, { tableName: core.getTableName() as string, underscored: true });
}
