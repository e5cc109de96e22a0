import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extractText } from '../html-text.js';
import { DEFAULT_FETCH_POLICY, fetchPage } from '../page-fetcher.js';
import { parseQAPairs } from '../qa-schema.js';

let server: Server;
let base: string;
const loopbackAllowed = { ...DEFAULT_FETCH_POLICY, allowPrivateAddresses: true, timeoutMs: 1_000, maxBytes: 10_000 };

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/page') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><title>Shop FAQ</title><p>Hello</p></html>');
    else if (req.url === '/redirect') res.writeHead(302, { location: '/page' }).end();
    else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
    else if (req.url === '/huge') res.writeHead(200, { 'content-type': 'text/html' }).end('x'.repeat(20_000));
    else if (req.url === '/slow') setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end('late'), 3_000).unref();
    else if (req.url === '/image') res.writeHead(200, { 'content-type': 'image/png' }).end('png');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('fetchPage', () => {
  it('fetches a page and follows redirects when private addresses are allowed', async () => {
    await expect(fetchPage(`${base}/redirect`, loopbackAllowed)).resolves.toMatchObject({ url: `${base}/page`, body: expect.stringContaining('Shop FAQ') });
  });

  it('refuses loopback and private addresses by default, by IP and by name', async () => {
    await expect(fetchPage(`${base}/page`)).rejects.toThrow('127.0.0.1 is a private or loopback address, which is not allowed');
    await expect(fetchPage('http://[::1]:8080/')).rejects.toThrow('::1 is a private or loopback address');
    await expect(fetchPage(`http://localhost:${new URL(base).port}/page`)).rejects.toThrow('localhost resolves to a private or loopback address');
  });

  it('refuses other schemes and credentials', async () => {
    await expect(fetchPage('file:///etc/passwd')).rejects.toThrow('only http and https URLs are fetched, not file:');
    await expect(fetchPage('ftp://example.com/x')).rejects.toThrow('not ftp:');
    await expect(fetchPage('http://user:pw@example.com/')).rejects.toThrow('URLs with credentials are not fetched');
    await expect(fetchPage('not a url')).rejects.toThrow('is not a valid URL');
  });

  it('enforces the size cap, the deadline, redirect limit, status and content type', async () => {
    await expect(fetchPage(`${base}/huge`, loopbackAllowed)).rejects.toThrow('over the 10000-byte limit');
    await expect(fetchPage(`${base}/slow`, loopbackAllowed)).rejects.toThrow('took longer than 1000 ms');
    await expect(fetchPage(`${base}/loop`, loopbackAllowed)).rejects.toThrow('more than 3 redirects');
    await expect(fetchPage(`${base}/missing`, loopbackAllowed)).rejects.toThrow('answered HTTP 404');
    await expect(fetchPage(`${base}/image`, loopbackAllowed)).rejects.toThrow('unsupported content type image/png');
  });

  it('reports an unreachable host as a fetch error', async () => {
    await expect(fetchPage('http://127.0.0.1:1/', loopbackAllowed)).rejects.toThrow('could not fetch 127.0.0.1:1');
  });
});

describe('extractText', () => {
  it('keeps visible text, drops scripts and styles, decodes entities, and finds the title', () => {
    const html = `<html><head><title>Returns &amp; refunds</title><style>p{}</style></head>
      <body><script>alert(1)</script><h1>Ignored title</h1><p>Refunds within&nbsp;30 days.</p><!-- note --><ul><li>Keep the receipt &#8212; always</li></ul></body></html>`;
    expect(extractText(html)).toEqual({ title: 'Returns & refunds', text: 'Ignored title\nRefunds within 30 days.\nKeep the receipt — always' });
  });
});

describe('parseQAPairs', () => {
  it('accepts an array of pairs, also fenced as ```json', () => {
    expect(parseQAPairs('```json\n[{"question":" Q? ","answer":"A."}]\n```')).toEqual([{ question: 'Q?', answer: 'A.' }]);
  });

  it.each([
    ['not json', 'model output is not valid JSON'],
    ['{"a":1}', 'not a JSON array'],
    ['[]', 'has no Q&A pairs'],
    ['[{"question":"Q"}]', 'pair 1: answer must be a non-empty string'],
    ['[{"question":"","answer":"A"}]', 'pair 1: question must be a non-empty string'],
  ])('refuses %s', (text, message) => {
    expect(() => parseQAPairs(text)).toThrow(message);
  });
});
