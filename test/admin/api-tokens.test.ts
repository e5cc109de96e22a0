import { createApp, type App } from '../../src/app.js';
import { hashPassword } from '../../src/admin/authenticate.js';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertUser } from '../support/fixtures.js';
import { listenOnFreePort, loginToPanel } from '../support/http.js';

let db: TestDatabase;
let app: App;
let baseUrl: string;
let customerId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await createApp({ databaseUrl: db.url, config: loadConfig({ NODE_ENV: 'test' }), logger: { info: () => {}, error: () => {} } });
  baseUrl = await listenOnFreePort(app);
  customerId = await insertUser(db.sequelize);
  const hash = await hashPassword('tokens-pass-1');
  await db.sequelize.query(`INSERT INTO users (email, username, role, password_hash) VALUES ('tk-admin@example.com', 'tkadmin', 'admin', $1), ('tk-viewer@example.com', 'tkviewer', 'viewer', $1)`, { bind: [hash] });
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

/** Any /api path: 401 without a live token, the API's own 404 with one. */
const apiStatus = async (token: string) => (await fetch(`${baseUrl}/api/anything`, { headers: { authorization: `Bearer ${token}` } })).status;

async function action(email: string, path: string, body: Record<string, string> = {}) {
  const cookie = await loginToPanel(baseUrl, email, 'tokens-pass-1');
  return fetch(`${baseUrl}/admin/api/resources/${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  });
}

it('lets an admin issue a token from a user page, shown once and stored hashed, and revoke it', async () => {
  const issued = await action('tk-admin@example.com', `users/records/${customerId}/issueApiToken`, { name: 'billing export' });
  expect(issued.status).toBe(200);
  const { token } = (await issued.json()) as { token: string };
  expect(token).toMatch(/^aiu_/);
  expect(await apiStatus(token)).toBe(404);

  const [stored] = await db.sequelize.query<{ id: number; name: string; token_hash: string }>('SELECT id, name, token_hash FROM api_tokens WHERE user_id = $1', { bind: [customerId], type: 'SELECT' as never });
  expect(stored).toMatchObject({ name: 'billing export' });
  expect(stored!.token_hash).not.toContain(token.slice(4));

  const revoked = await action('tk-admin@example.com', `api_tokens/records/${stored!.id}/revoke`);
  expect(revoked.status).toBe(200);
  expect(await apiStatus(token)).toBe(401);
});

it('refuses a viewer both actions', async () => {
  expect((await action('tk-viewer@example.com', `users/records/${customerId}/issueApiToken`)).status).toBe(403);
  const tokens = await db.sequelize.query<{ id: number; revoked_at: Date | null }>('SELECT id, revoked_at FROM api_tokens', { type: 'SELECT' as never });
  expect(tokens).toHaveLength(1);
  await db.sequelize.query('UPDATE api_tokens SET revoked_at = NULL');
  expect((await action('tk-viewer@example.com', `api_tokens/records/${tokens[0]!.id}/revoke`)).status).toBe(403);
  const after = await db.sequelize.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM api_tokens', { type: 'SELECT' as never });
  expect(after[0]!.revoked_at).toBeNull();
});
