import type { Page } from 'playwright-core';
import { PASSWORD } from './ledger-fixture.js';

/** Signs in through the login form and waits for the dashboard. */
export async function logIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(`${baseUrl}/admin`), page.click('form button')]);
}

/** Opens the log list with the given query and waits for its rows (or its empty state) and its statistics. */
export async function openLogList(page: Page, baseUrl: string, query = ''): Promise<void> {
  await page.goto(`${baseUrl}/admin/resources/ai_usage_logs${query ? `?${query}` : ''}`);
  await page.waitForSelector('[data-testid=stat-requests-value]');
  await page.waitForFunction(() => !document.querySelector('[data-css$="table-wrapper"] [class*="Loader"], .adminjs_Loader'));
}

/** Waits until the list shows `n` rows (at most a page of 20). */
export async function expectLogRows(page: Page, n: number, perPage = 20): Promise<void> {
  if (n > 0) await page.locator('[data-testid=tokens-cell]').first().waitFor();
  await page.waitForFunction((expected) => document.querySelectorAll('[data-testid=tokens-cell]').length === expected, Math.min(n, perPage));
}
