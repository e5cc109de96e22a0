import { createApp, type App } from '../../src/app.js';
import { withExportImport } from '../../src/admin/export/index.js';
import { loadConfig } from '../../src/config.js';
import { definePlugin } from '../../src/plugin.js';
import { BUILTIN_PLUGINS } from '../../src/runtime/builtin-plugins.js';
import { seedDemo } from '../../seeders/demo.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { listenOnFreePort, loginToPanel } from '../support/http.js';

/** The shipped plugins, their resources exportable too, so that every resource is probed through the export as well. */
const PLUGINS = BUILTIN_PLUGINS.map((plugin) =>
  definePlugin({ ...plugin, resources: (context) => withExportImport(plugin.resources?.(context) ?? [], { componentLoader: context.componentLoader }) }),
);

interface PanelResource {
  id: string;
  listProperties: { propertyPath: string }[];
  showProperties: { propertyPath: string }[];
  filterProperties: { propertyPath: string }[];
  resourceActions: { name: string }[];
}

let db: TestDatabase;
let app: App;
let baseUrl: string;
let viewer: string;
let admin: string;
/** Resources the viewer may not list (admin-only pages) are probed as an admin. */
const cookieFor = new Map<string, string>();
let resources: PanelResource[];

/** What the panel itself tells the browser about its resources (AdminJS's page state). */
async function panelResources(cookie: string): Promise<PanelResource[]> {
  const html = await (await fetch(`${baseUrl}/admin`, { headers: { cookie } })).text();
  const state = /window\.REDUX_STATE = (\{.*?\});\n/s.exec(html);
  if (!state) throw new Error('no REDUX_STATE in the panel page');
  return (JSON.parse(state[1]!) as { resources: PanelResource[] }).resources;
}

const resourceIdOf = (path: string) => /^\/admin\/(?:api\/resources|export)\/([^/?]+)/.exec(path)?.[1] ?? '';

async function get(path: string, cookie = cookieFor.get(resourceIdOf(path)) ?? viewer): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the failure message
  }
  return { status: response.status, body };
}

const list = (resourceId: string, query: string) => get(`/admin/api/resources/${resourceId}/actions/list?${query}`);

/** Attributes of a resource's table that the panel neither lists nor shows (the record id is in every link: never hidden). */
function hiddenAttributes(resource: PanelResource): string[] {
  const model = Object.values(app.sequelize.models).find((candidate) => candidate.getTableName() === resource.id);
  if (!model) return [];
  const shown = new Set([...resource.listProperties, ...resource.showProperties].map((property) => property.propertyPath));
  return Object.entries(model.getAttributes())
    .filter(([attribute, definition]) => !shown.has(attribute) && !definition.primaryKey)
    .map(([attribute]) => attribute);
}

beforeAll(async () => {
  db = await createTestDatabase();
  app = await createApp({ databaseUrl: db.url, plugins: PLUGINS, config: loadConfig({ NODE_ENV: 'test', GEMINI_RETRY_ATTEMPTS: '1' }), logger: { info: () => {}, error: () => {} } });
  baseUrl = await listenOnFreePort(app);
  const demo = await seedDemo(app, {});
  viewer = await loginToPanel(baseUrl, demo.viewerEmail, demo.viewerPassword);
  admin = await loginToPanel(baseUrl, demo.adminEmail, demo.adminPassword);
  resources = await panelResources(admin);
  for (const { id } of resources) {
    if ((await get(`/admin/api/resources/${id}/actions/list`, viewer)).status === 403) cookieFor.set(id, admin);
  }
}, 120_000);
afterAll(async () => {
  await app.close();
  await db.drop();
});

