import importExportFeature from '@adminjs/import-export';
import AdminJSExpress from '@adminjs/express';
import AdminJS, { ComponentLoader } from 'adminjs';
import { Database, Resource } from '@adminjs/sequelize';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { createExportRouter, exportImportFeature } from '../src/admin/export/index.js';
import { createSequelize } from '../src/core/database.js';
import { defineCoreModels } from '../src/core/models/index.js';

/**
 * One side of bench:export in a process of its own, so its peak RSS is its own: `ours` serves
 * GET /admin/export/ai_usage_logs (the streaming route), `import-export` serves AdminJS's API with
 * @adminjs/import-export's export action on the same resource. Tells the parent its port over IPC,
 * then answers { maxRssKb, rows } when asked and exits.
 */
const side = process.env.BENCH_SIDE as 'ours' | 'import-export';
const databaseUrl = process.env.BENCH_DATABASE_URL!;

AdminJS.registerAdapter({ Database, Resource });
const sequelize = createSequelize(databaseUrl, { poolMax: 2 });
const core = defineCoreModels(sequelize);
const componentLoader = new ComponentLoader();
const feature = side === 'ours' ? exportImportFeature({ componentLoader, import: false }) : importExportFeature({ componentLoader });
const admin = new AdminJS({
  rootPath: '/admin',
  componentLoader,
  resources: [{ resource: core.AIUsageLog, options: { id: 'ai_usage_logs', sort: { sortBy: 'createdAt', direction: 'desc' } }, features: [feature] }],
});

const app = express();
const exportRouter = createExportRouter({ admin, databaseUrl });
if (side === 'ours') {
  // The panel's session, minus the login: the benchmark measures the export, not authentication.
  app.use('/admin/export', (req, _res, next) => {
    (req as unknown as { session: object }).session = { adminUser: { id: 'bench', email: 'bench@example.com', role: 'admin' } };
    next();
  }, exportRouter.router);
} else {
  app.use('/admin', AdminJSExpress.buildRouter(admin));
}

const server = app.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port, idleRssKb: process.resourceUsage().maxRSS }));
process.on('message', (message: { report?: string }) => {
  if (!message.report) return;
  void exportRouter.runs.get(message.report, 'bench').then((progress) => {
    process.send!({ maxRssKb: process.resourceUsage().maxRSS, rows: progress?.rows }, () => process.exit(0));
  });
});
