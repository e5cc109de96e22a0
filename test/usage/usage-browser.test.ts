import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { findChromium, launchBrowser, SCREENSHOTS, type Browser } from '../admin/support/browser.js';
import { loginToPanel } from '../support/http.js';
import { getJson, PASSWORD, startUsageWorld, type UsageWorld } from './support.js';

const chromiumPath = findChromium();
if (!chromiumPath && process.env.CI) throw new Error('CI must run the browser tests: no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)');
const describeBrowser = chromiumPath ? describe : describe.skip;

jest.setTimeout(180_000);

let world: UsageWorld;
let browser: Browser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `usage-${name}.png`), fullPage: true });

/** Column sums of the CSV per date, and in total. */
function csvSums(text: string) {
  const [header, ...lines] = text.trim().split('\r\n');
  const columns = header!.split(',');
  const at = (name: string) => columns.indexOf(name);
  const byDay = new Map<string, { requests: number; failures: number; tokens: number }>();
  const total = { requests: 0, failures: 0, tokens: 0, unpriced: 0, costPicodollars: 0n };
  for (const line of lines) {
    const cells = line.split(',');
    const day = byDay.get(cells[at('date')]!) ?? { requests: 0, failures: 0, tokens: 0 };
    day.requests += Number(cells[at('requests')]);
    day.failures += Number(cells[at('failures')]);
    day.tokens += Number(cells[at('total_tokens')]);
    byDay.set(cells[at('date')]!, day);
    total.requests += Number(cells[at('requests')]);
    total.failures += Number(cells[at('failures')]);
    total.tokens += Number(cells[at('total_tokens')]);
    total.costPicodollars += picodollars(cells[at('cost_usd')]!);
    total.unpriced += Number(cells[at('unpriced_requests')]);
  }
  return { columns, byDay, total };
}

/** An exact decimal string as integer pico-dollars (the sum stays exact). */
function picodollars(decimal: string): bigint {
  const [whole, fraction = ''] = decimal.split('.');
  return BigInt(whole!) * 10n ** 12n + BigInt(fraction.padEnd(12, '0').slice(0, 12));
}

/** Opens /usage, signing alice in on the way when there is no session yet. */
async function openSignedIn(): Promise<void> {
  await page.goto(`${world.baseUrl}/usage`);
  if (new URL(page.url()).pathname !== '/usage/login') return;
  await page.fill('input[name=email]', world.alice.email);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(`${world.baseUrl}/usage`), page.click('form button')]);
}

