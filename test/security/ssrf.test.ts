import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPublicAddress, nonPublicReason } from '../../src/core/net/index.js';
import { knowledgeQaPlugin } from '../../plugins/knowledge-qa/index.js';
import { startPluginApp, type PluginApp } from '../support/plugin-app.js';

describe('the shared address policy (src/core/net)', () => {
  it.each([
    '127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '255.255.255.255', '224.0.0.1',
    '192.0.2.10', '198.51.100.7', '203.0.113.9', '198.18.0.1', '192.88.99.1',
    '::', '::1', 'fd00::1', 'fe80::1', 'ff02::1', '2001:db8::1', '3fff::1', '100::1', '2002:7f00:1::', '2001::1',
    '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::127.0.0.1', '::8.8.8.8', '64:ff9b::7f00:1', '64:ff9b::a9fe:a9fe', '64:ff9b:1::1',
    'localhost', 'not an address',
  ])('refuses %s', (address) => {
    expect(nonPublicReason(address)).toEqual(expect.any(String));
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808'])('accepts the public address %s', (address) => {
    expect(nonPublicReason(address)).toBeNull();
  });
});

describe('SSRF through the knowledge API (real server, default policy)', () => {
  let app: PluginApp;
  let site: Server;
  let port: number;

  beforeAll(async () => {
    site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<title>internal</title><p>secret</p>'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    port = (site.address() as AddressInfo).port;
    app = await startPluginApp([knowledgeQaPlugin()]);
  });
  afterAll(async () => {
    await app?.close();
    site.close();
  });

  it.each([
    ['loopback', `http://127.0.0.1:${'PORT'}/`],
    ['IPv4-mapped loopback', `http://[::ffff:127.0.0.1]:${'PORT'}/`],
    ['IPv4-compatible loopback', `http://[::127.0.0.1]:${'PORT'}/`],
    ['NAT64 of loopback', `http://[64:ff9b::7f00:1]:${'PORT'}/`],
    ['NAT64 of the metadata address', 'http://[64:ff9b::a9fe:a9fe]/latest/meta-data/'],
    ['documentation range', 'http://192.0.2.10/'],
    ['IPv6 documentation range', 'http://[2001:db8::1]/'],
    ['decimal loopback', `http://2130706433:${'PORT'}/`],
    ['a name resolving to loopback', `http://localhost:${'PORT'}/`],
  ])('refuses %s before connecting', async (_what, template) => {
    const url = template.replace('PORT', String(port));
    const { status, body } = await app.api('POST', '/knowledge/pages', { url });
    expect(status).toBe(422);
    expect(body.error).toMatch(/private or loopback address.*not allowed/);
    expect(body.details).toMatchObject({ status: 'failed' });
  });
});
