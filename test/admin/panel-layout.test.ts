import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { findChromium, launchBrowser, type Browser } from './support/browser.js';
import { ADMIN_EMAIL } from './support/ledger-fixture.js';
import { logIn, openLogList } from './support/panel-page.js';
import { startPanel, type Panel } from './support/panel.js';

const chromiumPath = findChromium();
const describeBrowser = chromiumPath ? describe : describe.skip;
if (!chromiumPath && process.env.CI) throw new Error('CI must run the browser tests: no Chromium (set CHROMIUM_PATH)');

jest.setTimeout(90_000);

let panel: Panel;
let browser: Browser;
let page: Page;

/** Whether the list's table fits its card: no column hidden behind a horizontal scroll. */
async function tableFits(resource: string): Promise<{ table: number; card: number }> {
  await page.goto(`${panel.baseUrl}/admin/resources/${resource}`);
  await page.waitForSelector(`table[data-css="${resource}-table"] tbody tr td[data-property-name]`);
  // The card's content box: the table must end inside its padding, its last column (row actions) included.
  return page.$eval(`table[data-css="${resource}-table"]`, (table) => {
    const card = table.parentElement!;
    const inner = card.getBoundingClientRect().right - parseFloat(getComputedStyle(card).paddingRight);
    const lastCell = table.querySelector('tbody tr')!.lastElementChild!.getBoundingClientRect().right;
    return { table: Math.max(table.getBoundingClientRect().right, lastCell, table.getBoundingClientRect().left + table.scrollWidth), card: inner + 0.5 };
  });
}

async function drawerOpen(): Promise<boolean> {
  return page.evaluate(() => {
    const drawer = document.getElementById('drawerPortal');
    return Boolean(drawer && !drawer.classList.contains('hidden'));
  });
}

describeBrowser('the panel layout at 1440x900 and 390x844', () => {
  beforeAll(async () => {
    panel = await startPanel();
    browser = await launchBrowser(chromiumPath!, { viewport: { width: 1440, height: 900 } });
    page = await browser.context.newPage();
    await logIn(page, panel.baseUrl, ADMIN_EMAIL);
  });
  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('fits the log and the daily aggregate tables in their cards at 1440 px, Cost and row actions included', async () => {
    for (const resource of ['ai_usage_logs', 'ai_usage_tracking']) {
      const { table, card } = await tableFits(resource);
      expect(table).toBeLessThanOrEqual(card);
    }
  });

  it("keeps the statistics' By section and By model tables whole, side by side or stacked", async () => {
    await openLogList(page, panel.baseUrl);
    for (const scope of ['', '[data-testid=stats-action] ']) {
      if (scope) {
        await page.click('[data-testid=action-stats]');
        await page.waitForSelector('[data-testid=stats-action] [data-testid=stats-breakdown]');
      }
      const boxes = await page.$$eval(`${scope}[data-testid=stats-breakdown]`, (nodes) =>
        nodes.map((n) => ({ box: n.getBoundingClientRect().toJSON() as DOMRect, table: n.querySelector('table')!.scrollWidth, width: (n as HTMLElement).clientWidth })),
      );
      expect(boxes.length).toBe(2);
      for (const b of boxes) expect(b.table).toBeLessThanOrEqual(b.width);
      const [a, c] = boxes.map((b) => b.box);
      const overlap = a!.left < c!.right && c!.left < a!.right && a!.top < c!.bottom && c!.top < a!.bottom;
      expect(overlap).toBe(false);
    }
  });

  it('closes the Stats and Export drawers by the close button, Esc, and a click outside', async () => {
    for (const [action, close] of [['stats', 'button'], ['export', 'escape'], ['stats', 'outside']] as const) {
      await openLogList(page, panel.baseUrl, 'filters.section=chat');
      await page.click(`[data-testid=action-${action}]`);
      await page.waitForSelector('[data-testid=drawer-close]');
      expect(await drawerOpen()).toBe(true);
      const drawerBox = (await page.locator('#drawerPortal').boundingBox())!;
      expect(drawerBox.x + drawerBox.width).toBeLessThanOrEqual(1440);
      if (close === 'button') await page.click('[data-testid=drawer-close]');
      if (close === 'escape') await page.keyboard.press('Escape');
      if (close === 'outside') await page.mouse.click(40, 450);
      await page.waitForURL((url) => url.pathname.endsWith('/resources/ai_usage_logs') && url.search.includes('filters.section=chat'));
      await page.waitForFunction(() => document.getElementById('drawerPortal')?.classList.contains('hidden') ?? true);
    }
  });

  it('shows the log (time, section, tokens, response time, status) and the daily aggregate as cards at 390 px', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openLogList(page, panel.baseUrl);
    await page.waitForSelector('table[data-css="ai_usage_logs-table"] tbody tr');
    const visible = await page.$$eval('table[data-css="ai_usage_logs-table"] tbody tr:first-child td[data-property-name]', (cells) =>
      cells.filter((c) => getComputedStyle(c).display !== 'none' && c.getBoundingClientRect().width > 0).map((c) => c.getAttribute('data-property-name')),
    );
    expect(visible.sort()).toEqual(['createdAt', 'responseTimeMs', 'section', 'success', 'totalTokens']);
    const width = await page.$eval('table[data-css="ai_usage_logs-table"] tbody tr', (row) => row.getBoundingClientRect().right);
    expect(width).toBeLessThanOrEqual(390);
    // The statistics' breakdowns fit too: each name on a line of its own, its five figures under it.
    const breakdownCells = await page.$$eval('[data-testid=stats-breakdown] :is(th, td)', (cells) => cells.filter((c) => getComputedStyle(c).display !== 'none').map((c) => c.getBoundingClientRect().right));
    expect(breakdownCells.length).toBeGreaterThan(10);
    expect(Math.max(...breakdownCells)).toBeLessThanOrEqual(390);
    // The daily aggregate too: day, section, tokens and cost.
    await page.goto(`${panel.baseUrl}/admin/resources/ai_usage_tracking`);
    await page.waitForSelector('table[data-css="ai_usage_tracking-table"] tbody tr td[data-property-name]');
    const daily = await page.$$eval('table[data-css="ai_usage_tracking-table"] tbody tr:first-child td[data-property-name]', (cells) =>
      cells.filter((c) => getComputedStyle(c).display !== 'none' && c.getBoundingClientRect().width > 0).map((c) => c.getAttribute('data-property-name')),
    );
    expect(daily.sort()).toEqual(['costUsd', 'date', 'section', 'totalTokens']);
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