describeBrowser('the usage page in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    world = await startUsageWorld();
    browser = await launchBrowser(chromiumPath!);
    page = await browser.context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('signs in, draws the chart, and downloads a CSV equal to the API', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${world.baseUrl}/usage`);
    expect(new URL(page.url()).pathname).toBe('/usage/login');
    await openSignedIn();

    const { body: report } = await getJson(world.baseUrl, '/api/usage', world.alice.token);
    const usedDays = report.by_day.filter((d: any) => d.tokens > 0);
    expect(usedDays.length).toBeGreaterThan(5);
    const bars = page.locator('[data-testid=usage-chart] rect');
    expect(await bars.count()).toBe(usedDays.length);
    expect(await bars.evaluateAll((rects) => rects.map((r) => ({ date: r.getAttribute('data-date'), tokens: Number(r.getAttribute('data-tokens')) })))).toEqual(usedDays.map((d: any) => ({ date: d.date, tokens: d.tokens })));
    const box = await page.locator('[data-testid=usage-chart]').boundingBox();
    expect(box!.width).toBeGreaterThan(600);
    expect(box!.height).toBeGreaterThan(100);
    expect(await page.locator('[data-testid=total-tokens]').innerText()).toBe(report.totals.tokens.toLocaleString('en-US'));
    expect(await page.locator('[data-testid=quota-bar]').getAttribute('data-ratio')).toBe(report.quota.used_ratio.toFixed(4));
    // Sections in their registry labels and colours.
    for (const section of report.by_section) {
      const item = page.locator(`[data-testid=by-feature] li[data-section=${section.section}]`);
      expect(await item.locator('.name').innerText()).toBe(section.label);
      expect(await item.locator('.dot').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(hexToRgb(section.color));
    }
    expect(await page.locator('[data-testid=recent-requests] tbody tr').count()).toBe(20);
    await shot('1440');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'usage-1440x900.png') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=csv-download]')]);
    expect(download.suggestedFilename()).toBe(`ai-usage-${report.period.from}-to-${report.period.to}.csv`);
    const file = path.join(tmpdir(), `usage-browser-${process.pid}.csv`);
    await download.saveAs(file);
    const csv = csvSums(await readFile(file, 'utf8'));
    expect(csv.columns).toContain('cost_usd');
    expect({ requests: csv.total.requests, failures: csv.total.failures, tokens: csv.total.tokens }).toEqual({ requests: report.totals.requests, failures: report.totals.failures, tokens: report.totals.tokens });
    expect(csv.total.costPicodollars).toBe(picodollars(report.totals.cost_usd));
    expect(csv.total.unpriced).toBe(report.totals.unpriced_requests);
    expect(report.totals.unpriced_requests).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=unpriced-note]').innerText()).toContain(`${report.totals.unpriced_requests} unpriced`);
    expect(Object.fromEntries(csv.byDay)).toEqual(Object.fromEntries(usedDays.map((d: any) => [d.date, { requests: d.requests, failures: d.failures, tokens: d.tokens }])));
    expect(browser.offsite).toEqual([]);
  });

  it('fits a 390 px phone: no sideways scrolling, chart and numbers readable', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openSignedIn();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const chart = await page.locator('[data-testid=usage-chart]').boundingBox();
    expect(chart!.width).toBeGreaterThan(250);
    expect(await page.locator('[data-testid=usage-chart] rect').count()).toBeGreaterThan(5);
    expect(await page.locator('[data-testid=csv-download]').isVisible()).toBe(true);
    await shot('390');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'usage-390x844.png') });
  });

  it('shows the budgets that count the customer’s calls, each with its bar, what is left and its reset, at 1440 and 390 px', async () => {
    const insert = (name: string, userId: number | null, section: string | null, period: string, usd: string | null, tokens: string | null, mode: string) =>
      world.db.sequelize.query('INSERT INTO ai_budgets (name, user_id, section, period, limit_usd, limit_tokens, mode) VALUES ($1, $2, $3, $4, $5, $6, $7)', { bind: [name, userId, section, period, usd, tokens, mode] });
    await insert('Monthly spend cap', world.alice.id, null, 'month', '40', '3000000', 'enforce');
    await insert('Chat for everyone, per day', null, 'chat', 'day', null, '2000000', 'warn');
    await insert('Bob alone', world.bob.id, null, 'day', null, '5', 'enforce');
    const { body: report } = await getJson(world.baseUrl, '/api/usage', world.alice.token);
    const shown = report.budgets.filter((b: any) => !b.subscription_quota);
    expect(shown.map((b: any) => b.name).sort()).toEqual(['Chat for everyone, per day', 'Monthly spend cap']);

    for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
      await page.setViewportSize(viewport);
      await openSignedIn();
      const items = page.locator('[data-testid=budget]');
      expect(await items.count()).toBe(2);
      for (const budget of shown) {
        const item = page.locator(`[data-testid=budget][data-budget-id="${budget.id}"]`);
        expect(await item.locator('[data-testid=budget-tokens]').getAttribute('data-ratio')).toBe(budget.tokens.used_ratio.toFixed(4));
        expect(await item.locator('[data-testid=budget-resets]').getAttribute('datetime')).toBe(budget.resets_at);
        const bar = (await item.locator('[data-testid=budget-tokens] .bar').boundingBox())!;
        expect(bar.width).toBeGreaterThan(viewport.width > 400 ? 600 : 250);
      }
      const cap = page.locator('[data-testid=budget][data-budget-id="' + shown.find((b: any) => b.name === 'Monthly spend cap').id + '"]');
      expect(await cap.locator('[data-testid=budget-usd] .nums').innerText()).toContain(' left');
      expect(await page.locator('body').innerText()).not.toContain('Bob alone');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await page.locator('[data-testid=budgets]').screenshot({ path: path.join(SCREENSHOTS, `usage-budgets-card-${viewport.width}.png`) });
      await shot(`budgets-${viewport.width}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it("shows an admin the user's page read-only from the panel's user page", async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const cookie = (await loginToPanel(world.baseUrl, world.adminEmail, PASSWORD)).split('=');
    await browser.context.addCookies([{ name: cookie[0]!, value: cookie.slice(1).join('='), url: world.baseUrl }]);
    // The first panel page builds the component bundle: slow on a loaded machine.
    await page.goto(`${world.baseUrl}/admin/resources/users/records/${world.bob.id}/show`, { timeout: 150_000 });
    const link = page.locator('[data-testid=view-as-user-link]');
    await link.waitFor({ timeout: 60_000 });
    await Promise.all([page.waitForURL(`${world.baseUrl}/admin/usage-view/${world.bob.id}`), link.click()]);
    expect(await page.locator('[data-testid=read-only-banner]').innerText()).toContain(world.bob.email);
    expect(await page.locator('form[method=post]').count()).toBe(0);
    await shot('admin-view');
  });
});

function hexToRgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}
