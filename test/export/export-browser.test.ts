import { jest } from '@jest/globals';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { QueryTypes } from 'sequelize';
import { findChromium, launchBrowser, SCREENSHOTS, type Browser } from '../admin/support/browser.js';
import { ledgerRows, seedLedger } from './import-support.js';
import { listIds, seedLogs, startExportTestApp, type ExportTestApp } from './support.js';

const chromiumPath = findChromium();
const describeBrowser = chromiumPath ? describe : describe.skip;
if (!chromiumPath && process.env.CI) throw new Error('CI must run the browser tests: no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)');

jest.setTimeout(90_000);

describeBrowser('the export and import dialogs in Chromium', () => {
  let base: ExportTestApp;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `export-${name}.png`), fullPage: true });

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    base = await startExportTestApp();
    await seedLogs(base.db, 300);
    await seedLedger(base);
    browser = await launchBrowser(chromiumPath!);
    page = await browser.context.newPage();
    await page.goto(`${base.baseUrl}/admin/login`);
    await page.fill('input[name=email]', 'boss@example.com');
    await page.fill('input[name=password]', 'export-pass');
    await Promise.all([page.waitForURL(`${base.baseUrl}/admin`), page.click('form button')]);
  });
  afterAll(async () => {
    await browser?.close();
    await base?.close();
  });

  it('exports the filtered list: the dialog counts the records, the download holds exactly them', async () => {
    const query = 'filters.section=chat&filters.success=false';
    await page.goto(`${base.baseUrl}/admin/resources/ai_usage_logs?${query}`);
    await page.click('[data-testid=action-export]');
    const dialog = page.locator('[data-testid=export-dialog]');
    await dialog.waitFor();
    const expected = await listIds(base, 'ai_usage_logs', query);
    expect(await dialog.innerText()).toContain(`${expected.length} records match`);
    // A list of failures: their error message is ticked by default; the fields carry the panel's labels.
    expect(await dialog.locator('#export-field-errorMessage').isChecked()).toBe(true);
    expect(await dialog.locator('label[for=export-field-errorMessage]').innerText()).toBe('Error message');
    expect(await dialog.locator('label[for=export-field-user\\.username]').innerText()).toBe('User name');
    expect(await dialog.locator('#export-field-user\\.username').isChecked()).toBe(true);
    expect(await dialog.locator('#export-field-user\\.email').isChecked()).toBe(false);
    expect(await dialog.innerText()).toContain('times are in UTC');
    await page.click('label[for=export-format-ndjson]');
    await page.click('label[for=export-field-id]');
    await shot('dialog');
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^ai_usage_logs_section-chat_success-false_\d{4}-\d{2}-\d{2}\.ndjson$/);
    const file = path.join(tmpdir(), `export-browser-${process.pid}.ndjson`);
    await download.saveAs(file);
    const ids = (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids).toEqual(expected);
    await page.locator('[data-testid=export-progress]', { hasText: `${expected.length} of ${expected.length} rows written (done)` }).waitFor();
    await shot('done');
  });

  it('ticks no error message when the list is not limited to failures', async () => {
    await page.goto(`${base.baseUrl}/admin/resources/ai_usage_logs?filters.success=true`);
    await page.click('[data-testid=action-export]');
    const dialog = page.locator('[data-testid=export-dialog]');
    await dialog.locator('#export-field-errorMessage').waitFor({ state: 'attached' });
    expect(await dialog.locator('#export-field-errorMessage').isChecked()).toBe(false);
    expect(await dialog.locator('#export-field-createdAt').isChecked()).toBe(true);
  });

  it('says in the dialog when the export is refused because the user already runs as many as allowed', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${base.baseUrl}/admin/resources/ai_usage_logs?filters.section=chat`);
    await page.click('[data-testid=action-export]');
    const dialog = page.locator('[data-testid=export-dialog]');
    await dialog.waitFor();
    // Two exports of this admin running elsewhere (another instance): the per-user cap, 2 by default.
    const [boss] = await base.db.sequelize.query<{ id: number }>(`SELECT id FROM users WHERE email = 'boss@example.com'`, { type: QueryTypes.SELECT });
    await base.db.sequelize.query(
      `INSERT INTO admin_exports (id, owner, resource_id, format, state, instance_id) VALUES ('elsewhere-1', $1, 'ai_usage_logs', 'csv', 'running', 'other'), ('elsewhere-2', $1, 'ai_usage_logs', 'csv', 'running', 'other')`,
      { bind: [String(boss!.id)] },
    );
    try {
      await dialog.getByRole('button', { name: 'Export' }).click();
      const refused = page.locator('[data-testid=export-refused]');
      await refused.waitFor();
      expect(await refused.innerText()).toContain('Not exported: You already run 2 exports, the most one user may run at once.');
      await expect(dialog.getByRole('button', { name: 'Export' }).isEnabled()).resolves.toBe(true);
      await shot('refused-1440');
      await page.setViewportSize({ width: 390, height: 844 });
      await shot('refused-390');
    } finally {
      await base.db.sequelize.query(`DELETE FROM admin_exports WHERE id IN ('elsewhere-1', 'elsewhere-2')`);
      await page.setViewportSize({ width: 1440, height: 1000 });
    }
  });

  it('imports a corrected file and shows each bad row of a wrong one by line', async () => {
    await page.goto(`${base.baseUrl}/admin/resources/ledger_entries`);
    await page.click('[data-testid=action-import]');
    const dialog = page.locator('[data-testid=import-dialog]');
    await dialog.waitFor();
    const file = path.join(tmpdir(), `import-browser-${process.pid}.csv`);
    await writeFile(file, 'id,label,amount,bookedOn\n1,rent,1300.00,2026-11-01\n,bad,-1,2026-11-02\n');
    await dialog.locator('input[type=file]').setInputFiles(file);
    await dialog.getByRole('button', { name: 'Import' }).click();
    const report = page.locator('[data-testid=import-report]');
    await report.waitFor({ timeout: 90_000 });
    expect(await report.innerText()).toContain('amount must not be negative');
    expect(await report.innerText()).toContain('Nothing was written: 1 of 2 rows is invalid');
    expect((await report.locator('thead').innerText()).trim()).toMatch(/^Line\s+Field\s+Problem$/);
    await shot('import-report');
    expect((await ledgerRows(base))[0]).toMatchObject({ amount: '1200.00' });

    // A file of its own: Chromium cannot read a chosen file rewritten after the choice, should the click beat React's re-render.
    const corrected = path.join(tmpdir(), `import-browser-${process.pid}-corrected.csv`);
    await writeFile(corrected, 'id,label,amount,bookedOn\n1,rent,1300.00,2026-11-01\n');
    await dialog.locator('input[type=file]').setInputFiles(corrected);
    await dialog.getByRole('button', { name: 'Import' }).click();
    await page.locator('[data-testid=import-report]', { hasText: 'Committed: 1 row, 0 created, 1 updated' }).waitFor({ timeout: 90_000 });
    expect((await ledgerRows(base))[0]).toMatchObject({ amount: '1300.00' });
  }, 180_000);
});
