import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashPassword } from '../../../src/admin/authenticate.js';
import { EMBEDDING_DIMENSIONS } from '../../../src/gemini/index.js';
import { aggregateMismatches } from '../../../test/support/fixtures.js';
import { loginToPanel } from '../../../test/support/http.js';
import { startPluginApp, usageRows, type PluginApp } from '../../../test/support/plugin-app.js';
import { knowledgeQaPlugin } from '../index.js';

let t: PluginApp;
let site: Server;
let siteUrl: string;

const PAGE = '<html><head><title>Shipping policy</title></head><body><p>Orders ship within 2 business days.</p><p>Express delivery costs 6.50 and arrives next day.</p></body></html>';

beforeAll(async () => {
  site = createServer((req, res) => {
    if (req.url === '/shipping') res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  // Test pages are served on loopback, which production refuses (see page-fetcher tests).
  t = await startPluginApp([knowledgeQaPlugin({ fetchPolicy: { allowPrivateAddresses: true, timeoutMs: 2_000 } })]);
});
afterAll(async () => {
  await t.close();
  site.close();
});
beforeEach(() => t.simulator.reset());

const pageRows = (pageId: number) => usageRows(t, `metadata->>'page_id' = $1`, [String(pageId)]);
const pairCount = async (pageId: number) =>
  (await t.db.sequelize.query<{ n: number }>('SELECT count(*)::int AS n FROM knowledge_qa_pairs WHERE page_id = $1', { bind: [pageId], type: 'SELECT' as never }))[0]!.n;

it('fetches a URL, generates validated Q&A pairs with embeddings, and records both calls', async () => {
  const response = await t.api('POST', '/knowledge/pages', { url: `${siteUrl}/shipping` });
  expect(response.status).toBe(201);
  const page = response.body;
  expect(page).toMatchObject({ url: `${siteUrl}/shipping`, title: 'Shipping policy', status: 'ready', failure_reason: null });
  expect(page.pairs.length).toBeGreaterThanOrEqual(1);
  expect(page.pairs.every((p: { embedding_dimensions: number }) => p.embedding_dimensions === EMBEDDING_DIMENSIONS)).toBe(true);

  const rows = await pageRows(page.id);
  const meta = { page_id: page.id, page_title: 'Shipping policy', content_length: page.content_length };
  expect(rows).toEqual([
    expect.objectContaining({ user_id: t.userId, section: 'knowledge_qa', model_name: 'gemini-2.5-pro', success: true, metadata: expect.objectContaining({ ...meta, usage_source: 'response' }) }),
    expect.objectContaining({ user_id: t.userId, section: 'embedding_generation', model_name: 'gemini-embedding-001', success: true, completion_tokens: 0, metadata: expect.objectContaining({ ...meta, pairs: page.pairs.length, usage_source: 'count_tokens', operation: 'batchEmbedContents' }) }),
  ]);
  expect(rows[0]!.thoughts_tokens).toBeGreaterThan(0);
  expect(rows[1]!.prompt_tokens).toBeGreaterThan(0);
  expect(await aggregateMismatches(t.db.sequelize)).toEqual([]);
});

it('takes raw HTML or text as well', async () => {
  const fromHtml = await t.api('POST', '/knowledge/pages', { html: PAGE });
  expect(fromHtml.body).toMatchObject({ url: null, title: 'Shipping policy', status: 'ready' });
  const fromText = await t.api('POST', '/knowledge/pages', { text: 'Gift cards never expire.\nThey work online and in store.', title: 'Gift cards' });
  expect(fromText.body).toMatchObject({ title: 'Gift cards', content_length: 'Gift cards never expire.\nThey work online and in store.'.length, status: 'ready' });
});

it('tracks malformed model output as a failure with the parse error and saves nothing of it', async () => {
  const response = await t.api('POST', '/knowledge/pages', { text: 'Opening hours are 9 to 5. [[sim:bad-json]]', title: 'Hours' });
  expect(response.status).toBe(502);
  expect(response.body.error).toMatch(/^the AI answer was not usable: model output is not valid JSON/);
  const pageId = response.body.details.page_id;
  const rows = await pageRows(pageId);
  expect(rows).toEqual([
    expect.objectContaining({ section: 'knowledge_qa', success: false, error_message: expect.stringMatching(/^invalid output: model output is not valid JSON/), metadata: expect.objectContaining({ error_kind: 'invalid_output' }) }),
  ]);
  expect(rows[0]!.completion_tokens).toBeGreaterThan(0); // billed even though unusable
  expect(await pairCount(pageId)).toBe(0);
  const page = await t.api('GET', `/knowledge/pages/${pageId}`);
  expect(page.body).toMatchObject({ status: 'failed', failure_reason: expect.stringContaining('not valid JSON'), pairs: [] });
});

it.each([
  [{ kind: '429' as const, retryDelaySeconds: 0, operation: 'generateContent' as const }, 429, 'knowledge_qa', '429 Too Many Requests'],
  [{ kind: '500' as const, operation: 'generateContent' as const }, 502, 'knowledge_qa', '500 Internal Server Error'],
  [{ kind: '500' as const, operation: 'batchEmbedContents' as const }, 502, 'embedding_generation', '500 Internal Server Error'],
])('records a failed %o call, marks the page failed and keeps no pairs', async (fault, status, section, message) => {
  t.simulator.faults.push(fault);
  const response = await t.api('POST', '/knowledge/pages', { text: `Returns are free within 30 days (${section}).` });
  expect(response.status).toBe(status);
  expect(response.body.error).toContain(message);
  const pageId = response.body.details.page_id;
  const failed = (await pageRows(pageId)).filter((r) => !r.success);
  expect(failed).toEqual([expect.objectContaining({ section, error_message: expect.stringContaining(message) })]);
  expect(await pairCount(pageId)).toBe(0);
  expect((await t.api('GET', `/knowledge/pages/${pageId}`)).body.status).toBe('failed');
});

it('keeps an unreachable or refused URL as a failed page with the reason, without calling Gemini', async () => {
  const before = (await usageRows(t)).length;
  const unreachable = await t.api('POST', '/knowledge/pages', { url: 'http://127.0.0.1:1/nothing' });
  expect(unreachable.status).toBe(422);
  expect(unreachable.body.error).toContain('could not fetch 127.0.0.1:1');
  expect((await t.api('GET', `/knowledge/pages/${unreachable.body.details.page_id}`)).body).toMatchObject({ status: 'failed', failure_reason: unreachable.body.error });
  expect((await t.api('POST', '/knowledge/pages', { url: 'file:///etc/passwd' })).body.error).toBe('only http and https URLs are fetched, not file:');
  expect((await t.api('POST', '/knowledge/pages', { url: `${siteUrl}/missing` })).body.error).toContain('answered HTTP 404');
  expect((await usageRows(t)).length).toBe(before);
});

it('regenerates through the API, replacing the pairs, and recovers a failed page', async () => {
  t.simulator.faults.push({ kind: '500', operation: 'generateContent' });
  const failed = await t.api('POST', '/knowledge/pages', { text: 'Parking is free for customers.' });
  const pageId = failed.body.details.page_id;
  const again = await t.api('POST', `/knowledge/pages/${pageId}/regenerate`);
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ id: pageId, status: 'ready', failure_reason: null });
  expect(await pairCount(pageId)).toBe(again.body.pairs.length);
  expect((await pageRows(pageId)).map((r) => [r.section, r.success])).toEqual([['knowledge_qa', false], ['knowledge_qa', true], ['embedding_generation', true]]);
  expect((await t.api('POST', `/knowledge/pages/${pageId}/regenerate`, undefined, await t.otherUserToken())).status).toBe(404);
});

