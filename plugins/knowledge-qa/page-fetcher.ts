import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { publicOnlyLookup, refusedHostLiteral, type RefusedAddressError } from '../../src/core/net/index.js';

export interface FetchPolicy {
  /** Whole-request deadline, redirects included. */
  timeoutMs: number;
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /** Reach loopback and private addresses (tests, intranets). Off by default: SSRF protection. */
  allowPrivateAddresses: boolean;
  maxRedirects: number;
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = { timeoutMs: 10_000, maxBytes: 2 * 1024 * 1024, allowPrivateAddresses: false, maxRedirects: 3 };

/** Why a page could not be fetched; the message is shown to the API caller and stored on the page. */
export class PageFetchError extends Error {
  override name = 'PageFetchError';
}

export interface FetchedPage {
  url: string;
  contentType: string;
  body: string;
}

/** The knowledge plugin's wording of a refused address: shown to the API caller and stored on the page. */
const refusedAddress: RefusedAddressError = (host, address, reason) =>
  new PageFetchError(host === address ? `${host} is a private or loopback address, which is not allowed (${reason})` : `${host} resolves to a private or loopback address (${address}), which is not allowed (${reason})`);

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PageFetchError(`"${raw}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PageFetchError(`only http and https URLs are fetched, not ${url.protocol}`);
  if (url.username || url.password) throw new PageFetchError('URLs with credentials are not fetched');
  return url;
}

function request(url: URL, policy: FetchPolicy, signal: AbortSignal): Promise<IncomingMessage> {
  const refusedLiteral = policy.allowPrivateAddresses ? null : refusedHostLiteral(url, refusedAddress);
  if (refusedLiteral) return Promise.reject(refusedLiteral);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { ...(policy.allowPrivateAddresses ? {} : { lookup: publicOnlyLookup(refusedAddress) }), signal, headers: { 'user-agent': 'adminjs-ai-usage knowledge-qa', accept: 'text/html,text/plain;q=0.9' } }, resolve);
    req.on('error', reject);
  });
}

async function readCapped(response: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(response.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new PageFetchError(`page is ${declared} bytes, over the ${maxBytes}-byte limit`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      response.destroy();
      throw new PageFetchError(`page is over the ${maxBytes}-byte limit`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Fetches an http(s) page within the policy's deadline, size cap and address rules. */
export async function fetchPage(rawUrl: string, policy: FetchPolicy = DEFAULT_FETCH_POLICY): Promise<FetchedPage> {
  let url = parseUrl(rawUrl);
  const signal = AbortSignal.timeout(policy.timeoutMs);
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await request(url, policy, signal);
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        if (redirects >= policy.maxRedirects) throw new PageFetchError(`more than ${policy.maxRedirects} redirects`);
        url = parseUrl(new URL(response.headers.location, url).toString());
        continue;
      }
      if (status !== 200) {
        response.resume();
        throw new PageFetchError(`${url.host} answered HTTP ${status}`);
      }
      const contentType = String(response.headers['content-type'] ?? 'text/html');
      if (!/^text\/(html|plain)|application\/xhtml\+xml/i.test(contentType)) {
        response.resume();
        throw new PageFetchError(`unsupported content type ${contentType}: only HTML and plain text pages are read`);
      }
      return { url: url.toString(), contentType, body: await readCapped(response, policy.maxBytes) };
    }
  } catch (error) {
    if (error instanceof PageFetchError) throw error;
    if (signal.aborted) throw new PageFetchError(`fetching ${url.host} took longer than ${policy.timeoutMs} ms`);
    throw new PageFetchError(`could not fetch ${url.host}: ${(error as Error).message}`);
  }
}
