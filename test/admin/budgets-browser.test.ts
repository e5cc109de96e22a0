import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { BudgetExceededError } from '../../src/core/errors.js';
import { one } from '../support/fixtures.js';
import { findChromium, launchBrowser, SCREENSHOTS, type Browser } from './support/browser.js';
import { ADMIN_EMAIL, VIEWER_EMAIL } from './support/ledger-fixture.js';
import { logIn } from './support/panel-page.js';
import { startPanel, type Panel } from './support/panel.js';

const chromiumPath = findChromium();
const describeBrowser = chromiumPath ? describe : describe.skip;
if (!chromiumPath && process.env.CI) throw new Error('CI must run the browser tests: no Chromium (set CHROMIUM_PATH)');

jest.setTimeout(180_000);

const ZONE = 'Europe/Berlin';
let panel: Panel;
let browser: Browser;
let page: Page;
let budgets: { chat: number; bob: number; pro: number };

const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `budgets-${name}.png`), fullPage: true });

async function insertBudget(fields: { name: string; userId?: number; section?: string; model?: string; period: string; usd?: string; tokens?: string; mode: string }): Promise<number> {
  const row = await one<{ id: number }>(
    panel.db.sequelize,
    'INSERT INTO ai_budgets (name, user_id, section, model_name, period, limit_usd, limit_tokens, mode) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id',
    [fields.name, fields.userId ?? null, fields.section ?? null, fields.model ?? null, fields.period, fields.usd ?? null, fields.tokens ?? null, fields.mode],
  );
  return row.id;
}

/** Used tokens of a budget's current period, from its counters. */
const counters = (id: number) => one<{ used_tokens: string; used_usd: string }>(panel.db.sequelize, 'SELECT used_tokens::text, used_usd::text FROM ai_budget_usage WHERE budget_id = $1 ORDER BY period_start DESC LIMIT 1', [id]);

async function openBudgets(): Promise<void> {
  await page.goto(`${panel.baseUrl}/admin/resources/ai_budgets`);
  await page.waitForSelector('[data-testid=budget-usage]');
}

