import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { startGeminiSimulator, type GeminiSimulator } from '../../src/gemini/index.js';
import { mountAiUsage, type MountedAiUsage } from '../../src/mount/index.js';
import { widgetPlugin } from '../fixtures/widget-plugin/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertUser, one } from '../support/fixtures.js';

const silent = { info: () => {}, error: () => {} };
const HOST_ADMIN = { email: 'ops@host.example', password: 'host-secret-password' };

describe('mountAiUsage on a host Express app', () => {
  let db: TestDatabase;
  let simulator: GeminiSimulator;
  let ledger: MountedAiUsage;
  let server: Server;
  let baseUrl: string;
  let userId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    simulator = await startGeminiSimulator();
    userId = await insertUser(db.sequelize);
    const app = express();
    app.get('/', (_req, res) => res.send('host home'));
    ledger = await mountAiUsage(app, {
      sequelize: db.sequelize,
      plugins: [widgetPlugin],
      config: loadConfig({ NODE_ENV: 'test' }),
      logger: silent,
      gemini: { apiKey: simulator.apiKey, baseUrl: simulator.url, simulator },
      panel: { path: '/ops/ai', authenticate: (email, password) => (email === HOST_ADMIN.email && password === HOST_ADMIN.password ? { email, role: 'admin', id: 'host-1' } : null) },
      // The host's own API authentication: here a header its gateway sets.
      api: { path: '/v1/ai', resolveUser: (req) => (req.get('x-host-user') === String(userId) ? { id: userId, email: 'u@example.com', role: 'user' } : null) },
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await ledger?.close();
    await simulator?.close();
    await db?.drop();
  });

  it('leaves the host routes alone', async () => {
    expect(await (await fetch(`${baseUrl}/`)).text()).toBe('host home');
  });

  it('serves the API under the host path, authenticated by resolveUser', async () => {
    const anonymous = await fetch(`${baseUrl}/v1/ai/widgets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"x"}' });
    expect(anonymous.status).toBe(401);
    const created = await fetch(`${baseUrl}/v1/ai/widgets`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-host-user': String(userId) }, body: '{"label":"x"}' });
    expect(created.status).toBe(201);
    const { usageId } = (await created.json()) as { usageId: string };
    const row = await one<{ user_id: number }>(db.sequelize, 'SELECT user_id FROM ai_usage_logs WHERE id = $1', [usageId]);
    expect(row.user_id).toBe(userId);
    // Our bearer tokens are not what this host's API accepts.
    expect((await fetch(`${baseUrl}/api/widgets`, { method: 'POST' })).status).toBe(404);
  });

  it('logs into the panel at the host path through the host authenticate hook', async () => {
    const login = (password: string) =>
      fetch(`${baseUrl}/ops/ai/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: HOST_ADMIN.email, password }).toString() });
    const refused = await login('wrong');
    expect(refused.status).toBe(200);
    const accepted = await login(HOST_ADMIN.password);
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get('location')).toBe('/ops/ai');
    const cookie = accepted.headers.get('set-cookie')!.split(';')[0]!;
    const list = await fetch(`${baseUrl}/ops/ai/api/resources/ai_usage_logs/actions/list`, { headers: { cookie } });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { records: { params: { section: string } }[] };
    expect(body.records.map((r) => r.params.section)).toContain('widget_design');
  });

  it('keeps the host Sequelize instance open after close', async () => {
    const other = await mountAiUsage(express(), { sequelize: db.sequelize, config: loadConfig({ NODE_ENV: 'test' }), logger: silent, gemini: { apiKey: 'k', baseUrl: simulator.url }, panel: false, migrate: false });
    await other.close();
    await expect(db.sequelize.query('SELECT 1')).resolves.toBeDefined();
  });
});