describe('a hidden field is no oracle', () => {
  it('the password hash can be neither filtered, sorted, searched nor exported by a viewer', async () => {
    // The attack: guess the hash a prefix at a time and watch whether the admin stays in the list.
    for (const guess of ['$2', 'zzz']) {
      const answer = await list('users', `filters.passwordHash=${encodeURIComponent(guess)}`);
      expect(answer).toEqual({ status: 400, body: { error: 'cannot filter users by "passwordHash": not a field of its list' } });
    }
    expect((await list('users', 'sortBy=passwordHash&direction=asc')).status).toBe(400);
    expect((await get('/admin/api/resources/users/search/%242?searchProperty=passwordHash')).status).toBe(400);
    expect((await get('/admin/export/users?format=ndjson&filters.passwordHash=%242')).status).toBe(400);
    expect((await get('/admin/export/users?format=ndjson&sortBy=passwordHash')).status).toBe(400);
    expect((await get('/admin/export/users?format=ndjson&fields=id,passwordHash')).status).toBe(400);
    expect((await get('/admin/api/resources/users/actions/export?filters.passwordHash=%242')).status).toBe(400);
  });

  it('API token hashes and embeddings are refused the same way', async () => {
    expect((await list('api_tokens', 'filters.tokenHash=a')).status).toBe(400);
    expect((await list('knowledge_qa_pairs', 'sortBy=embedding')).status).toBe(400);
  });

  it('on every resource, core and plugins, every attribute the panel hides is refused as filter, sort, search and export field', async () => {
    const probed: string[] = [];
    for (const resource of resources) {
      for (const attribute of hiddenAttributes(resource)) {
        probed.push(`${resource.id}.${attribute}`);
        expect([resource.id, attribute, 'filter', (await list(resource.id, `filters.${attribute}=1`)).status]).toEqual([resource.id, attribute, 'filter', 400]);
        expect([resource.id, attribute, 'sort', (await list(resource.id, `sortBy=${attribute}`)).status]).toEqual([resource.id, attribute, 'sort', 400]);
        expect([resource.id, attribute, 'search', (await get(`/admin/api/resources/${resource.id}/search/a?searchProperty=${attribute}`)).status]).toEqual([resource.id, attribute, 'search', 400]);
        if (resource.resourceActions.some((action) => action.name === 'export')) {
          expect([resource.id, attribute, 'export', (await get(`/admin/export/${resource.id}?format=ndjson&fields=${attribute}`)).status]).toEqual([resource.id, attribute, 'export', 400]);
        }
      }
    }
    expect(probed).toEqual(expect.arrayContaining(['users.passwordHash', 'api_tokens.tokenHash', 'knowledge_qa_pairs.embedding']));
  }, 120_000);
});

describe('malformed list parameters: a clear 400 or no rows, never a 500, never everything', () => {
  it('refuses unknown filters and sorts, bad directions and pages on every resource', async () => {
    for (const resource of resources) {
      for (const query of ['filters.noSuchField=1', 'sortBy=noSuchField', 'direction=sideways', 'page=abc', 'page=0', 'perPage=-1', 'perPage=abc', 'perPage=100000']) {
        const answer = await list(resource.id, query);
        expect([resource.id, query, answer.status]).toEqual([resource.id, query, 400]);
        expect(typeof answer.body.error).toBe('string');
      }
    }
  });

  it('a filter value that cannot match answers no rows or a 400 on every filterable field', async () => {
    const junk = ['zz-no-such-value-zz', '12ab', 'abc', '1e999', '99999999999999999999', "'; --", '%', '\0x'];
    for (const resource of resources) {
      for (const { propertyPath } of resource.filterProperties) {
        for (const value of junk) {
          const answer = await list(resource.id, `filters.${propertyPath}=${encodeURIComponent(value)}`);
          const outcome = answer.status === 200 ? `200 with ${answer.body.meta.total} rows` : String(answer.status);
          expect([resource.id, propertyPath, value, outcome]).toEqual([resource.id, propertyPath, value, expect.stringMatching(/^(200 with 0 rows|400)$/)]);
        }
      }
    }
  }, 180_000);

  it('a malformed record id is a 4xx, not a 500', async () => {
    for (const resource of resources) {
      for (const id of ['not-an-id', '12ab', '99999999999999999999']) {
        const answer = await get(`/admin/api/resources/${resource.id}/records/${encodeURIComponent(id)}/show`);
        expect([resource.id, id, answer.status < 500]).toEqual([resource.id, id, true]);
      }
    }
  });
});