describeBrowser('budgets in the panel, in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    // The component bundle is built before the first page, not during it.
    panel = await startPanel({ panelTimeZone: ZONE, adminBundle: 'startup' });
    // Bob's usage today, counted into his day budget when it is created.
    await panel.app.tracker.track({ userId: panel.fixture.bob, section: 'chat', modelName: 'gemini-2.5-flash', promptTokens: 180, completionTokens: 40, responseTimeMs: 700 });
    budgets = {
      chat: await insertBudget({ name: 'Chat, all users, monthly', section: 'chat', period: 'month', usd: '2', tokens: '100000', mode: 'enforce' }),
      bob: await insertBudget({ name: 'Bob per day', userId: panel.fixture.bob, period: 'day', tokens: '200', mode: 'enforce' }),
      pro: await insertBudget({ name: 'gemini-2.5-pro watch', model: 'gemini-2.5-pro', period: 'month', usd: '10', mode: 'warn' }),
    };
    // Two calls of Bob refused through the real path (reserve finds no room; nothing is sent).
    for (let i = 0; i < 2; i += 1) {
      const model = panel.app.gemini.model({ model: 'gemini-2.5-flash', userId: panel.fixture.bob, section: 'chat', generationConfig: { maxOutputTokens: 64 } });
      await expect(model.generateContent('hello')).rejects.toBeInstanceOf(BudgetExceededError);
    }
    browser = await launchBrowser(chromiumPath!, { viewport: { width: 1440, height: 900 } });
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('lists each budget with a bar of its counters, its mode, and its reset in the panel zone, fitting 1440 px', async () => {
    await logIn(page, panel.baseUrl, ADMIN_EMAIL);
    await openBudgets();
    const chatRow = page.locator('tr', { hasText: 'Chat, all users, monthly' });
    const chat = await counters(budgets.chat);
    await expect(chatRow.locator('[data-testid=budget-usage-tokens]').getAttribute('data-used')).resolves.toBe(chat.used_tokens);
    expect(Number(await chatRow.locator('[data-testid=budget-usage-usd]').getAttribute('data-used'))).toBe(Number(chat.used_usd));
    await expect(chatRow.locator('[data-testid=budget-mode]').getAttribute('data-mode')).resolves.toBe('enforce');
    await expect(page.locator('tr', { hasText: 'gemini-2.5-pro watch' }).locator('[data-testid=budget-mode]').getAttribute('data-mode')).resolves.toBe('warn');

    // Bob's day budget is over: its bar is full and red, and it says by how much.
    const bobRow = page.locator('tr', { hasText: 'Bob per day' });
    const bob = await counters(budgets.bob);
    expect(Number(bob.used_tokens)).toBeGreaterThan(200);
    expect(await bobRow.locator('[data-testid=budget-usage-tokens]').innerText()).toContain(`over by ${(Number(bob.used_tokens) - 200).toLocaleString('en-US')} tokens`);

    // The reset of a UTC-day budget is the next UTC midnight, shown on the panel zone's clock.
    const nextMidnight = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1));
    await expect(bobRow.locator('[data-testid=datetime]').getAttribute('data-iso')).resolves.toBe(nextMidnight.toISOString());
    expect(await bobRow.locator('[data-testid=datetime]').innerText()).toMatch(/ 01:00 \+01:00$/);

    const fits = await page.$eval('table[data-css="ai_budgets-table"]', (table) => ({ table: table.scrollWidth, card: table.parentElement!.clientWidth }));
    expect(fits.table).toBeLessThanOrEqual(fits.card);
    await shot('list-1440');
  });

  it('links a budget to its refusals in the log', async () => {
    await openBudgets();
    const link = page.locator('tr', { hasText: 'Bob per day' }).locator('[data-testid=budget-refusals-link]');
    expect(await link.innerText()).toBe('2 refused');
    await link.click();
    await page.waitForURL((url) => url.pathname.endsWith('/resources/ai_usage_logs') && url.search.includes('filters.refused=true'));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=tokens-cell]').length === 2);
    expect(await page.locator('[data-testid=refusals-filter]').innerText()).toBe(`Refusals of budget #${budgets.bob} ×`);
    await page.waitForFunction(() => document.querySelector('[data-testid=stat-requests-value]')?.textContent?.trim() === '2');
    await shot('refusals-1440');
    // The same button clears the filter.
    await page.click('[data-testid=refusals-filter]');
    await page.waitForURL((url) => !url.search.includes('refused'));
    expect(await page.locator('[data-testid=refusals-filter]').innerText()).toBe('Budget refusals');
  });

  it('shows one budget with its period, and an edit form whose scope is fixed', async () => {
    await page.goto(`${panel.baseUrl}/admin/resources/ai_budgets/records/${budgets.chat}/show`);
    await page.waitForSelector('[data-testid=budget-usage-usd]');
    expect(await page.locator('[data-testid=budget-refusals-link]').innerText()).toBe('none');
    await shot('show-1440');
    await page.goto(`${panel.baseUrl}/admin/resources/ai_budgets/records/${budgets.chat}/edit`);
    await page.waitForSelector('[data-testid=fixed-section]');
    expect(await page.locator('[data-testid=fixed-section]').innerText()).toContain('chat');
    expect(await page.locator('[data-testid=fixed-userId]').innerText()).toContain('every user');
    await shot('edit-1440');
    await page.goto(`${panel.baseUrl}/admin/resources/ai_budgets/actions/new`);
    await page.waitForSelector('form');
    await shot('new-1440');
  });

  it('keeps name, mode and bar readable at 390 px', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openBudgets();
    const row = page.locator('tr', { hasText: 'Chat, all users, monthly' });
    for (const testid of ['budget-usage-tokens', 'budget-usage-usd', 'budget-mode']) {
      const box = (await row.locator(`[data-testid=${testid}]`).boundingBox())!;
      expect(box.width).toBeGreaterThan(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await shot('list-390');
    await page.goto(`${panel.baseUrl}/admin/resources/ai_budgets/records/${budgets.bob}/show`);
    await page.waitForSelector('[data-testid=budget-usage-tokens]');
    await shot('show-390');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('offers a viewer no way to create, edit or delete a budget', async () => {
    await page.context().clearCookies();
    await logIn(page, panel.baseUrl, VIEWER_EMAIL);
    await openBudgets();
    expect(await page.locator('a[href$="/resources/ai_budgets/actions/new"]').count()).toBe(0);
    expect(await page.locator('[data-testid=budget-usage]').count()).toBeGreaterThan(0);
    await page.goto(`${panel.baseUrl}/admin/resources/ai_budgets/records/${budgets.chat}/show`);
    await page.waitForSelector('[data-testid=budget-usage-usd]');
    expect(await page.locator('a[href$="/edit"], a[href$="/delete"]').count()).toBe(0);
  });
});
