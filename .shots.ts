import pg from 'pg';
import { chromium } from 'playwright-core';
import { createApp } from './src/app.js';
import { loadConfig } from './src/config.js';
import { BUILTIN_PLUGINS } from './src/runtime/builtin-plugins.js';
import { seedDemo } from './seeders/demo.js';

const server = 'postgres://postgres@127.0.0.1:5432/postgres';
const admin = new pg.Client({ connectionString: server });
await admin.connect();
await admin.query('DROP DATABASE IF EXISTS spool_shots WITH (FORCE)');
await admin.query('CREATE DATABASE spool_shots');
await admin.end();
const app = await createApp({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/spool_shots', plugins: BUILTIN_PLUGINS, config: loadConfig({ NODE_ENV: 'test' }) });
await seedDemo(app);
await app.sequelize.query(`INSERT INTO ai_usage_dead_letters (id, created_at, payload, reason, attempts, spooled_at, dead_at) VALUES (gen_random_uuid(), now() - interval '2 hours', '{"event":{"section":"chat","userId":999}}', 'user 999 does not exist', 5, now() - interval '2 hours', now() - interval '1 hour')`);
const srv = await app.listen(0, '127.0.0.1');
const base = `http://127.0.0.1:${(srv.address() as any).port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
for (const [w, h] of [[1440, 900], [390, 844]]) {
  const page = await browser.newPage({ viewport: { width: w, height: h } });
  await page.route('**/*', (r) => (new URL(r.request().url()).hostname === '127.0.0.1' ? r.continue() : r.abort()));
  await page.goto(`${base}/admin/login`);
  await page.fill('input[name=email]', 'admin@example.com');
  await page.fill('input[name=password]', 'admin-demo-password');
  await page.click('form button');
  await page.waitForSelector('[data-testid=ledger-health]', { timeout: 120000 });
  await page.screenshot({ path: `/work/shots/spool/dashboard-${w}.png` });
  await page.goto(`${base}/admin/resources/ai_usage_dead_letters`);
  await page.waitForTimeout(3000);
  await page.screenshot({ path: `/work/shots/spool/dead-letters-${w}.png` });
  await page.close();
}
await browser.close();
await app.close();
process.exit(0);
