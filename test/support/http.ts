import type { AddressInfo } from 'node:net';
import type { App } from '../../src/app.js';

/** Starts the app on a free loopback port and returns its base URL. */
export async function listenOnFreePort(app: App): Promise<string> {
  const server = await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Logs into the panel and returns the session cookie. */
export async function loginToPanel(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }).toString(),
  });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (response.status !== 302 || response.headers.get('location') !== '/admin' || !cookie) {
    throw new Error(`login as ${email} failed: ${response.status} ${response.headers.get('location')}`);
  }
  return cookie;
}
