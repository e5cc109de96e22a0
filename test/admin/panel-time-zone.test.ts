import { jest } from '@jest/globals';
import { QueryTypes } from 'sequelize';
import type { Page } from 'playwright-core';
import { findChromium, launchBrowser, type Browser } from './support/browser.js';
import { ADMIN_EMAIL } from './support/ledger-fixture.js';
import { expectLogRows, logIn, openLogList } from './support/panel-page.js';
import { startPanel, type Panel } from './support/panel.js';

const chromiumPath = findChromium();
const describeBrowser = chromiumPath ? describe : describe.skip;
if (!chromiumPath && process.env.CI) throw new Error('CI must run the browser tests: no Chromium (set CHROMIUM_PATH)');

jest.setTimeout(90_000);

const ZONE = 'Asia/Tokyo';
const DAY = 86_400_000;

let panel: Panel;
let browser: Browser;
let page: Page;

/** The calendar day of a moment in the panel's zone, as PostgreSQL computes it. */
async function zoneDay(date: Date): Promise<string> {
  const [row] = await panel.db.sequelize.query<{ d: string }>(`SELECT to_char(($1::timestamptz AT TIME ZONE '${ZONE}')::date, 'YYYY-MM-DD') AS d`, { bind: [date], type: QueryTypes.SELECT });
  return row!.d;
}

async function count(where: string, bind: unknown[] = []): Promise<number> {
  const [row] = await panel.db.sequelize.query<{ n: number }>(`SELECT count(*)::int AS n FROM ai_usage_logs WHERE ${where}`, { bind, type: QueryTypes.SELECT });
  return row!.n;
}

const wholeDays = `created_at >= ($1::date::timestamp AT TIME ZONE '${ZONE}') AND created_at < (($2::date + 1)::timestamp AT TIME ZONE '${ZONE}')`;

/** The panel's zone is Tokyo and the browser's Berlin: every day and time must be Tokyo's. */
describeBrowser('the panel time zone (panel Asia/Tokyo, browser Europe/Berlin)', () => {
  beforeAll(async () => {
    panel = await startPanel({ panelTimeZone: ZONE });
    browser = await launchBrowser(chromiumPath!, { timezoneId: 'Europe/Berlin' });
    page = await browser.context.newPage();
    await logIn(page, panel.baseUrl, ADMIN_EMAIL);
  });
  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('filters one whole day of the panel zone when From = To', async () => {
    const day = await zoneDay(new Date(Date.now() - 3 * DAY));
    const expected = await count(wholeDays, [day, day]);
    expect(expected).toBeGreaterThan(0);
    await openLogList(page, panel.baseUrl);
    await page.click('text=Filter');
    expect(await page.locator('[data-testid=date-filter-zone]').innerText()).toBe(`Whole days in ${ZONE}, both included`);
    await page.fill('[data-testid=date-filter-from]', day);
    await page.fill('[data-testid=date-filter-to]', day);
    await page.click('[data-css="ai_usage_logs-filter-drawer-button-apply"]');
    await page.waitForURL(/filters\.createdAt(~~|%7E%7E)to=/);
    await expectLogRows(page, expected);
    // The statistics count the same rows.
    await page.waitForFunction((n) => document.querySelector('[data-testid=stat-requests-value]')?.textContent === String(n), expected);
    // Every row shown lies in that day of the zone, and says so with the zone's offset.
    const shown = await page.$$eval('[data-testid=datetime]', (cells) => cells.map((c) => [c.getAttribute('data-iso'), c.textContent]));
    expect(shown.length).toBe(Math.min(expected, 20));
    for (const [iso, text] of shown) {
      expect(await zoneDay(new Date(iso!))).toBe(day);
      expect(text).toMatch(new RegExp(`^${day} \\d{2}:\\d{2} \\+09:00$`));
    }
  });

  it('shows list and show times on the zone wall clock with its offset', async () => {
    await openLogList(page, panel.baseUrl);
    const first = page.locator('[data-testid=datetime]').first();
    const iso = (await first.getAttribute('data-iso'))!;
    const [row] = await panel.db.sequelize.query<{ wall: string }>(`SELECT to_char($1::timestamptz AT TIME ZONE '${ZONE}', 'YYYY-MM-DD HH24:MI:SS') AS wall`, { bind: [iso], type: QueryTypes.SELECT });
    expect(await first.innerText()).toBe(`${row!.wall.slice(0, 16)} +09:00`);
    await page.goto(`${panel.baseUrl}/admin/resources/ai_usage_logs/records/${panel.fixture.logIds[0]}/show`);
    const shown = page.locator('[data-testid=property-show-createdAt] [data-testid=datetime]');
    await shown.waitFor();
    expect(await shown.innerText()).toBe(`${row!.wall} +09:00`);
  });

  it('starts the quick ranges at midnight in the zone', async () => {
    await openLogList(page, panel.baseUrl);
    expect(await page.locator('[data-testid=quick-ranges-zone]').innerText()).toBe(`days in ${ZONE}`);
    await page.click('[data-range="7d"]');
    await page.waitForURL(/filters\.period=7d/);
    const expected = await count(`created_at >= ((date_trunc('day', now() AT TIME ZONE '${ZONE}') - interval '6 days') AT TIME ZONE '${ZONE}')`);
    await page.waitForFunction((n) => document.querySelector('[data-testid=stat-requests-value]')?.textContent === String(n), expected);
    await expectLogRows(page, expected);
  });

  it('counts the dashboard by days of the zone', async () => {
    await page.goto(`${panel.baseUrl}/admin`);
    await page.waitForSelector('[data-testid=dashboard-zone]');
    expect(await page.locator('[data-testid=dashboard-zone]').innerText()).toBe(`days in ${ZONE}`);
    const today = await zoneDay(new Date());
    expect(await page.locator('[data-testid=dashboard-range]').innerText()).toContain(`to ${today}`);
    const from = await zoneDay(new Date(Date.now() - 29 * DAY));
    const requests = await count(wholeDays, [from, today]);
    const total = await page.locator('[data-testid=dashboard-totals] >> text=Requests').locator('xpath=..').innerText();
    expect(total).toContain(requests.toLocaleString('en-US'));
  });
});
