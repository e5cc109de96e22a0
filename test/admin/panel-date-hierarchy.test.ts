import { jest } from '@jest/globals';
import { QueryTypes } from 'sequelize';
import type { Page } from 'playwright-core';
import { dayEnd, dayStart } from '../../src/admin/time/time-zone.js';
import { findChromium, launchBrowser, type Browser } from './support/browser.js';
import { ADMIN_EMAIL } from './support/ledger-fixture.js';
import { expectLogRows, logIn, openLogList } from './support/panel-page.js';
import { startPanel, type Panel } from './support/panel.js';

const chromiumPath = findChromium();
const describeBrowser = chromiumPath ? describe : describe.skip;
if (!chromiumPath && process.env.CI) throw new Error('CI must run the browser tests: no Chromium (set CHROMIUM_PATH)');

jest.setTimeout(120_000);

const ZONE = 'Asia/Tokyo';
let panel: Panel;
let browser: Browser;
let page: Page;

async function logsIn(from: string, to: string, where = 'TRUE'): Promise<number> {
  const [row] = await panel.db.sequelize.query<{ n: number }>(`SELECT count(*)::int AS n FROM ai_usage_logs WHERE created_at >= $1 AND created_at < $2 AND ${where}`, {
    bind: [dayStart(from, ZONE), dayEnd(to, ZONE)],
    type: QueryTypes.SELECT,
  });
  return row!.n;
}

type Shown = { from: string; to: string; count: number; label: string };

/** The links of the hierarchy as shown, once it has loaded for the current URL. */
async function shownLinks(): Promise<Shown[]> {
  await page.waitForSelector('[data-testid=date-hierarchy]');
  return page.$$eval('[data-testid=date-hierarchy-link], [data-testid=date-hierarchy-current]', (links) =>
    links.map((l) => ({ from: l.getAttribute('data-from')!, to: l.getAttribute('data-to')!, label: l.textContent!, count: Number(l.querySelector('span')!.textContent!.replace(/[(),]/g, '')) })),
  );
}

/** Clicks a link and waits for the list to be filtered by its days and the hierarchy to follow. */
async function follow(selector: string, field: string): Promise<void> {
  const link = page.locator(selector).first();
  const from = await link.getAttribute('data-from');
  await link.click();
  if (from) await page.waitForURL((url) => url.searchParams.get(`filters.${field}~~from`) === from);
  else await page.waitForURL((url) => !url.searchParams.has(`filters.${field}~~from`));
  await page.waitForFunction((f) => {
    const links = Array.from(document.querySelectorAll('[data-testid=date-hierarchy] [data-from]'));
    return f ? links.some((l) => l.getAttribute('data-from')?.startsWith(f.slice(0, 4))) : links.length > 0;
  }, from);
}

