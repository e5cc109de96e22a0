import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startGeminiSimulator } from 'adminjs-ai-usage/gemini';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { createHostApp } from '../app.js';

// The example as an adopter runs it: the package installed from its packed tarball (no tsx, no
// TypeScript), a database of the host's own, Gemini simulated, the panel in a real Chromium.
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `host_app_test_${randomBytes(5).toString('hex')}`;
const databaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString();
const admin = (sql) => withClient(serverUrl, (client) => client.query(sql));

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

let simulator, host, server, baseUrl, ada, project;

before(async () => {
  await admin(`CREATE DATABASE ${database}`);
  simulator = await startGeminiSimulator();
  host = await createHostApp({ databaseUrl, gemini: { apiKey: simulator.apiKey, baseUrl: simulator.url } });
  ada = await host.models.Account.create({ name: 'Ada Lovelace', email: 'ada@host.example' });
  project = await host.models.Project.create({ name: 'Analytical Engine', brief: 'A general-purpose computer.', ownerId: ada.id });
  server = await new Promise((resolve) => {
    const listening = host.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  baseUrl = `http://127.0.0.1:${server.address().port}`;
});

after(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  await host?.close();
  await simulator?.close();
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

test('an instrumented Gemini call of the host lands in the ledger under its uuid account, readable through the API', async () => {
  const asAda = { 'x-account-id': ada.id };
  const described = await fetch(`${baseUrl}/projects/${project.id}/describe`, { method: 'POST', headers: asAda });
  assert.equal(described.status, 200);
  assert.ok((await described.json()).pitch.length > 0);
  assert.equal(simulator.requests.length, 1);

  assert.equal((await fetch(`${baseUrl}/api/ai/usage`)).status, 401);
  const usage = await fetch(`${baseUrl}/api/ai/usage`, { headers: asAda });
  assert.equal(usage.status, 200);
  const report = await usage.json();
  assert.deepEqual(report.user, { id: ada.id, email: 'ada@host.example', name: 'Ada Lovelace' });
  assert.equal(Number(report.totals.requests), 1);
  assert.ok(Number(report.totals.tokens) > 0);

  const rows = await withClient(databaseUrl, (client) => client.query(`SELECT user_id, section, metadata->>'project_id' AS project_id FROM ai_usage_logs`));
  assert.deepEqual(rows.rows, [{ user_id: ada.id, section: 'marketing_workflow', project_id: String(project.id) }]);
});

test("the host's own AdminJS panel shows the ledger next to its accounts and projects", async () => {
  const profile = await mkdtemp(path.join(tmpdir(), 'host-app-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Nothing leaves the machine (AdminJS's login page asks Google Fonts).
  await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  const shots = process.env.SHOTS_DIR;
  if (shots) await mkdir(shots, { recursive: true });
  try {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/admin/login`);
    await page.fill('input[name=email]', 'owner@host.example');
    await page.fill('input[name=password]', 'host-password');
    await Promise.all([page.waitForURL(`${baseUrl}/admin`), page.click('form button')]);
    await page.waitForSelector('[data-testid=ai-usage-dashboard]');
    await page.getByText('Ada Lovelace').first().waitFor();
    if (shots) await page.screenshot({ path: path.join(shots, 'host-app-dashboard-1440.png'), fullPage: true });

    await page.goto(`${baseUrl}/admin/resources/ai_usage_logs`);
    const userCell = page.locator('[data-testid=user-cell]').first();
    await userCell.waitFor();
    assert.equal((await userCell.textContent())?.trim(), 'Ada Lovelace');
    await page.getByText('Marketing workflow').first().waitFor();
    if (shots) await page.screenshot({ path: path.join(shots, 'host-app-logs-1440.png'), fullPage: true });

    // The user links to the host's own accounts resource.
    await Promise.all([page.waitForURL(/\/admin\/resources\/accounts\/records\/[0-9a-f-]+\/show/), userCell.click()]);
    await page.getByText('ada@host.example').first().waitFor();

    await page.goto(`${baseUrl}/admin/resources/projects`);
    await page.getByText('Analytical Engine').first().waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${baseUrl}/admin/resources/ai_usage_logs`);
    // The narrow list keeps the first columns only: the row is there, its user cell hidden.
    await page.locator('[data-testid=user-cell]').first().waitFor({ state: 'attached' });
    if (shots) await page.screenshot({ path: path.join(shots, 'host-app-logs-390.png'), fullPage: true });
    await page.goto(`${baseUrl}/admin`);
    await page.waitForSelector('[data-testid=ai-usage-dashboard]');
    if (shots) await page.screenshot({ path: path.join(shots, 'host-app-dashboard-390.png'), fullPage: true });
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});
