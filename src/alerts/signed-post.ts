import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { publicOnlyLookup, refusedHostLiteral, type RefusedAddressError } from '../core/net/index.js';

export const SIGNATURE_HEADER = 'X-AI-Usage-Signature';

/** `sha256=<hex HMAC-SHA256 of the raw body with the secret>`, the value of X-AI-Usage-Signature. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** A webhook target refused before any connection: not http(s), or a private address without permission. */
export class WebhookRefusedError extends Error {
  override name = 'WebhookRefusedError';
}

export interface SignedPostOptions {
  /** Reach loopback and private addresses (AI_USAGE_WEBHOOK_ALLOW_PRIVATE=true). */
  allowPrivate: boolean;
  timeoutMs?: number;
  /** Extra headers, e.g. an idempotency key the receiver can dedupe on. */
  headers?: Record<string, string>;
}

export interface SignedPostResult {
  status: number;
  /** The first 500 characters of the response, for the delivery record. */
  body: string;
}

const refused: RefusedAddressError = (host, address, reason) =>
  new WebhookRefusedError(
    `${host === address ? address : `${host} resolves to ${address}, which`} is not a public address (${reason}); set AI_USAGE_WEBHOOK_ALLOW_PRIVATE=true to allow private targets`,
  );

/**
 * POSTs a JSON body signed with the secret; no redirects are followed (a redirect could lead
 * anywhere). Resolves with any HTTP status; rejects when the target is refused or unreachable.
 */
export function postSignedJson(target: string, body: string, secret: string, options: SignedPostOptions): Promise<SignedPostResult> {
  const url = new URL(target);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new WebhookRefusedError(`webhook URLs must be http or https, not ${url.protocol}`));
  // The same SSRF guard as page fetches: the literal host here, every resolved address at connect time.
  const literal = options.allowPrivate ? null : refusedHostLiteral(url, refused);
  if (literal) return Promise.reject(literal);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        lookup: options.allowPrivate ? undefined : publicOnlyLookup(refused),
        timeout: options.timeoutMs ?? 10_000,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'adminjs-ai-usage alerts',
          [SIGNATURE_HEADER]: signBody(body, secret),
          ...options.headers,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < 500) text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text.slice(0, 500) }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url.host} within ${options.timeoutMs ?? 10_000} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
