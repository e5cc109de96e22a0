import AdminJSExpress from '@adminjs/express';
import { Database, Resource } from '@adminjs/sequelize';
import AdminJS, { ComponentLoader } from 'adminjs';
import { createAiUsage } from 'adminjs-ai-usage/express';
import express from 'express';
import { DataTypes, Sequelize } from 'sequelize';

/**
 * The host: its own accounts (uuid ids), one resource of its own (projects), its own AdminJS panel
 * and its own login. The ledger is added by the five lines marked below.
 */
export async function createHostApp({ databaseUrl, gemini }) {
  const sequelize = new Sequelize(databaseUrl, { logging: false });
  const Account = sequelize.define('Account', {
    id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
    name: { type: DataTypes.TEXT, allowNull: false },
    email: { type: DataTypes.TEXT, allowNull: false, unique: true },
  }, { tableName: 'accounts', underscored: true });
  const Project = sequelize.define('Project', {
    name: { type: DataTypes.TEXT, allowNull: false },
    brief: { type: DataTypes.TEXT },
    ownerId: { type: DataTypes.UUID, allowNull: false, references: { model: 'accounts', key: 'id' } },
  }, { tableName: 'projects', underscored: true });
  await sequelize.sync(); // the host's own schema, its own way
  AdminJS.registerAdapter({ Database, Resource });
  const componentLoader = new ComponentLoader();
  const app = express();

  // The host's API authentication (a stand-in for its real one): the account named by a header.
  const signedInAccount = async (req) => (req.get('x-account-id') ? Account.findByPk(req.get('x-account-id')) : null);

  // ---- adminjs-ai-usage: the ledger (with the import above and aiUsage.gemini below, five lines) ----
  const aiUsage = await createAiUsage({ sequelize, componentLoader, gemini, users: { table: 'accounts', idType: 'uuid', nameColumn: 'name', emailColumn: 'email', resourceId: 'accounts' } });
  const admin = new AdminJS({ rootPath: '/admin', componentLoader, resources: [Account, Project, ...aiUsage.admin.resources], dashboard: aiUsage.admin.dashboard });
  app.use('/api/ai', aiUsage.apiRouter({ resolveUser: async (req) => { const a = await signedInAccount(req); return a && { id: a.id, email: a.email, role: 'user' }; } }));
  // ---- end ----

  app.use(admin.options.rootPath, AdminJSExpress.buildAuthenticatedRouter(admin, {
    cookiePassword: process.env.SESSION_SECRET ?? 'host-app-example-secret-at-least-32-chars',
    authenticate: async (email, password) => (email === 'owner@host.example' && password === 'host-password' ? { email, title: 'Owner' } : null),
  }, null, { resave: false, saveUninitialized: false, secret: process.env.SESSION_SECRET ?? 'host-app-example-secret-at-least-32-chars' }));

  // A host feature that calls Gemini: instrumented, so every call lands in the ledger under the account.
  app.post('/projects/:id/describe', async (req, res, next) => {
    try {
      const account = await signedInAccount(req);
      if (!account) return void res.status(401).json({ error: 'sign in first' });
      const project = await Project.findOne({ where: { id: req.params.id, ownerId: account.id } });
      if (!project) return void res.status(404).json({ error: 'no such project' });
      const model = aiUsage.gemini.model({ model: 'gemini-2.5-flash', userId: account.id, section: 'marketing_workflow', metadata: { project_id: project.id } });
      const result = await model.generateContent(`Write a one-line pitch for: ${project.name}. ${project.brief ?? ''}`);
      res.json({ pitch: result.response.text() });
    } catch (error) {
      next(error);
    }
  });

  return {
    app,
    admin,
    models: { Account, Project },
    async close() {
      await aiUsage.close();
      await sequelize.close();
    },
  };
}
