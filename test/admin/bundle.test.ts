import { ComponentLoader } from 'adminjs';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prepareAdminBundle } from '../../src/admin/bundle/index.js';
import { createAdmin } from '../../src/admin/create-admin.js';
import { loadConfig } from '../../src/config.js';
import { createSequelize } from '../../src/core/database.js';
import { defineCoreModels } from '../../src/core/models/index.js';
import { SectionRegistry } from '../../src/core/sections.js';

/** The panel as createApp assembles it, on a Sequelize that never connects: bundling needs no database. */
function panelWithoutDatabase() {
  const sequelize = createSequelize('postgres://nobody@127.0.0.1:9/none');
  const admin = createAdmin({ resources: [], componentLoader: new ComponentLoader(), core: defineCoreModels(sequelize), sequelize, sections: new SectionRegistry(), config: loadConfig({ NODE_ENV: 'test' }) });
  return { admin, close: () => sequelize.close() };
}

describe('the component bundle', () => {
  let dir: string;
  let panel: ReturnType<typeof panelWithoutDatabase>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ai-usage-bundle-'));
    panel = panelWithoutDatabase();
  });
  afterAll(async () => {
    await panel.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is a startup error in production when the prebuilt bundle is missing', async () => {
    await expect(prepareAdminBundle(panel.admin, { production: true, prebuiltOnly: true, dir })).rejects.toThrow('run `npm run build:admin`');
  });

  it('is built once, named by its fingerprint, with every panel component in it', async () => {
    const first = await prepareAdminBundle(panel.admin, { production: false, dir });
    expect(first.built).toBe(true);
    expect(path.basename(first.file)).toBe(`components-${first.fingerprint}.bundle.js`);
    const code = await readFile(first.file, 'utf8');
    for (const name of ['AiUsageSectionBadge', 'AiUsageLogList', 'AiUsageDashboard', 'AiUsageQuotaBar']) expect(code).toContain(`AdminJS.UserComponents.${name}`);
    const again = await prepareAdminBundle(panel.admin, { production: true, prebuiltOnly: true, dir });
    expect(again).toEqual({ ...first, built: false });
    expect(existsSync(first.file)).toBe(true);
  });
});
