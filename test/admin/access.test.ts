import { QueryTypes } from 'sequelize';
import { AIUsageLogResource } from '../../src/admin/ai-usage-log/resource.js';
import { loadConfig } from '../../src/config.js';
import { loginToPanel } from '../support/http.js';
import { ADMIN_EMAIL, PASSWORD, VIEWER_EMAIL } from './support/ledger-fixture.js';
import { startPanel, type Panel } from './support/panel.js';

let panel: Panel;
beforeAll(async () => {
  panel = await startPanel();
});
afterAll(() => panel.close());

async function post(path: string, cookie: string, fields: Record<string, string> = {}) {
  const response = await fetch(`${panel.baseUrl}/admin/api${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  const json = response.headers.get('content-type')?.includes('application/json');
  return { status: response.status, body: json ? await response.json() : await response.text() };
}

const count = async (sql: string, bind: unknown[] = []) => Number((await panel.db.sequelize.query<{ n: string }>(sql, { bind, type: QueryTypes.SELECT }))[0]!.n);

describe('the panel without a session', () => {
  it('sends every page and API call to the login page', async () => {
    for (const path of ['/admin', '/admin/api/resources/ai_usage_logs/actions/list', '/admin/api/dashboard', '/admin/api/resources/users/records/1/show']) {
      const response = await fetch(`${panel.baseUrl}${path}`, { redirect: 'manual' });
      expect({ path, status: response.status, location: response.headers.get('location') }).toEqual({ path, status: 302, location: '/admin/login' });
    }
    const write = await fetch(`${panel.baseUrl}/admin/api/resources/users/actions/new`, { method: 'POST', redirect: 'manual' });
    expect(write.status).toBe(302);
  });

  it('keeps sessions in PostgreSQL, with an httpOnly cookie', async () => {
    expect(await count('SELECT count(*) AS n FROM session')).toBeGreaterThanOrEqual(2);
    const response = await fetch(`${panel.baseUrl}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: VIEWER_EMAIL, password: PASSWORD }).toString(),
    });
    expect(response.headers.get('set-cookie')).toMatch(/ai_usage_session=.*HttpOnly.*SameSite=Lax/i);
  });

  it('gives a new session id at login, never keeping one planted before, and stores none for a failed attempt', async () => {
    const planted = await loginToPanel(panel.baseUrl, VIEWER_EMAIL, PASSWORD);
    const sessions = await count('SELECT count(*) AS n FROM session');
    const response = await fetch(`${panel.baseUrl}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: planted, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: ADMIN_EMAIL, password: PASSWORD }).toString(),
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('set-cookie')?.split(';')[0]).not.toBe(planted);
    const replay = await fetch(`${panel.baseUrl}/admin/api/resources/users/actions/list`, { headers: { cookie: planted }, redirect: 'manual' });
    expect(replay.status).toBe(302);
    await expect(loginToPanel(panel.baseUrl, ADMIN_EMAIL, 'wrong password')).rejects.toThrow('failed');
    expect(await count('SELECT count(*) AS n FROM session')).toBe(sessions);
  });

  it('is a startup error in production without a session secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow('SESSION_SECRET must be set in production');
  });
});

describe('the ledger resources', () => {
  it('refuse new, edit, delete and bulk delete, to admins too', async () => {
    const id = panel.fixture.logIds[0]!;
    const before = await count('SELECT count(*) AS n FROM ai_usage_logs');
    const attempts = [
      await post('/resources/ai_usage_logs/actions/new', panel.adminCookie, { section: 'chat', modelName: 'x', responseTimeMs: '1', success: 'true' }),
      await post(`/resources/ai_usage_logs/records/${id}/edit`, panel.adminCookie, { section: 'hacked' }),
      await post(`/resources/ai_usage_logs/records/${id}/delete`, panel.adminCookie),
      await post(`/resources/ai_usage_logs/bulk/bulkDelete?recordIds=${id}`, panel.adminCookie),
      await post(`/resources/ai_usage_tracking/records/1/delete`, panel.adminCookie),
    ];
    expect(attempts.map((a) => a.status)).toEqual([403, 403, 403, 403, 403]);
    expect(await count('SELECT count(*) AS n FROM ai_usage_logs')).toBe(before);
    expect(await count(`SELECT count(*) AS n FROM ai_usage_logs WHERE section = 'hacked'`)).toBe(0);
  });

  it('offer no write action in the resource description', async () => {
    const { body } = await panel.api(`/resources/ai_usage_logs/records/${panel.fixture.logIds[0]}/show`);
    expect(body.record.recordActions.map((a: { name: string }) => a.name)).toEqual(['show']);
    expect(body.record.bulkActions).toEqual([]);
  });

  it('refuse writes in the resource itself, whatever action calls it', async () => {
    const log = new AIUsageLogResource(panel.app.core.AIUsageLog, panel.app.tracker.sections);
    await expect(log.create({ section: 'chat' })).rejects.toThrow('read-only');
    await expect(log.update(panel.fixture.logIds[0], { section: 'x' })).rejects.toThrow('read-only');
    await expect(log.delete(panel.fixture.logIds[0])).rejects.toThrow('read-only');
  });
});

describe('the viewer role', () => {
  it('reads everything', async () => {
    for (const path of ['/resources/ai_usage_logs/actions/list', '/resources/ai_usage_tracking/actions/list', '/resources/users/actions/list', '/resources/subscriptions/actions/list', '/resources/ai_usage_logs/actions/stats', '/dashboard']) {
      expect({ path, status: (await panel.api(path, panel.viewerCookie)).status }).toEqual({ path, status: 200 });
    }
  });

  it('sees no write action', async () => {
    const { body } = await panel.api(`/resources/users/records/${panel.fixture.alice}/show`, panel.viewerCookie);
    expect(body.record.recordActions.map((a: { name: string }) => a.name)).toEqual(['show']);
    const admin = await panel.api(`/resources/users/records/${panel.fixture.alice}/show`);
    expect(admin.body.record.recordActions.map((a: { name: string }) => a.name).sort()).toEqual(['delete', 'edit', 'issueApiToken', 'show']);
  });

  it('is refused when calling a write action, and nothing changes', async () => {
    const { alice } = panel.fixture;
    const attempts = [
      await post('/resources/users/actions/new', panel.viewerCookie, { email: 'evil@example.com', username: 'evil', role: 'admin', password: 'long-enough-password' }),
      await post(`/resources/users/records/${alice}/edit`, panel.viewerCookie, { role: 'admin' }),
      await post(`/resources/users/records/${alice}/delete`, panel.viewerCookie),
      await post(`/resources/users/bulk/bulkDelete?recordIds=${alice}`, panel.viewerCookie),
      await post(`/resources/subscriptions/actions/new`, panel.viewerCookie, { userId: String(alice), plan: 'free', tokenQuota: '1' }),
      await post(`/resources/api_tokens/records/1/delete`, panel.viewerCookie),
    ];
    expect(attempts.map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 403]);
    expect(attempts[0]!.body).toMatchObject({ error: 'forbidden' });
    expect(await count(`SELECT count(*) AS n FROM users WHERE email = 'evil@example.com' OR (id = $1 AND role <> 'user')`, [alice])).toBe(0);
  });

  it('loses the panel at once when demoted to a customer', async () => {
    const cookie = await loginToPanel(panel.baseUrl, VIEWER_EMAIL, PASSWORD);
    await panel.db.sequelize.query(`UPDATE users SET role = 'user' WHERE id = $1`, { bind: [panel.fixture.viewerId] });
    const response = await fetch(`${panel.baseUrl}/admin/api/resources/ai_usage_logs/actions/list`, { headers: { cookie }, redirect: 'manual' });
    expect(response.status).toBe(302);
    await panel.db.sequelize.query(`UPDATE users SET role = 'viewer' WHERE id = $1`, { bind: [panel.fixture.viewerId] });
  });
});

describe('user management by an admin', () => {
  it('hashes the password with bcrypt and never sends a hash back', async () => {
    const created = await post('/resources/users/actions/new', panel.adminCookie, { email: 'new.viewer@example.com', username: 'newviewer', role: 'viewer', password: 'a-long-password-1', passwordHash: 'chosen-by-attacker' });
    expect(created.status).toBe(200);
    expect(JSON.stringify(created.body)).not.toMatch(/passwordHash|\$2[aby]\$/);
    const [row] = await panel.db.sequelize.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE email = 'new.viewer@example.com'`, { type: QueryTypes.SELECT });
    expect(row!.password_hash).toMatch(/^\$2[aby]\$12\$/);
    await expect(loginToPanel(panel.baseUrl, 'new.viewer@example.com', 'a-long-password-1')).resolves.toMatch(/^ai_usage_session=/);
    const listed = await panel.api('/resources/users/actions/list');
    expect(JSON.stringify(listed.body)).not.toMatch(/passwordHash|\$2[aby]\$/);
    const logs = await panel.api('/resources/ai_usage_logs/actions/list');
    expect(JSON.stringify(logs.body)).not.toMatch(/passwordHash|\$2[aby]\$/);
  });

  it('refuses a short password', async () => {
    const created = await post('/resources/users/actions/new', panel.adminCookie, { email: 'short@example.com', username: 'short', role: 'viewer', password: 'short' });
    expect(JSON.stringify(created.body)).toContain('at least 10 characters');
    expect(await count(`SELECT count(*) AS n FROM users WHERE email = 'short@example.com'`)).toBe(0);
  });

  it('filters users case-insensitively and answers a malformed id with no rows', async () => {
    const { body } = await panel.api('/resources/users/actions/list?filters.username=ALICE');
    expect(body.records.map((r: { id: number }) => r.id)).toEqual([panel.fixture.alice]);
    for (const path of ['/resources/users/actions/list?filters.id=abc', '/resources/users/records/abc/show', '/resources/ai_usage_logs/actions/list?filters.userId=1.5', '/resources/nope/actions/list', '/resources/users/actions/constructor', '/resources/ai_usage_tracking/actions/list?filters.date~~from=garbage', '/resources/ai_usage_tracking/actions/list?filters.userId=x1', '/resources/subscriptions/actions/list?filters.userId=abc&filters.periodStart~~to=soon', '/resources/api_tokens/actions/list?filters.id=1%27']) {
      const { status } = await panel.api(path);
      expect({ path, ok: status < 500 }).toEqual({ path, ok: true });
    }
  });

  it('shows the active subscription as a quota and links each user to their logs', async () => {
    const { body } = await panel.api(`/resources/users/records/${panel.fixture.alice}/show`);
    const used = await count('SELECT tokens_used AS n FROM subscriptions WHERE user_id = $1', [panel.fixture.alice]);
    expect(body.record.params).toMatchObject({ quotaPlan: 'pro', quotaLimit: '20000', quotaUsed: String(used) });
    expect(used).toBeGreaterThan(0);
  });
});
