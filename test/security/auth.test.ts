import express from 'express';
import type { AddressInfo } from 'node:net';
import { hashPassword } from '../../src/admin/authenticate.js';
import { loadConfig } from '../../src/config.js';
import { issueApiToken } from '../../src/core/api-tokens.js';
import { startPanel, type Panel } from '../admin/support/panel.js';
import { panelPost } from './support/panel-requests.js';
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
    // A process of its own (tsx, migrations check, simulator): slow to start on a loaded machine.
  }, 240_000);
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

describe('SESSION_SECRET', () => {
  const strong = 'Zq3v9PqL0x7Nw2Rt5Ys8Ku1Hj4Gf6Dc0Ba';
  it('is required, at least 32 non-blank and varied characters, whenever NODE_ENV is set and not development/test', () => {
    for (const NODE_ENV of ['production', 'staging', 'prod']) {
      expect(() => loadConfig({ NODE_ENV })).toThrow('SESSION_SECRET must be set in production');
      expect(() => loadConfig({ NODE_ENV, SESSION_SECRET: ' '.repeat(32) })).toThrow('at least 32 characters');
      expect(() => loadConfig({ NODE_ENV, SESSION_SECRET: 'a'.repeat(40) })).toThrow('too repetitive');
      expect(loadConfig({ NODE_ENV, SESSION_SECRET: strong }).sessionSecret).toBe(strong);
    }
  });
  it('falls back to the development secret only without NODE_ENV or under development/test', () => {
    for (const NODE_ENV of [undefined, 'development', 'test']) expect(loadConfig({ NODE_ENV }).sessionSecret).toMatch(/development/);
  });
});

describe('NUL characters in text', () => {
  let panel: Panel;
  beforeAll(async () => {
    panel = await startPanel();
  }, 60_000);
  afterAll(() => panel?.close());

  it('are refused with a 400 naming the field, in the panel and in the API', async () => {
    const edit = await panelPost(panel.baseUrl, `/admin/api/resources/users/records/${panel.fixture.alice}/edit`, { cookie: panel.adminCookie, form: { name: 'Alice\u0000Evil' } });
    expect(edit.status).toBe(400);
    expect((await edit.json()).error).toMatch(/^name contains a NUL character/);
    const token = await issueApiToken(panel.app.core.ApiToken, panel.fixture.alice, 'nul');
    const api = await fetch(`${panel.baseUrl}/api/anything`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ page: { text: 'a\u0000b' } }) });
    expect(api.status).toBe(400);
    expect((await api.json()).error).toMatch(/^page\.text contains a NUL character/);
  });
});
