import express from 'express';
import type { AddressInfo } from 'node:net';
import { hashPassword } from '../../src/admin/authenticate.js';
import { routeAsyncErrorsToNext } from '../../src/http/async-errors.js';
import { jsonErrorHandler, panelErrorHandler } from '../../src/http/errors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { loginToPanel } from '../support/http.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const VIEWER = { email: 'viewer@example.com', password: 'viewer-pass-123' };

describe('a logged-in viewer cannot stop the server (npm start entry point as its own process)', () => {
  let db: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sequelize.query(`INSERT INTO users (email, username, name, role, password_hash) VALUES ($1, 'viewer', 'Viewer', 'viewer', $2)`, {
      bind: [VIEWER.email, await hashPassword(VIEWER.password)],
    });
    server = await startServerProcess({ DATABASE_URL: db.url });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('POST /admin/refresh-token answers 404 and the process keeps serving', async () => {
    const cookie = await loginToPanel(server.baseUrl, VIEWER.email, VIEWER.password);
    const refresh = await fetch(`${server.baseUrl}/admin/refresh-token`, { method: 'POST', headers: { cookie } });
    expect(refresh.status).toBe(404);
    expect(await refresh.json()).toMatchObject({ error: 'not_found' });
    const health = await fetch(`${server.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
    expect(server.output()).not.toContain('WrongArgumentError');
  });
});

describe('a rejected async handler reaches the error handler', () => {
  it('answers JSON for the API and a page without a stack for the panel, and logs the error', async () => {
    routeAsyncErrorsToNext();
    const logged: string[] = [];
    const log = (message: string, error: unknown) => logged.push(`${message} ${(error as Error).message}`);
    const app = express();
    const boom = async () => {
      await Promise.resolve();
      throw new Error('secret internals at /srv/app.ts:12');
    };
    app.get('/api/boom', boom, jsonErrorHandler(log));
    app.get('/admin/boom', boom, panelErrorHandler(log));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const api = await fetch(`${base}/api/boom`);
      expect(api.status).toBe(500);
      expect(await api.json()).toEqual({ error: 'internal error' });
      const page = await fetch(`${base}/admin/boom`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(500);
      const html = await page.text();
      expect(html).toContain('Error 500');
      expect(html).not.toContain('secret internals');
      expect(logged).toEqual(['[HTTP_ERROR] GET /api/boom secret internals at /srv/app.ts:12', '[HTTP_ERROR] GET /admin/boom secret internals at /srv/app.ts:12']);
    } finally {
      server.close();
    }
  });
});
