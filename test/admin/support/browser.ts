import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Chromium to drive: CHROMIUM_PATH, else Debian's /usr/bin/chromium; undefined when neither exists. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : ['/usr/bin/chromium'];
  return candidates.find((candidate) => existsSync(candidate));
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface Browser {
  context: BrowserContext;
  /** Every URL the pages asked for on a host other than the loopback (each one refused). */
  offsite: string[];
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile, no background traffic, and every request to a host
 * other than the loopback recorded and aborted: the panel must work without them.
 */
export async function launchBrowser(executablePath: string, options: { timezoneId?: string; viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'ai-usage-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: options.viewport ?? { width: 1440, height: 1000 },
    // The browser's own zone must change nothing: the panel shows and reads days in its configured zone.
    timezoneId: options.timezoneId ?? 'Europe/Berlin',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const offsite: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || LOOPBACK.has(url.hostname)) return route.continue();
    offsite.push(url.href);
    return route.abort();
  });
  return {
    context,
    offsite,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Screenshots go to screenshots/ at the project root (git-ignored). */
export const SCREENSHOTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../screenshots');
