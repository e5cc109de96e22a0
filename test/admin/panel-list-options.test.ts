import { jest } from '@jest/globals';
import { QueryTypes } from 'sequelize';
import type { Page } from 'playwright-core';
import { findChromium, launchBrowser, type Browser } from './support/browser.js';
import { ADMIN_EMAIL, VIEWER_EMAIL } from './support/ledger-fixture.js';
import { expectLogRows, logIn, openLogList } from './support/panel-page.js';
import { startPanel, type Panel } from './support/panel.js';

const chromiumPath = findChromium();
const describeBrowser = chromiumPath ? describe : describe.skip;
if (!chromiumPath && process.env.CI) throw new Error('CI must run the browser tests: no Chromium (set CHROMIUM_PATH)');

jest.setTimeout(120_000);

let panel: Panel;
let browser: Browser;
let page: Page;
/** Errors the pages threw and did not catch (an AxiosError of a refused request, for one). */
const pageErrors: string[] = [];

async function sqlCount(where: string, bind: unknown[] = []): Promise<number> {
  const [row] = await panel.db.sequelize.query<{ n: number }>(`SELECT count(*)::int AS n FROM ai_usage_logs WHERE ${where}`, { bind, type: QueryTypes.SELECT });
  return row!.n;
}

/** The users shown in the list's rows, top to bottom. */
async function shownUsers(table: string): Promise<string[]> {
  await page.waitForSelector(`table[data-css="${table}-table"] tbody [data-testid=user-cell]`);
  return page.$$eval(`table[data-css="${table}-table"] tbody [data-testid=user-cell]`, (cells) => cells.map((c) => c.textContent!.trim()));
}

describeBrowser('list options: sort by user, the system user filter, metadata search, refused writes', () => {
  beforeAll(async () => {
    panel = await startPanel();
    browser = await launchBrowser(chromiumPath!, { viewport: { width: 1440, height: 900 } });
    page = await browser.context.newPage();
    // The first page waits for the component bundle, built on demand: slow on a loaded machine.
    page.setDefaultTimeout(90_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await logIn(page, panel.baseUrl, ADMIN_EMAIL);
  });
  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('sorts the log and the daily aggregate by the user’s name, not the id, with system work last', async () => {
    // Ids run root < Alice.Wonder < bob_builder; names run Alice.Wonder < bob_builder < root.
    const names = ['Alice.Wonder', 'bob_builder', 'root'];
    for (const table of ['ai_usage_logs', 'ai_usage_tracking']) {
      await page.goto(`${panel.baseUrl}/admin/resources/${table}?sortBy=userId&direction=asc&perPage=200`);
      const ascending = await shownUsers(table);
      expect([...new Set(ascending)]).toEqual([...names, 'system']);
      await page.goto(`${panel.baseUrl}/admin/resources/${table}?sortBy=userId&direction=desc&perPage=200`);
      await page.waitForFunction((t) => document.querySelector(`table[data-css="${t}-table"] tbody [data-testid=user-cell]`)?.textContent === 'root', table);
      expect([...new Set(await shownUsers(table))]).toEqual([...names].reverse().concat('system'));
    }
  });

  it('offers "No user (system)" in the user filter, and lists only the rows without a user', async () => {
    await openLogList(page, panel.baseUrl);
    await page.click('text=Filter');
    await page.locator('[data-testid=property-filter-userId] input').first().click();
    await page.locator('[data-testid=property-filter-userId] [class*=option]', { hasText: 'No user (system)' }).click();
    await page.click('[data-css="ai_usage_logs-filter-drawer-button-apply"]');
    await page.waitForURL((url) => url.searchParams.get('filters.userId') === 'system');
    const system = await sqlCount('user_id IS NULL');
    expect(system).toBeGreaterThan(0);
    await expectLogRows(page, system);
    expect(new Set(await shownUsers('ai_usage_logs'))).toEqual(new Set(['system']));
    await page.goto(`${panel.baseUrl}/admin/resources/ai_usage_tracking?filters.userId=system`);
    expect(new Set(await shownUsers('ai_usage_tracking'))).toEqual(new Set(['system']));
  });

  it('finds logs by a metadata value (a conversation id) in the one search box, through an index', async () => {
    await openLogList(page, panel.baseUrl);
    await page.fill('[data-testid=log-search]', 'conv-2');
    await page.click('[data-testid=log-search-form] button[type=submit]');
    await page.waitForURL((url) => url.searchParams.get('filters.q') === 'conv-2');
    const expected = await sqlCount(`metadata->>'conversation_id' = 'conv-2'`);
    expect(expected).toBeGreaterThan(0);
    await expectLogRows(page, expected);
    // Keys are not values: every row has the key conversation_id, none is found by it.
    const byKey = await panel.api('/resources/ai_usage_logs/actions/list?filters.q=conversation_id');
    expect(byKey.body.meta.total).toBe(0);
    // With sequential scans priced out, the plan must use an index for the metadata arm: there is one.
    const plan = await panel.db.sequelize.transaction(async (transaction) => {
      await panel.db.sequelize.query('SET LOCAL enable_seqscan = off', { transaction });
      const rows = await panel.db.sequelize.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM ai_usage_logs WHERE ai_usage_metadata_values(ai_usage_logs.metadata) ILIKE '%conv-2%'`,
        { transaction, type: QueryTypes.SELECT },
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    // The log is partitioned by month: each partition scans its own copy of the index.
    expect(plan).toMatch(/Index Scan on \S*metadata_values\S*/);
    expect(plan).not.toContain('Seq Scan');
  });

  it('tells a viewer on a write URL that they are not allowed, without an uncaught error', async () => {
    const viewerPage = page;
    await browser.context.clearCookies();
    await logIn(viewerPage, panel.baseUrl, VIEWER_EMAIL);
    const [subscription] = await panel.db.sequelize.query<{ id: number }>('SELECT id FROM subscriptions LIMIT 1', { type: QueryTypes.SELECT });
    for (const [path, action] of [
      ['/admin/resources/subscriptions/actions/new', 'Create new'],
      [`/admin/resources/subscriptions/records/${subscription!.id}/edit`, 'Edit'],
      [`/admin/resources/users/records/${panel.fixture.alice}/delete`, 'Delete'],
    ] as const) {
      await viewerPage.goto(`${panel.baseUrl}${path}`);
      await viewerPage.waitForSelector('[data-testid=not-allowed]');
      const text = await viewerPage.locator('[data-testid=not-allowed]').innerText();
      expect(text).toContain(`You are not allowed to use “${action}”`);
      expect(await viewerPage.locator('body').innerText()).not.toContain('Page not found');
    }
    expect(pageErrors).toEqual([]);
    // The admin still gets the form.
    await browser.context.clearCookies();
    await logIn(page, panel.baseUrl, ADMIN_EMAIL);
    await page.goto(`${panel.baseUrl}/admin/resources/subscriptions/records/${subscription!.id}/edit`);
    await page.waitForSelector('[data-testid=datetime-edit-periodStart]');
    expect(await page.locator('[data-testid=not-allowed]').count()).toBe(0);
  });
});
