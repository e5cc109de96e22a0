import { createApp, type App } from '../../../src/app.js';
import type { Plugin } from '../../../src/plugin.js';
import { loadConfig, type AppConfig } from '../../../src/config.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { listenOnFreePort, loginToPanel } from '../../support/http.js';
import { ADMIN_EMAIL, PASSWORD, seedLedger, VIEWER_EMAIL, type LedgerFixture } from './ledger-fixture.js';

export const silent = { info: () => {}, error: () => {} };

export interface Panel {
  db: TestDatabase;
  app: App;
  baseUrl: string;
  fixture: LedgerFixture;
  adminCookie: string;
  viewerCookie: string;
  /** GET a panel API path as the admin (or with the given cookie) and parse its JSON. */
  api<T = any>(path: string, cookie?: string): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** A running app on its own database, seeded with the ledger fixture, with admin and viewer sessions. */
export async function startPanel(config: Partial<AppConfig> = {}, plugins: Plugin[] = []): Promise<Panel> {
  const db = await createTestDatabase();
  const app = await createApp({ databaseUrl: db.url, plugins, config: { ...loadConfig({ NODE_ENV: 'test' }), ...config }, logger: silent });
  const baseUrl = await listenOnFreePort(app);
  const fixture = await seedLedger(app);
  const adminCookie = await loginToPanel(baseUrl, ADMIN_EMAIL, PASSWORD);
  const viewerCookie = await loginToPanel(baseUrl, VIEWER_EMAIL, PASSWORD);
  return {
    db,
    app,
    baseUrl,
    fixture,
    adminCookie,
    viewerCookie,
    async api(path, cookie = adminCookie) {
      const response = await fetch(`${baseUrl}/admin/api${path}`, { headers: { cookie }, redirect: 'manual' });
      const json = response.headers.get('content-type')?.includes('application/json');
      return { status: response.status, body: json ? await response.json() : await response.text() };
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

/** Query string of a list request. */
export function listQuery(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}
