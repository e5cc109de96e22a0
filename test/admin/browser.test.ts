import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { jest } from '@jest/globals';
import { QueryTypes } from 'sequelize';
import type { Page } from 'playwright-core';
import { DEFAULT_SECTIONS } from '../../src/core/sections.js';
import { findChromium, launchBrowser, SCREENSHOTS, type Browser } from './support/browser.js';
import { ADMIN_EMAIL, VIEWER_EMAIL } from './support/ledger-fixture.js';
import { expectLogRows, logIn as logInAs, openLogList } from './support/panel-page.js';
import { startPanel, type Panel } from './support/panel.js';

const chromiumPath = findChromium();
const describeBrowser = chromiumPath ? describe : describe.skip;
if (!chromiumPath && process.env.CI) {
  throw new Error(`CI must run the browser tests: no Chromium at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
}
if (!chromiumPath) {
  console.warn(`[browser tests skipped] no Chromium at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} (set CHROMIUM_PATH, or apt-get install -y chromium)`);
}

jest.setTimeout(60_000);

let panel: Panel;
let browser: Browser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `admin-${name}.png`), fullPage: true });
const rows = () => page.locator('[data-testid=tokens-cell]');

async function sqlCount(where: string, bind: unknown[] = []): Promise<number> {
  const [row] = await panel.db.sequelize.query<{ n: number }>(`SELECT count(*)::int AS n FROM ai_usage_logs WHERE ${where}`, { bind, type: QueryTypes.SELECT });
  return row!.n;
}

const logIn = (email: string) => logInAs(page, panel.baseUrl, email);
const openList = (query = '') => openLogList(page, panel.baseUrl, query);
const expectRows = (n: number) => expectLogRows(page, n);

describeBrowser('the panel in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    panel = await startPanel({ adminBundle: 'startup' });
    browser = await launchBrowser(chromiumPath!);
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('logs in and renders the dashboard from the daily aggregate', async () => {
    await logIn(ADMIN_EMAIL);
    await page.waitForSelector('[data-testid=ai-usage-dashboard] [data-testid=chart-requests] rect');
    expect(await page.locator('[data-testid=chart-requests] rect').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=top-models] tbody tr').count()).toBeGreaterThan(0);
    // No GEMINI_API_KEY in tests: the panel says Gemini is simulated, on the dashboard and in the header.
    expect(await page.locator('[data-testid=gemini-simulated]').textContent()).toContain('Gemini is simulated');
    expect(await page.getByText('AI usage ledger (Gemini simulated)').count()).toBeGreaterThan(0);
    await shot('dashboard');
  });

  it('lists the logs with section, latency and outcome badges in their colours', async () => {
    await openList();
    await expectRows(20);
    const chat = page.locator('[data-testid=tokens-cell]').first();
    await chat.waitFor();
    const colours = await page.$$eval('[data-testid=section-badge]', (badges) => badges.map((b) => [b.getAttribute('data-section'), getComputedStyle(b).backgroundColor]));
    const hex = (rgb: string) => `#${rgb.match(/\d+/g)!.slice(0, 3).map((n) => Number(n).toString(16).padStart(2, '0')).join('')}`;
    for (const [section, colour] of colours) expect(hex(colour!)).toBe(DEFAULT_SECTIONS.find((s) => s.id === section)!.color);
    expect(await page.locator('[data-testid=response-time-badge][data-speed=fast]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=response-time-badge][data-speed=slow]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=success-badge][data-success=false]').count()).toBeGreaterThan(0);
    expect(await page.locator('a[data-testid=user-cell]').count()).toBeGreaterThan(0);
    await shot('log-list');
  });

  it('shows statistics equal to the same figures in SQL', async () => {
    await openList('filters.section=chat');
    const [sql] = await panel.db.sequelize.query<{ requests: number; tokens: string; failures: number }>(
      `SELECT count(*)::int AS requests, sum(total_tokens)::text AS tokens, (count(*) FILTER (WHERE NOT success))::int AS failures FROM ai_usage_logs WHERE section = 'chat'`,
      { type: QueryTypes.SELECT },
    );
    const text = (id: string) => page.locator(`[data-testid=${id}]`).innerText();
    expect(await text('stat-requests-value')).toBe(sql!.requests.toLocaleString('en-US'));
    expect(await text('stat-tokens-value')).toBe(Number(sql!.tokens).toLocaleString('en-US'));
    expect(await text('stat-success')).toContain(`${sql!.failures} failed`);
    // The Stats action opens over the list with the same filters.
    await page.click('[data-testid=action-stats]');
    await page.waitForSelector('[data-testid=stats-action] [data-testid=stat-requests-value]');
    expect(page.url()).toContain('filters.section=chat');
    expect(await page.locator('[data-testid=stats-action] [data-testid=stat-requests-value]').innerText()).toBe(sql!.requests.toLocaleString('en-US'));
    await shot('stats-action');
  });

  it('filters from the search box and the quick ranges', async () => {
    await openList();
    await page.fill('[data-testid=log-search]', 'OVERLOADED');
    await page.press('[data-testid=log-search]', 'Enter');
    await page.waitForURL(/filters\.q=OVERLOADED/);
    await expectRows(await sqlCount(`error_message ILIKE '%overloaded%'`));
    await page.fill('[data-testid=log-search]', 'alice.w');
    await page.click('[data-testid=log-search-form] button');
    await page.waitForURL(/filters\.q=alice\.w/);
    await expectRows(await sqlCount('user_id = $1', [panel.fixture.alice]));
    await page.fill('[data-testid=log-search]', '');
    await page.press('[data-testid=log-search]', 'Enter');
    await page.click('[data-range="7d"]');
    await page.waitForURL(/filters\.period=7d/);
    await expectRows(await sqlCount(`created_at >= date_trunc('day', now(), 'UTC') - interval '6 days'`));
    await shot('log-list-7-days');
  });

  it('filters by success, section, model, user and date from the filter drawer', async () => {
    // Five filters, each a page load: generous on a loaded machine.
    // One day, From = To, in a Berlin browser: the panel's zone (UTC by default) decides, not the browser's.
    const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const cases: [string, string, string, unknown[]][] = [
      ['success', 'No', 'NOT success', []],
      ['section', 'Knowledge Q&A', `section = 'knowledge_qa'`, []],
      ['modelName', 'gemini-2.5-flash-lite', `model_name = 'gemini-2.5-flash-lite'`, []],
      ['userId', 'bob_builder', 'user_id = $1', [panel.fixture.bob]],
      ['createdAt', day, `created_at >= ($1::date::timestamp AT TIME ZONE 'UTC') AND created_at < (($1::date + 1)::timestamp AT TIME ZONE 'UTC')`, [day]],
    ];
    for (const [path, choice, where, bind] of cases) {
      await openList();
      await page.click('text=Filter');
      if (path === 'createdAt') {
        await page.fill('[data-testid=date-filter-from]', choice);
        await page.fill('[data-testid=date-filter-to]', choice);
        expect(await page.locator('[data-testid=date-filter-zone]').innerText()).toContain('Whole days in UTC');
        expect(await sqlCount(where, bind)).toBeGreaterThan(0);
      } else {
        const field = page.locator(`[data-testid=property-filter-${path}] input`).first();
        await field.click();
        await field.fill(choice);
        await page.locator(`[data-testid=property-filter-${path}] [class*=option]`).first().waitFor();
        await page.keyboard.press('Enter');
      }
      if (path === 'section') await shot('filter-drawer');
      await page.click('[data-css="ai_usage_logs-filter-drawer-button-apply"]');
      await page.waitForURL(new RegExp(`filters\\.${path}`));
      await expectRows(await sqlCount(where, bind));
    }
  }, 180_000);

  it("shows a log's every field, markup in it as text", async () => {
    await page.goto(`${panel.baseUrl}/admin/resources/ai_usage_logs/records/${panel.fixture.xssLogId}/show`);
    await page.waitForSelector('[data-testid=text-show]');
    expect(await page.locator('[data-testid=text-show]').innerText()).toContain('<script>window.__xss = 1</script>');
    const json = await page.locator('[data-testid=json-show]').innerText();
    expect(JSON.parse(json)).toEqual({ note: '<script>window.__xss = 3</script>', nested: { html: '<i>x</i>' } });
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.locator('[data-testid=text-show] script, [data-testid=text-show] img, [data-testid=json-show] script').count()).toBe(0);
    await shot('log-show-xss');
  });

  it('gives a viewer no write action, and refuses one called anyway', async () => {
    const writeButtons = 'a:has-text("Create new"), button:has-text("Create new")';
    await page.goto(`${panel.baseUrl}/admin/resources/users`);
    await page.waitForSelector('[data-testid=quota-bar]');
    expect(await page.locator(writeButtons).count()).toBeGreaterThan(0);
    // Logout is a POST: the GET page asks, its button posts.
    await page.goto(`${panel.baseUrl}/admin/logout`);
    await Promise.all([page.waitForURL(`${panel.baseUrl}/admin/login`), page.click('form button')]);
    await logIn(VIEWER_EMAIL);
    await page.goto(`${panel.baseUrl}/admin/resources/users`);
    await page.waitForSelector('[data-testid=quota-bar]');
    expect(await page.locator(writeButtons).count()).toBe(0);
    await page.goto(`${panel.baseUrl}/admin/resources/users/records/${panel.fixture.alice}/show`);
    await page.waitForSelector('[data-testid=user-logs-link]');
    expect(await page.locator('a:has-text("Edit"), button:has-text("Edit"), a:has-text("Delete"), button:has-text("Delete")').count()).toBe(0);
    await shot('viewer-user-show');
    const status = await page.evaluate(async (id) => {
      const response = await fetch(`/admin/api/resources/users/records/${id}/delete`, { method: 'POST' });
      return response.status;
    }, panel.fixture.alice);
    expect(status).toBe(403);
    const [row] = await panel.db.sequelize.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE id = $1', { bind: [panel.fixture.alice], type: QueryTypes.SELECT });
    expect(row!.n).toBe(1);
  });

  it('refuses the API to a browser without a session', async () => {
    const response = await browser.context.request.fetch(`${panel.baseUrl}/admin/api/resources/ai_usage_logs/actions/list`, { maxRedirects: 0, headers: { cookie: '' } });
    expect(response.status()).toBe(302);
    expect(response.headers().location).toBe('/admin/login');
  });

  it('asked no host but the loopback for anything', () => {
    expect(browser.offsite).toEqual([]);
  });
});