describeBrowser('the date hierarchy above the lists (panel zone Asia/Tokyo, browser in Berlin)', () => {
  beforeAll(async () => {
    panel = await startPanel({ panelTimeZone: ZONE });
    // A long section name: the statistics' breakdown must still show every column.
    await panel.app.tracker.track({ userId: null, section: 'product_recommendation', modelName: 'gemini-2.5-flash', promptTokens: 10, responseTimeMs: 100, createdAt: new Date() });
    browser = await launchBrowser(chromiumPath!, { viewport: { width: 1440, height: 900 } });
    page = await browser.context.newPage();
    // The first page waits for the component bundle, built on demand: slow on a loaded machine.
    page.setDefaultTimeout(90_000);
    await logIn(page, panel.baseUrl, ADMIN_EMAIL);
  });
  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('drills the log from months (or years) down to one day, each link counting the rows it lists, with the other filters kept', async () => {
    await openLogList(page, panel.baseUrl, 'filters.section=chat');
    let links = await shownLinks();
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link.count).toBe(await logsIn(link.from, link.to, "section = 'chat'"));
    // Down one level at a time until a single day is selected.
    for (let depth = 0; depth < 3 && !(await page.locator('[data-testid=date-hierarchy-current]').count()); depth++) {
      await follow('[data-testid=date-hierarchy-link]', 'createdAt');
      links = await shownLinks();
      for (const link of links) expect(link.count).toBe(await logsIn(link.from, link.to, "section = 'chat'"));
    }
    const url = new URL(page.url());
    expect(url.searchParams.get('filters.section')).toBe('chat');
    const day = { from: url.searchParams.get('filters.createdAt~~from')!, to: url.searchParams.get('filters.createdAt~~to')! };
    expect(day.from).toBe(day.to);
    expect(await page.locator('[data-testid=date-hierarchy-current]').count()).toBe(1);
    await expectLogRows(page, await logsIn(day.from, day.to, "section = 'chat'"));
    expect(await page.locator('[data-testid=date-hierarchy]').innerText()).toContain(`days in ${ZONE}`);
    // Back to all dates: the date filter goes, the section stays.
    await follow('[data-testid=date-hierarchy-up]', 'createdAt');
    expect(new URL(page.url()).searchParams.get('filters.section')).toBe('chat');
  });

  it('replaces a quick range by the whole days of the link clicked', async () => {
    await openLogList(page, panel.baseUrl, 'filters.period=30d');
    await page.waitForSelector('[data-testid=date-hierarchy-link]');
    await follow('[data-testid=date-hierarchy-link]', 'createdAt');
    expect(new URL(page.url()).searchParams.has('filters.period')).toBe(false);
  });

  it('drills the daily aggregate by its date', async () => {
    await page.goto(`${panel.baseUrl}/admin/resources/ai_usage_tracking`);
    const links = await shownLinks();
    expect(links.length).toBeGreaterThan(0);
    await follow('[data-testid=date-hierarchy-link]', 'date');
    const url = new URL(page.url());
    const [row] = await panel.db.sequelize.query<{ n: number }>('SELECT count(*)::int AS n FROM ai_usage_tracking WHERE date BETWEEN $1 AND $2', {
      bind: [url.searchParams.get('filters.date~~from'), url.searchParams.get('filters.date~~to')],
      type: QueryTypes.SELECT,
    });
    expect(links.find((l) => l.from === url.searchParams.get('filters.date~~from'))!.count).toBe(row!.n);
    await page.waitForFunction((n) => document.querySelectorAll('table[data-css="ai_usage_tracking-table"] tbody tr').length === n, Math.min(row!.n, 20));
  });

  it("keeps every column of the statistics' By section table visible at 1440 px", async () => {
    await openLogList(page, panel.baseUrl);
    await page.waitForSelector('[data-testid=stats-breakdown] [data-testid=stats-breakdown-row]');
    const clipped = await page.$$eval('[data-testid=stats-breakdown]', (boxes) => boxes.map((b) => b.scrollWidth > b.clientWidth));
    expect(clipped).toEqual([false, false]);
  });

  it('remembers the page size chosen, per resource', async () => {
    const [{ n: total }] = await panel.db.sequelize.query<{ n: number }>('SELECT count(*)::int AS n FROM ai_usage_logs', { type: QueryTypes.SELECT }) as [{ n: number }];
    expect(total).toBeGreaterThan(20);
    await openLogList(page, panel.baseUrl);
    await page.click('[data-testid=page-size] [data-size="50"]');
    await page.waitForURL((url) => url.searchParams.get('perPage') === '50');
    await expectLogRows(page, total, 50);
    // Opened again from the sidebar's link (no perPage in it): still 50, on this resource only.
    await openLogList(page, panel.baseUrl);
    await page.waitForURL((url) => url.searchParams.get('perPage') === '50');
    await expectLogRows(page, total, 50);
    // AdminJS's pager drops perPage from the URL: the size stays.
    await page.goto(`${panel.baseUrl}/admin/resources/ai_usage_tracking`);
    await page.waitForSelector('[data-testid=page-size] [data-size="20"][aria-pressed=true]');
    expect(new URL(page.url()).searchParams.has('perPage')).toBe(false);
  });
});
