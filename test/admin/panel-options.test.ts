import { ComponentLoader, type ResourceWithOptions } from 'adminjs';
import { DataTypes } from 'sequelize';
import { createAdmin } from '../../src/admin/create-admin.js';
import { loadConfig } from '../../src/config.js';
import { createSequelize } from '../../src/core/database.js';
import { defineCoreModels } from '../../src/core/models/index.js';
import { SectionRegistry } from '../../src/core/sections.js';

const sequelize = createSequelize('postgres://nobody@127.0.0.1:9/none');
afterAll(() => sequelize.close());

/** The panel with one plugin-like resource and one plugin section, without a database. */
function panel() {
  const sections = new SectionRegistry();
  sections.register({ id: 'widget_design', label: 'Widget design', color: '#123456', defaultModel: 'gemini-2.5-flash' });
  const Widget = sequelize.define(`Widget${Math.random().toString(36).slice(2)}`, { label: DataTypes.TEXT }, { tableName: 'widgets' });
  const widgets: ResourceWithOptions = {
    resource: Widget,
    options: { id: 'widgets', actions: { recount: { actionType: 'resource', handler: async () => ({}) }, preview: { actionType: 'record', handler: async () => ({}), custom: { readOnly: true } } } },
  };
  const admin = createAdmin({ resources: [widgets], componentLoader: new ComponentLoader(), core: defineCoreModels(sequelize), sequelize, sections, config: loadConfig({ NODE_ENV: 'test', RESPONSE_TIME_FAST_MS: '800', RESPONSE_TIME_SLOW_MS: '2500' }) });
  const action = (resource: string, name: string) => admin.findResource(resource).decorate().actions[name]!;
  return { admin, action };
}

const admin = { email: 'a@example.com', role: 'admin' };
const viewer = { email: 'v@example.com', role: 'viewer' };

describe('the panel options', () => {
  it("give the badges every section's colour, plugins' included, and the configured thresholds", () => {
    const { admin: panelAdmin } = panel();
    const properties = panelAdmin.findResource('ai_usage_logs').decorate().toJSON(admin).properties;
    expect(properties.section!.custom.sections.widget_design).toEqual({ label: 'Widget design', color: '#123456' });
    expect(properties.section!.custom.sections.chat).toEqual({ label: 'Chat', color: '#2563eb' });
    expect(properties.responseTimeMs!.custom).toEqual({ fastMs: 800, slowMs: 2500 });
    expect(properties.section!.availableValues).toContainEqual({ value: 'widget_design', label: 'Widget design' });
  });

  it("enforce the roles on every resource's actions, plugins' and custom ones included", () => {
    const { action } = panel();
    for (const [resource, name] of [['users', 'new'], ['users', 'edit'], ['users', 'delete'], ['users', 'bulkDelete'], ['widgets', 'new'], ['widgets', 'recount'], ['subscriptions', 'edit']]) {
      expect({ resource, name, admin: action(resource!, name!).isAccessible(admin), viewer: action(resource!, name!).isAccessible(viewer) }).toEqual({ resource, name, admin: true, viewer: false });
    }
    for (const [resource, name] of [['users', 'list'], ['users', 'show'], ['widgets', 'preview'], ['ai_usage_logs', 'stats'], ['ai_usage_logs', 'export']]) {
      expect({ resource, name, viewer: action(resource!, name!).isAccessible(viewer) }).toEqual({ resource, name, viewer: true });
    }
  });

  it('keep the ledger read-only for every role', () => {
    const { action } = panel();
    for (const resource of ['ai_usage_logs', 'ai_usage_tracking']) {
      for (const name of ['new', 'edit', 'delete', 'bulkDelete']) expect({ resource, name, admin: action(resource, name).isAccessible(admin) }).toEqual({ resource, name, admin: false });
      expect(action(resource, 'list').isAccessible(viewer)).toBe(true);
    }
  });
});
