import { issueApiToken } from '../../src/core/api-tokens.js';
import { loadConfig } from '../../src/config.js';
import { hashPassword } from '../../src/admin/authenticate.js';
import { knowledgeQaPlugin } from '../../plugins/knowledge-qa/index.js';
import { startPanel, type Panel } from '../admin/support/panel.js';
import { ADMIN_EMAIL, PASSWORD } from '../admin/support/ledger-fixture.js';
import { loginToPanel } from '../support/http.js';
import { startPluginApp, type PluginApp } from '../support/plugin-app.js';
import { panelPost, sessionStatus } from './support/panel-requests.js';

const TRUSTED = 'https://panel.example.com';
let panel: Panel;
let sameSiteOtherPort: string;

beforeAll(async () => {
  const base = loadConfig({ NODE_ENV: 'test' });
  panel = await startPanel({ security: { ...base.security, trustedOrigins: [TRUSTED] } });
  const port = Number(new URL(panel.baseUrl).port);
  sameSiteOtherPort = `http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}`;
}, 60_000);
afterAll(() => panel?.close());

const userName = async (id: number) => (await panel.db.sequelize.query<{ name: string }>('SELECT name FROM users WHERE id = $1', { bind: [id], type: 'SELECT' as never }))[0]!.name;
const editAlice = (headers: { origin?: string | null; referer?: string }, name: string) =>
  panelPost(panel.baseUrl, `/admin/api/resources/users/records/${panel.fixture.alice}/edit`, { cookie: panel.adminCookie, ...headers, form: { name } });

describe('state changes only from the panel own origin', () => {
  it('refuses a form POST from a same-site origin on another port, and changes nothing', async () => {
    const before = await userName(panel.fixture.alice);
    const response = await editAlice({ origin: sameSiteOtherPort }, 'pwned');
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatch(/cross-origin request refused/);
    expect(await userName(panel.fixture.alice)).toBe(before);
  });

  it('refuses a foreign Referer when there is no Origin, and Origin: null', async () => {
    expect((await editAlice({ referer: `${sameSiteOtherPort}/attack.html` }, 'pwned')).status).toBe(403);
    expect((await editAlice({ origin: null }, 'pwned')).status).toBe(403);
    expect(await userName(panel.fixture.alice)).not.toBe('pwned');
  });

  it('accepts the panel own origin and an origin listed in AI_USAGE_TRUSTED_ORIGINS', async () => {
    expect((await editAlice({ origin: panel.baseUrl }, 'Alice from the panel')).status).toBe(200);
    expect(await userName(panel.fixture.alice)).toBe('Alice from the panel');
    expect((await editAlice({ origin: TRUSTED }, 'Alice via the proxy')).status).toBe(200);
    expect(await userName(panel.fixture.alice)).toBe('Alice via the proxy');
  });

  it('refuses a cross-origin login (login CSRF) before checking the password', async () => {
    const response = await panelPost(panel.baseUrl, '/admin/login', { origin: sameSiteOtherPort, form: { email: ADMIN_EMAIL, password: PASSWORD } });
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
  });
});

describe('revoke runs only on POST', () => {
  it('GET (a link followed from anywhere) only shows the confirmation; POST revokes', async () => {
    const token = await issueApiToken(panel.app.core.ApiToken, panel.fixture.alice, 'csrf');
    const id = (await panel.db.sequelize.query<{ id: number }>("SELECT id FROM api_tokens WHERE name = 'csrf'", { type: 'SELECT' as never }))[0]!.id;
    const revokedAt = async () => (await panel.db.sequelize.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM api_tokens WHERE id = $1', { bind: [id], type: 'SELECT' as never }))[0]!.revoked_at;
    const path = `/admin/api/resources/api_tokens/records/${id}/revoke`;

    const shown = await fetch(`${panel.baseUrl}${path}`, { headers: { cookie: panel.adminCookie } });
    expect(shown.status).toBe(200);
    expect((await shown.json()).record.params.id).toBe(id);
    expect(await revokedAt()).toBeNull();
    expect((await fetch(`${panel.baseUrl}/api/usage`, { headers: { authorization: `Bearer ${token}` } })).status).not.toBe(401);

    expect((await panelPost(panel.baseUrl, path, { cookie: panel.adminCookie, origin: sameSiteOtherPort })).status).toBe(403);
    expect(await revokedAt()).toBeNull();

    const posted = await panelPost(panel.baseUrl, path, { cookie: panel.adminCookie, origin: panel.baseUrl });
    expect(posted.status).toBe(200);
    expect(await posted.json()).toMatchObject({ notice: { message: 'Token revoked', type: 'success' }, redirectUrl: expect.stringContaining(`/records/${id}/show`) });
    expect(await revokedAt()).toBeInstanceOf(Date);
  });
});

describe('logout only by POST', () => {
  it('GET shows a confirmation page and keeps the session; a cross-origin POST is refused; a same-origin POST ends it', async () => {
    const cookie = await loginToPanel(panel.baseUrl, ADMIN_EMAIL, PASSWORD);
    const page = await fetch(`${panel.baseUrl}/admin/logout`, { headers: { cookie }, redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<form method="post" action="\/admin\/logout">/);
    expect(await sessionStatus(panel.baseUrl, cookie)).toBe(200);

    expect((await panelPost(panel.baseUrl, '/admin/logout', { cookie, origin: sameSiteOtherPort })).status).toBe(403);
    expect(await sessionStatus(panel.baseUrl, cookie)).toBe(200);

    const out = await panelPost(panel.baseUrl, '/admin/logout', { cookie, origin: panel.baseUrl });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/admin/login');
    expect(await sessionStatus(panel.baseUrl, cookie)).toBe(302);
  });
});

describe('regenerate (knowledge plugin) runs only on POST', () => {
  let t: PluginApp;
  beforeAll(async () => {
    t = await startPluginApp([knowledgeQaPlugin()]);
  }, 60_000);
  afterAll(() => t?.close());

  it('GET calls no model; POST from the panel regenerates', async () => {
    const created = await t.api('POST', '/knowledge/pages', { text: 'Orders ship within 2 business days. Returns are free for 30 days.', title: 'Shipping' });
    expect(created.status).toBe(201);
    await t.db.sequelize.query(`INSERT INTO users (email, username, role, password_hash) VALUES ('csrf-admin@example.com', 'csrfadmin', 'admin', $1)`, { bind: [await hashPassword('panel-pass-9')] });
    const cookie = await loginToPanel(t.baseUrl, 'csrf-admin@example.com', 'panel-pass-9');
    const path = `/admin/api/resources/knowledge_pages/records/${created.body.id}/regenerate`;
    t.simulator.reset();

    const shown = await fetch(`${t.baseUrl}${path}`, { headers: { cookie } });
    expect(shown.status).toBe(200);
    expect(t.simulator.requests).toHaveLength(0);

    const posted = await panelPost(t.baseUrl, path, { cookie, origin: t.baseUrl });
    expect(posted.status).toBe(200);
    expect((await posted.json()).notice).toMatchObject({ type: 'success', message: expect.stringMatching(/^Generated \d+ Q&A pairs$/) });
    expect(t.simulator.requests.length).toBeGreaterThan(0);
  });
});
