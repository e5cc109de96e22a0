import { jest } from '@jest/globals';
import { QueryTypes } from 'sequelize';
import type { Page } from 'playwright-core';
import { chatPlugin } from '../../plugins/chat/index.js';
import { knowledgeQaPlugin } from '../../plugins/knowledge-qa/index.js';
import { DEFAULT_SECTIONS } from '../../src/core/sections.js';
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
/** Every response of 400 or more the pages got, as "status url". */
const failures: string[] = [];

async function sql<T extends object>(query: string, bind: unknown[] = []): Promise<T[]> {
  return panel.db.sequelize.query<T>(query, { bind, type: QueryTypes.SELECT });
}

/** Relative luminance contrast of two #rrggbb colours (WCAG). */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, b2] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b2!;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

function hue(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  if (d === 0) return 0;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

describeBrowser('labels and texts of the panel', () => {
  beforeAll(async () => {
    panel = await startPanel({}, [chatPlugin(), knowledgeQaPlugin()]);
    browser = await launchBrowser(chromiumPath!);
    page = await browser.context.newPage();
    page.on('response', (response) => {
      if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('brands the login page and needs no favicon request', async () => {
    await page.goto(`${panel.baseUrl}/admin/login`);
    const text = await page.locator('body').innerText();
    expect(text).toContain('AI usage ledger');
    expect(text).not.toContain('AdminJS');
    expect(await page.locator('link[rel="shortcut icon"], link[rel=icon]').first().getAttribute('href')).toMatch(/^data:image\/svg\+xml,/);
    await logIn(page, panel.baseUrl, ADMIN_EMAIL);
    expect(failures.filter((f) => f.includes('favicon'))).toEqual([]);
  });

  it('names navigation groups, resources and actions as written', async () => {
    await page.goto(`${panel.baseUrl}/admin/resources/knowledge_qa_pairs`);
    await page.waitForSelector('h2');
    const sidebar = await page.locator('[data-css=sidebar], section[data-css="sidebar"], nav').first().innerText();
    expect(sidebar).toContain('Knowledge Q&A');
    expect(sidebar).not.toContain('Knowledge Q A');
    expect(await page.locator('h2').first().innerText()).toContain('Knowledge Q&A pairs');
    expect(await page.title()).toBe('Knowledge Q&A pairs');
    await page.goto(`${panel.baseUrl}/admin/resources/api_tokens`);
    await page.waitForFunction(() => document.querySelector('h2')?.textContent?.includes('API tokens'));
    await page.goto(`${panel.baseUrl}/admin/resources/users/records/${panel.fixture.alice}/show`);
    await page.waitForSelector('[data-testid=user-logs-link]');
    expect(await page.locator('h2').first().innerText()).toContain('Users: Alice.Wonder');
    expect(await page.locator('body').innerText()).toContain('Issue API token');
    expect(await page.locator('body').innerText()).not.toContain('Issue Api Token');
  });

  it('says that no record matches a filter, and clears it', async () => {
    await openLogList(page, panel.baseUrl, 'filters.section=chat&filters.modelName=no-such-model');
    await page.waitForSelector('[data-testid=no-records-filtered]');
    expect(await page.locator('[data-testid=no-records-filtered]').innerText()).toContain('No record matches the filter');
    await page.click('[data-testid=clear-filter]');
    await page.waitForURL((url) => !url.search.includes('filters.'));
    await page.locator('[data-testid=tokens-cell]').first().waitFor();
  });

  it('shows no screen-reader text inside the date filter', async () => {
    await openLogList(page, panel.baseUrl);
    await page.click('text=Filter');
    await page.fill('[data-testid=date-filter-from]', '2026-11-20');
    expect(await page.locator('[data-testid=date-filter-from]').inputValue()).toBe('2026-11-20');
    expect(await page.locator('[data-testid=date-filter-createdAt]').innerText()).not.toContain('Selected date');
  });

  it("shows a plugin record's user by name, linked", async () => {
    await sql(`INSERT INTO chat_conversations (id, user_id, title) VALUES (gen_random_uuid(), $1, 'Returns policy')`, [panel.fixture.alice]);
    await page.goto(`${panel.baseUrl}/admin/resources/chat_conversations`);
    const user = page.locator('a[data-testid=user-cell]').first();
    await user.waitFor();
    expect(await user.innerText()).toBe('Alice.Wonder');
    expect(await page.locator('thead').innerText()).not.toMatch(/User Id/i);
  });

  it('offers Revoke only on a token that is not revoked', async () => {
    const [live] = await sql<{ id: number }>(`INSERT INTO api_tokens (user_id, name, token_prefix, token_hash) VALUES ($1, 'live', 'aiu_live', md5('a')) RETURNING id`, [panel.fixture.alice]);
    const [dead] = await sql<{ id: number }>(`INSERT INTO api_tokens (user_id, name, token_prefix, token_hash, revoked_at) VALUES ($1, 'dead', 'aiu_dead', md5('b'), now()) RETURNING id`, [panel.fixture.alice]);
    await page.goto(`${panel.baseUrl}/admin/resources/api_tokens/records/${live!.id}/show`);
    await page.waitForSelector('h2');
    await page.locator('a:has-text("Revoke"), button:has-text("Revoke")').first().waitFor();
    await page.goto(`${panel.baseUrl}/admin/resources/api_tokens/records/${dead!.id}/show`);
    await page.waitForFunction(() => document.querySelector('h2')?.textContent?.includes('API tokens'));
    expect(await page.locator('a:has-text("Revoke"), button:has-text("Revoke")').count()).toBe(0);
  });

  it('keeps Created At and Updated At out of the subscription form', async () => {
    const [subscription] = await sql<{ id: number }>('SELECT id FROM subscriptions LIMIT 1');
    await page.goto(`${panel.baseUrl}/admin/resources/subscriptions/records/${subscription!.id}/edit`);
    await page.waitForSelector('[data-testid=datetime-edit-periodStart]');
    expect(await page.locator('[data-testid=datetime-edit-createdAt], [data-testid=datetime-edit-updatedAt]').count()).toBe(0);
  });

  it('shows the new Generated At after Regenerate', async () => {
    const [created] = await sql<{ id: number }>(
      `INSERT INTO knowledge_pages (user_id, title, content, content_length, status, generated_at) VALUES ($1, 'Shipping', $2, 60, 'ready', '2026-01-01T00:00:00Z') RETURNING id`,
      [panel.fixture.alice, 'Orders ship within two days. Returns are accepted for thirty days.'],
    );
    await page.goto(`${panel.baseUrl}/admin/resources/knowledge_pages/records/${created!.id}/show`);
    const generated = page.locator('[data-testid=property-show-generatedAt] [data-testid=datetime]');
    await generated.waitFor();
    expect(await generated.innerText()).toContain('2026-01-01');
    await page.click('[data-testid=action-regenerate]');
    // Regenerate changes state: its page asks, and the button posts.
    await page.click('[data-testid=confirm-action-button]');
    // The show page is gone while the action runs: wait for it to come back with a new date.
    await page.waitForFunction(() => {
      const shown = document.querySelector('[data-testid=property-show-generatedAt]')?.textContent;
      return !!shown && !shown.includes('2026-01-01');
    }, undefined, { timeout: 60_000 });
    const [row] = await sql<{ at: string }>(`SELECT generated_at AS at FROM knowledge_pages WHERE id = $1`, [created!.id]);
    expect(new Date(row!.at).getTime()).toBeGreaterThan(Date.parse('2026-01-02'));
    expect(await generated.getAttribute('data-iso')).toBe(new Date(row!.at).toISOString());
  });

  it('gives Chat, Knowledge Q&A and Web knowledge distinct colours, readable on white', async () => {
    const colour = (id: string) => DEFAULT_SECTIONS.find((s) => s.id === id)!.color;
    const named = ['chat', 'knowledge_qa', 'web_knowledge'].map(colour);
    for (let i = 0; i < named.length; i++) {
      for (let j = i + 1; j < named.length; j++) {
        const d = Math.abs(hue(named[i]!) - hue(named[j]!));
        expect(Math.min(d, 360 - d)).toBeGreaterThanOrEqual(40);
      }
    }
    for (const section of DEFAULT_SECTIONS) expect(contrast(section.color, '#ffffff')).toBeGreaterThanOrEqual(2);
    await openLogList(page, panel.baseUrl, 'filters.section=chat');
    const shown = await page.$eval('[data-testid=section-badge]', (b) => getComputedStyle(b).backgroundColor);
    expect(shown).toBe('rgb(37, 99, 235)');
  });
});
