import { createApp, type App } from '../../src/app.js';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { startPanel, silent, type Panel } from '../admin/support/panel.js';
import { ADMIN_EMAIL, PASSWORD, VIEWER_EMAIL } from '../admin/support/ledger-fixture.js';
import { listenOnFreePort } from '../support/http.js';
import { panelPost } from './support/panel-requests.js';

const base = loadConfig({ NODE_ENV: 'test' });
const limits = { maxFailuresPerAccount: 3, maxFailuresPerIp: 5, windowMs: 15 * 60_000 };
/** Instance A: the socket address is the client (no TRUST_PROXY). */
let a: Panel;
/** Instance B on the same database, behind a proxy on loopback (TRUST_PROXY=loopback): X-Forwarded-For names the client. */
let b: App;
let bUrl: string;

beforeAll(async () => {
  a = await startPanel({ security: { ...base.security, loginThrottle: limits } });
  const config: AppConfig = { ...base, security: { ...base.security, loginThrottle: limits, trustProxy: ['loopback'] } };
  b = await createApp({ databaseUrl: a.db.url, config, logger: silent, migrate: false });
  bUrl = await listenOnFreePort(b);
}, 60_000);
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const login = (url: string, email: string, password: string, clientIp?: string) =>
  panelPost(url, '/admin/login', { form: { email, password }, headers: clientIp ? { 'x-forwarded-for': clientIp } : {} });

async function expectRefused(response: Response): Promise<void> {
  expect(response.status).toBe(429);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  const page = await response.text();
  expect(page).toContain('Too many failed sign-in attempts for this account or from your network. Wait 15 minutes, then try again.');
  expect(page).not.toContain('tooManyRequests');
}

it('locks an account after its failures on any instance, without locking others out of that address', async () => {
  for (let i = 0; i < limits.maxFailuresPerAccount; i++) expect((await login(bUrl, VIEWER_EMAIL, 'wrong', '203.0.113.1')).status).toBe(200);
  // Another instance, another address: the account's count is in PostgreSQL.
  await expectRefused(await login(a.baseUrl, VIEWER_EMAIL, PASSWORD));
  const admin = await login(a.baseUrl, ADMIN_EMAIL, PASSWORD);
  expect(admin.status).toBe(302);
});

it('locks an address after failures over many accounts; the same account from another address still logs in', async () => {
  for (let i = 0; i < limits.maxFailuresPerIp; i++) expect((await login(bUrl, `nobody${i}@example.com`, 'guess', '198.51.100.7')).status).toBe(200);
  await expectRefused(await login(bUrl, ADMIN_EMAIL, PASSWORD, '198.51.100.7'));
  expect((await login(bUrl, ADMIN_EMAIL, PASSWORD, '198.51.100.8')).status).toBe(302);
});

it('a successful login clears the account failures', async () => {
  const twice = async () => {
    for (let i = 0; i < limits.maxFailuresPerAccount - 1; i++) expect((await login(bUrl, ADMIN_EMAIL, 'wrong', '192.0.2.50')).status).toBe(200);
  };
  await twice();
  expect((await login(bUrl, ADMIN_EMAIL, PASSWORD, '192.0.2.51')).status).toBe(302);
  await twice();
  expect((await login(bUrl, ADMIN_EMAIL, PASSWORD, '192.0.2.51')).status).toBe(302);
});

it('ignores X-Forwarded-For without a trusted proxy: changing it does not reset the address count', async () => {
  const addressRows = async () => (await a.db.sequelize.query<{ n: number }>("SELECT count(*)::int AS n FROM auth_login_attempts WHERE scope = 'ip'", { type: 'SELECT' as never }))[0]!.n;
  const before = await addressRows();
  for (let i = 0; i < limits.maxFailuresPerIp; i++) expect((await login(a.baseUrl, `spoof${i}@example.com`, 'guess', `10.9.8.${i}`)).status).toBe(200);
  await expectRefused(await login(a.baseUrl, ADMIN_EMAIL, PASSWORD, '10.9.8.200'));
  // One new address counted (the socket's), not one per forged header.
  expect((await addressRows()) - before).toBe(1);
});

it('stores no email or address in clear', async () => {
  const keys = await a.db.sequelize.query<{ key_hash: string }>('SELECT key_hash FROM auth_login_attempts', { type: 'SELECT' as never });
  expect(keys.length).toBeGreaterThan(0);
  for (const { key_hash } of keys) expect(key_hash).toMatch(/^[0-9a-f]{64}$/);
});
