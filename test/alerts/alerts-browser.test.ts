import { mkdir } from 'node:fs/promises';
import { jest } from '@jest/globals';
import { QueryTypes } from 'sequelize';
import type { Page } from 'playwright-core';
import { evaluateAlertRules } from '../../src/core/alerts/index.js';
import { findChromium, launchBrowser, type Browser } from '../admin/support/browser.js';
import { ADMIN_EMAIL, PASSWORD } from '../admin/support/ledger-fixture.js';
import { startPanel, type Panel } from '../admin/support/panel.js';
import { createRule } from './support.js';

const chromiumPath = findChromium();
const describeBrowser = chromiumPath ? describe : describe.skip;
if (!chromiumPath && process.env.CI) throw new Error('CI must run the browser tests: no Chromium (set CHROMIUM_PATH)');

jest.setTimeout(90_000);

/** Screenshots for review, outside the repository (ALERTS_SHOTS_DIR, default /tmp). */
const SHOTS = process.env.ALERTS_SHOTS_DIR ?? '/tmp/ai-usage-alerts-shots';

let panel: Panel;
let browser: Browser;
let page: Page;

async function shots(name: string): Promise<void> {
  for (const [width, height] of [[1440, 900], [390, 844]] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300); // layout settles after a resize; a screenshot only, nothing asserted
    await page.screenshot({ path: `${SHOTS}/${name}-${width}x${height}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

const one = async <T extends object>(sql: string, bind: unknown[] = []) => (await panel.db.sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT }))[0]!;

describeBrowser('alert inbox and cost report in Chromium', () => {
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    panel = await startPanel({ adminBundle: 'startup' });
    browser = await launchBrowser(chromiumPath!);
    page = await browser.context.newPage();
    await page.goto(`${panel.baseUrl}/admin/login`);
    await page.fill('input[name=email]', ADMIN_EMAIL);
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${panel.baseUrl}/admin`), page.click('form button')]);
  });
  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('shows a triggered alert with value, threshold and a link to exactly its requests, and acknowledges it', async () => {
    await createRule(panel.db.sequelize, { name: 'Chat burst', metric: 'requests', window: '24h', threshold: 1, scope: { section: 'chat' } });
    await evaluateAlertRules(panel.db.sequelize);
    const alert = await one<{ id: string; value: string; window_start: Date; window_end: Date }>("SELECT id::text, value, window_start, window_end FROM ai_usage_alerts WHERE rule_name = 'Chat burst'");
    await page.goto(`${panel.baseUrl}/admin/resources/ai_usage_alerts`);
    const row = page.locator('tr', { hasText: 'Chat burst' });
    await row.waitFor();
    expect(await row.textContent()).toContain(String(Number(alert.value)));
    expect(await row.locator('[data-testid=alert-status]').textContent()).toBe('Active');
    await shots('alert-inbox');

    await row.locator('[data-testid=alert-log-link]').click();
    await page.waitForSelector('[data-testid=stat-requests-value]');
    const expected = await one<{ n: number }>("SELECT count(*)::int AS n FROM ai_usage_logs WHERE section = 'chat' AND created_at >= $1 AND created_at <= $2", [alert.window_start, alert.window_end]);
    await page.waitForFunction((n) => document.querySelector('[data-testid=stat-requests-value]')?.textContent?.replace(/\D/g, '') === String(n), expected.n);
    expect(expected.n).toBe(Number(alert.value));

    await page.goto(`${panel.baseUrl}/admin/resources/ai_usage_alerts/records/${alert.id}/acknowledge`);
    await page.waitForSelector('[data-testid=acknowledge-button]');
    await shots('alert-acknowledge');
    await Promise.all([page.waitForURL(`${panel.baseUrl}/admin/resources/ai_usage_alerts`), page.click('[data-testid=acknowledge-button]')]);
    await page.locator('tr', { hasText: 'Chat burst' }).locator('[data-testid=alert-status]', { hasText: 'Acknowledged' }).waitFor();
    expect(await one("SELECT acknowledged_by FROM ai_usage_alerts WHERE id = $1", [alert.id])).toEqual({ acknowledged_by: ADMIN_EMAIL });
  });

  it('refuses a bad rule in the panel with the field named, and hides rules from viewers', async () => {
    const post = (body: Record<string, string>, cookie = panel.adminCookie) =>
      fetch(`${panel.baseUrl}/admin/api/resources/ai_usage_alert_rules/actions/new`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', origin: panel.baseUrl },
        body: JSON.stringify(body),
      });
    const bad = await (await post({ name: 'Bad', metric: 'error_rate', window: '1h', threshold: '5' })).json();
    expect(bad.record.errors.threshold.message).toMatch(/fraction between 0 and 1/);
    const good = await (await post({ name: 'Ops failures', metric: 'failures', window: '1h', threshold: '3', recipients: 'ops@example.com, cto@example.com' })).json();
    expect(good.notice.type).toBe('success');
    expect(await one("SELECT email_recipients, source FROM ai_usage_alert_rules WHERE name = 'Ops failures'")).toEqual({ email_recipients: ['ops@example.com', 'cto@example.com'], source: 'panel' });
    expect((await panel.api('/resources/ai_usage_alert_rules/actions/list', panel.viewerCookie)).status).toBe(403);
    await page.goto(`${panel.baseUrl}/admin/resources/ai_usage_alert_rules/actions/new`);
    await page.waitForSelector('form');
    await shots('alert-rule-form');
  });

  it('shows the cost report of the last full month, its totals equal to the SQL sums over the logs, pivoted both ways', async () => {
    await page.goto(`${panel.baseUrl}/admin/pages/costReport`);
    await page.waitForSelector('[data-testid=report-lines]');
    const now = new Date();
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const sums = await one<{ n: number; cost: string }>('SELECT count(*)::int AS n, COALESCE(sum(cost_usd), 0) AS cost FROM ai_usage_logs WHERE created_at >= $1 AND created_at < $2', [from, to]);
    await page.waitForFunction((n) => document.querySelector('[data-testid=total-requests]')?.textContent?.replace(/\D/g, '') === String(n), sums.n);
    await page.locator('[data-testid=report-pivot-table]').waitFor();
    await shots('cost-report');

    await page.click('[data-testid=preset-month-to-date]');
    const mtd = await one<{ n: number }>('SELECT count(*)::int AS n FROM ai_usage_logs WHERE created_at >= $1', [to]);
    await page.waitForFunction((n) => document.querySelector('[data-testid=total-requests]')?.textContent?.replace(/\D/g, '') === String(n), mtd.n);
    const before = await page.locator('[data-testid=report-pivot-table] thead').textContent();
    await page.click('[data-testid=report-swap]');
    await page.waitForFunction((old) => document.querySelector('[data-testid=report-pivot-table] thead')?.textContent !== old, before);
    expect(await page.locator('[data-testid=report-group]').inputValue()).toBe('section');
    expect(await page.locator('[data-testid=report-pivot]').inputValue()).toBe('user');

    const href = await page.locator('[data-testid=download-csv]').getAttribute('href');
    const csv = await (await fetch(`${panel.baseUrl}${href}`, { headers: { cookie: panel.adminCookie } })).text();
    expect(csv.trim().split('\r\n').at(-1)).toMatch(new RegExp(`^section,TOTAL,Total,${mtd.n},`));
    const xlsx = await fetch(`${panel.baseUrl}${href!.replace('cost.csv', 'cost.xlsx')}`, { headers: { cookie: panel.adminCookie } });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const refused = await fetch(`${panel.baseUrl}/admin/reports/cost.csv?from=2026-13-01`, { headers: { cookie: panel.adminCookie } });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatch(/from must be a date/);
    expect((await fetch(`${panel.baseUrl}/admin/reports/cost.csv`, { redirect: 'manual' })).status).toBe(302);
  });
});