it('regenerates from the panel for an admin', async () => {
  const created = await t.api('POST', '/knowledge/pages', { text: 'We open on Sundays from 10.' });
  await t.db.sequelize.query(`INSERT INTO users (email, username, role, password_hash) VALUES ('kq@example.com', 'kq', 'admin', $1)`, { bind: [await hashPassword('panel-pass-2')] });
  const cookie = await loginToPanel(t.baseUrl, 'kq@example.com', 'panel-pass-2');
  const response = await fetch(`${t.baseUrl}/admin/api/resources/knowledge_pages/records/${created.body.id}/regenerate`, { method: 'POST', headers: { cookie } });
  expect(response.status).toBe(200);
  expect((await response.json()).notice).toMatchObject({ type: 'success', message: expect.stringMatching(/^Generated \d+ Q&A pairs$/) });
  expect((await pageRows(created.body.id)).map((r) => r.section)).toEqual(['knowledge_qa', 'embedding_generation', 'knowledge_qa', 'embedding_generation']);
});

it('refuses requests without exactly one source', async () => {
  expect((await t.api('POST', '/knowledge/pages', {})).body).toEqual({ error: 'give exactly one of url, html or text' });
  expect((await t.api('POST', '/knowledge/pages', { url: siteUrl, text: 'x' })).status).toBe(400);
  expect((await t.api('POST', '/knowledge/pages', { text: 42 })).body).toEqual({ error: 'text must be a string' });
  expect((await t.api('POST', '/knowledge/pages', { html: '<script>x</script>' })).body).toEqual({ error: 'the page has no text to generate questions from' });
});
