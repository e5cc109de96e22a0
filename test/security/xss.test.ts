import { mkdir } from 'node:fs/promises';
import { hashPassword } from '../../src/admin/authenticate.js';
import { issueApiToken } from '../../src/core/api-tokens.js';
import { escapeInlineJson } from '../../src/http/inline-state.js';
import { startPanel, type Panel } from '../admin/support/panel.js';
import { findChromium, launchBrowser, type Browser } from '../admin/support/browser.js';
import { loginToPanel } from '../support/http.js';

const EVIL_NAME = `</script><script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">\u2028&amp;`;
const EVIL = { email: 'evil-name@example.com', password: 'evil-name-pass-1' };
const SHOTS = process.env.SECURITY_SHOTS_DIR;
let panel: Panel;

beforeAll(async () => {
  panel = await startPanel();
  await panel.db.sequelize.query(`INSERT INTO users (email, username, name, role, password_hash) VALUES ($1, 'evil', $2, 'admin', $3)`, {
    bind: [EVIL.email, EVIL_NAME, await hashPassword(EVIL.password)],
  });
}, 60_000);
afterAll(() => panel?.close());

/** The JSON AdminJS inlined as window.REDUX_STATE, parsed back. */
function inlinedState(html: string): any {
  const start = html.indexOf('window.REDUX_STATE = ') + 'window.REDUX_STATE = '.length;
  const end = html.indexOf(';\n', start);
  return JSON.parse(html.slice(start, end));
}

it('escapes a panel user name inlined with the session into the page script, and the state still reads back exactly', async () => {
  const cookie = await loginToPanel(panel.baseUrl, EVIL.email, EVIL.password);
  const html = await (await fetch(`${panel.baseUrl}/admin`, { headers: { cookie } })).text();
  const script = html.slice(html.indexOf('<script>'), html.indexOf('</script>') + '</script>'.length);
  expect(script).toContain('window.REDUX_STATE = ');
  // The first </script> is the state script's own end: the name did not close it early.
  expect(script).toContain('window.AdminJS = { Components: {} };');
  expect(html).not.toContain('</script><script>window.__xss');
  expect(inlinedState(html).session).toMatchObject({ email: EVIL.email, title: EVIL_NAME });
});

it('escapeInlineJson keeps the JSON equal and leaves the rest of the page alone', () => {
  const state = { session: { title: '</script><b>&\u2029' }, n: [1, { s: 'a"b\\c' }] };
  const page = `<head><script>\n window.REDUX_STATE = ${JSON.stringify(state)};\n window.THEME = {"x":"<y>"};\n</script><p>&lt;kept&gt;</p>`;
  const escaped = escapeInlineJson(page);
  expect(escaped).not.toContain('</script><b>');
  expect(escaped).toContain('<p>&lt;kept&gt;</p>');
  expect(inlinedState(escaped)).toEqual(state);
});

describe('in Chromium', () => {
  const chromium = findChromium();
  let browser: Browser;
  beforeAll(async () => {
    if (chromium) browser = await launchBrowser(chromium);
  }, 60_000);
  afterAll(() => browser?.close());
  (chromium ? it : it.skip)('runs none of the name, shows it as text, confirms revoke before posting and logs out by POST', async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(120_000);
    const posts: string[] = [];
    page.on('request', (request) => request.method() === 'POST' && posts.push(new URL(request.url()).pathname));
    await page.goto(`${panel.baseUrl}/admin/login`);
    await page.fill('input[name=email]', EVIL.email);
    await page.fill('input[name=password]', EVIL.password);
    await Promise.all([page.waitForURL(`${panel.baseUrl}/admin`), page.click('form button')]);
    await page.waitForSelector('[data-css="logged-in"]');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('[data-css="logged-in"]').innerText()).toContain('</script>');

    await issueApiToken(panel.app.core.ApiToken, panel.fixture.alice, 'browser-revoke');
    const id = (await panel.db.sequelize.query<{ id: number }>("SELECT id FROM api_tokens WHERE name = 'browser-revoke'", { type: 'SELECT' as never }))[0]!.id;
    await page.goto(`${panel.baseUrl}/admin/resources/api_tokens/records/${id}/revoke`);
    await page.waitForSelector('[data-testid=confirm-action]');
    if (SHOTS) await mkdir(SHOTS, { recursive: true }).then(() => page.screenshot({ path: `${SHOTS}/revoke-confirm-1440.png` }));
    const revokedAt = async () => (await panel.db.sequelize.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM api_tokens WHERE id = $1', { bind: [id], type: 'SELECT' as never }))[0]!.revoked_at;
    expect(await revokedAt()).toBeNull();
    await Promise.all([page.waitForURL(new RegExp(`/records/${id}/show`)), page.click('[data-testid=confirm-action-button]')]);
    expect(await revokedAt()).toBeInstanceOf(Date);

    await page.click('[data-css="logged-in"]');
    await Promise.all([page.waitForURL(`${panel.baseUrl}/admin/login`), page.getByText('Log out', { exact: false }).first().click()]);
    expect(posts).toEqual(['/admin/login', `/admin/api/resources/api_tokens/records/${id}/revoke`, '/admin/logout']);
    // The first page builds the component bundle (on demand under test): slow on a loaded machine.
  }, 300_000);
});
