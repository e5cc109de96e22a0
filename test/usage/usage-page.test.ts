import { createHash } from 'node:crypto';
import express from 'express';
import { QueryTypes } from 'sequelize';
import { loadConfig } from '../../src/config.js';
import { createUsageService } from '../../src/usage/index.js';
import { createUsagePortal } from '../../src/usage/page/portal-router.js';
import { SectionRegistry } from '../../src/core/sections.js';
import pg from 'pg';
import { loginToPanel } from '../support/http.js';
import { PASSWORD, startUsageWorld, type UsageWorld } from './support.js';

let world: UsageWorld;

beforeAll(async () => {
  world = await startUsageWorld();
}, 120_000);
afterAll(() => world?.close());

const origin = () => world.baseUrl;

async function signIn(email: string, password = PASSWORD, headers: Record<string, string> = { origin: origin() }) {
  return fetch(`${world.baseUrl}/usage/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ email, password }).toString(),
  });
}

async function cookieOf(email: string): Promise<string> {
  const response = await signIn(email);
  expect(response.status).toBe(303);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

const page = (path: string, cookie = '') => fetch(`${world.baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' });

it('sends a visitor without a session to the sign-in page', async () => {
  const response = await page('/usage');
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/usage/login');
  const login = await page('/usage/login');
  expect(login.status).toBe(200);
  expect(await login.text()).toContain('name="password"');
});

it("signs a customer in with a session cookie of the page's own, and shows their usage", async () => {
  const response = await signIn(world.alice.email.toUpperCase());
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/usage');
  const setCookie = response.headers.get('set-cookie')!;
  expect(setCookie).toMatch(/^ai_usage_portal=/);
  expect(setCookie).toMatch(/Path=\/usage/);
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Lax/);
  const cookie = setCookie.split(';')[0]!;
  const shown = await page('/usage', cookie);
  expect(shown.status).toBe(200);
  expect(shown.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  const body = await shown.text();
  const report = await (await fetch(`${world.baseUrl}/api/usage`, { headers: { authorization: `Bearer ${world.alice.token}` } })).json();
  expect(body).toContain(`data-testid="total-tokens">${report.totals.tokens.toLocaleString('en-US')}<`);
  expect(body).toContain(world.alice.email);
  expect(body).not.toContain(world.bob.email);
  expect(body).not.toContain('secret prompt');
});

it('refuses a wrong password, and panel accounts (they keep the panel)', async () => {
  expect((await signIn(world.alice.email, 'wrong-password-1')).status).toBe(401);
  const admin = await signIn(world.adminEmail);
  expect(admin.status).toBe(401);
  expect(admin.headers.get('set-cookie')).toBeNull();
  expect(await admin.text()).toContain('Wrong email or password');
});

it('refuses a sign-in or sign-out posted from another site (CSRF)', async () => {
  expect((await signIn(world.alice.email, PASSWORD, { origin: 'null' })).status).toBe(403);
  expect((await signIn(world.alice.email, PASSWORD, { referer: 'https://evil.example/form' })).status).toBe(403);
  expect((await signIn(world.alice.email, PASSWORD, { origin: 'https://evil.example' })).status).toBe(403);
  const cookie = await cookieOf(world.alice.email);
  const forged = await fetch(`${world.baseUrl}/usage/logout`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: 'https://evil.example' } });
  expect(forged.status).toBe(403);
  expect((await page('/usage', cookie)).status).toBe(200);
  const logout = await fetch(`${world.baseUrl}/usage/logout`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: origin() } });
  expect(logout.status).toBe(303);
  expect((await page('/usage', cookie)).status).toBe(303);
});

it('throttles failed sign-ins per email in PostgreSQL, even when the password is then right', async () => {
  const { maxFailuresPerAccount } = world.app.config.security.loginThrottle;
  for (let i = 0; i < maxFailuresPerAccount; i += 1) expect((await signIn(world.bob.email, `wrong-${i}-password`)).status).toBe(401);
  const locked = await signIn(world.bob.email);
  expect(locked.status).toBe(429);
  expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  const bobKey = createHash('sha256').update(world.bob.email.toLowerCase()).digest('hex');
  const rows = await world.db.sequelize.query<{ key_hash: string; failures: number }>("SELECT key_hash, failures FROM auth_login_attempts WHERE scope = 'account'", { type: QueryTypes.SELECT });
  expect(rows.find((row) => row.key_hash === bobKey)?.failures).toBe(maxFailuresPerAccount);
  // Another customer from the same address still gets in.
  expect((await signIn(world.alice.email)).status).toBe(303);
});

it('ends the session of a customer who was made a panel account', async () => {
  const id = await world.db.sequelize.query<{ id: number }>("INSERT INTO users (email, username, role, password_hash) SELECT 'promoted@example.com', 'promoted', 'user', password_hash FROM users WHERE id = $1 RETURNING id", { bind: [world.alice.id], type: QueryTypes.SELECT });
  const cookie = await cookieOf('promoted@example.com');
  expect((await page('/usage', cookie)).status).toBe(200);
  await world.db.sequelize.query("UPDATE users SET role = 'viewer' WHERE id = $1", { bind: [id[0]!.id] });
  expect((await page('/usage', cookie)).status).toBe(303);
});

it('downloads a CSV of the signed-in customer only, 400 for a bad date', async () => {
  const cookie = await cookieOf(world.alice.email);
  const csv = await page('/usage/usage.csv?from=2020-01-01&to=2020-01-03', cookie);
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-disposition')).toBe('attachment; filename="ai-usage-2020-01-01-to-2020-01-03.csv"');
  expect((await csv.text()).trim().split('\r\n')).toHaveLength(1);
  const bad = await page('/usage?from=2026-13-01', cookie);
  expect(bad.status).toBe(400);
  expect(await bad.text()).toContain('from: ');
});

it('lets a panel user open any user\'s page read-only; nobody else', async () => {
  const adminCookie = await loginToPanel(world.baseUrl, world.adminEmail, PASSWORD);
  const view = await page(`/admin/usage-view/${world.bob.id}`, adminCookie);
  expect(view.status).toBe(200);
  const body = await view.text();
  expect(body).toContain('data-testid="read-only-banner"');
  expect(body).toContain(world.bob.email);
  expect(body).not.toContain('/logout');
  expect((await page(`/admin/usage-view/${world.bob.id}/usage.csv`, adminCookie)).status).toBe(200);
  expect((await page(`/admin/usage-view/999999`, adminCookie)).status).toBe(404);
  // A customer's portal session is not a panel session.
  const customer = await cookieOf(world.alice.email);
  expect((await page(`/admin/usage-view/${world.bob.id}`, customer)).status).toBe(302);
  expect((await page(`/admin/usage-view/${world.bob.id}`)).status).toBe(302);
});

it('marks the session cookie Secure in production', async () => {
  const pool = new pg.Pool({ connectionString: world.db.url, max: 1 });
  const config = { ...loadConfig({ NODE_ENV: 'test' }), production: true };
  const usage = createUsageService({ sequelize: world.db.sequelize, sections: new SectionRegistry(), showCost: false });
  const app = express().set('trust proxy', 1);
  app.use('/usage', createUsagePortal({ usage, User: world.app.core.User, sessionPool: pool, config, basePath: '/usage', throttle: { retryAfterMs: async () => 0, recordFailure: async () => {}, recordSuccess: async () => {} } }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const response = await fetch(`${base}/usage/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https', origin: base.replace('http:', 'https:') },
      body: new URLSearchParams({ email: world.alice.email, password: PASSWORD }).toString(),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toMatch(/; Secure/);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await pool.end();
  }
});
