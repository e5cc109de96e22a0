import ipaddr from 'ipaddr.js';
import { tmpdir } from 'node:os';
import { ConfigError } from './config.js';

/** The panel's and API's protections that depend on how the application is deployed (README, Security). */
export interface SecurityConfig {
  /**
   * Express's `trust proxy`: which hops may set X-Forwarded-For/-Proto (TRUST_PROXY: a hop count,
   * or addresses/CIDRs/loopback/linklocal/uniquelocal). false (default): the socket's address is
   * the client, whatever headers say.
   */
  trustProxy: false | number | string[];
  /** Origins besides the panel's own that may send state-changing requests (AI_USAGE_TRUSTED_ORIGINS). */
  trustedOrigins: string[];
  /** Where uploads are written while their request runs (AI_USAGE_UPLOAD_DIR, default the OS temp dir). */
  uploadDir: string;
  /** Failed panel logins allowed per account and per client address within the window before logins are refused. */
  loginThrottle: { maxFailuresPerAccount: number; maxFailuresPerIp: number; windowMs: number };
  /** Exports running at once per panel user and in all, over every instance (AI_USAGE_EXPORTS_PER_USER / AI_USAGE_EXPORTS_TOTAL). */
  exportLimits: { perUser: number; total: number };
}

const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

function trustProxy(raw: string | undefined): SecurityConfig['trustProxy'] {
  const value = raw?.trim();
  if (!value || value === 'false') return false;
  if (value === 'true') throw new ConfigError('TRUST_PROXY=true would let any client choose its address with X-Forwarded-For: give the number of proxies in front (e.g. 1) or their addresses');
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const valid = PROXY_KEYWORDS.has(entry) || (entry.includes('/') ? ipaddr.isValidCIDR(entry) : ipaddr.isValid(entry));
    if (!valid) throw new ConfigError(`TRUST_PROXY: "${entry}" is not a hop count, an IP address, a CIDR or one of ${[...PROXY_KEYWORDS].join(', ')}`);
  }
  return entries;
}

function trustedOrigins(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      let url: URL | undefined;
      try {
        url = new URL(entry);
      } catch {
        // reported below
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== entry.replace(/\/$/, '')) {
        throw new ConfigError(`AI_USAGE_TRUSTED_ORIGINS: "${entry}" is not an origin (scheme://host[:port], no path), e.g. https://admin.example.com`);
      }
      return url.origin;
    });
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export function loadSecurityConfig(env: NodeJS.ProcessEnv): SecurityConfig {
  return {
    trustProxy: trustProxy(env.TRUST_PROXY),
    trustedOrigins: trustedOrigins(env.AI_USAGE_TRUSTED_ORIGINS),
    uploadDir: env.AI_USAGE_UPLOAD_DIR || tmpdir(),
    loginThrottle: {
      maxFailuresPerAccount: positive(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 10),
      maxFailuresPerIp: positive(env, 'LOGIN_MAX_FAILURES_PER_IP', 100),
      windowMs: positive(env, 'LOGIN_THROTTLE_WINDOW_MINUTES', 15) * 60_000,
    },
    exportLimits: { perUser: positive(env, 'AI_USAGE_EXPORTS_PER_USER', 2), total: positive(env, 'AI_USAGE_EXPORTS_TOTAL', 8) },
  };
}

const DEV_SESSION_SECRET = 'adminjs-ai-usage-development-secret-not-for-production';

/**
 * The session cookie's signing secret. Without NODE_ENV, or with development/test, a missing
 * SESSION_SECRET falls back to a fixed development secret; any other NODE_ENV (production,
 * staging, ...) requires a real one: 32+ characters, not blank, not repetitive, not the development secret.
 */
export function sessionSecretFrom(env: NodeJS.ProcessEnv): string {
  const relaxed = !env.NODE_ENV || env.NODE_ENV === 'development' || env.NODE_ENV === 'test';
  const secret = env.SESSION_SECRET;
  if (relaxed) return secret?.trim() ? secret : DEV_SESSION_SECRET;
  const where = `NODE_ENV=${env.NODE_ENV} is neither development nor test`;
  if (!secret) throw new ConfigError(`SESSION_SECRET must be set in production (${where}): 32+ random characters, e.g. openssl rand -base64 48`);
  if (secret.trim().length < 32) throw new ConfigError(`SESSION_SECRET must be at least 32 characters besides surrounding spaces (${where})`);
  if (new Set(secret).size < 8) throw new ConfigError(`SESSION_SECRET is too repetitive to be random (${where}): use e.g. openssl rand -base64 48`);
  if (secret === DEV_SESSION_SECRET) throw new ConfigError(`SESSION_SECRET is the public development secret (${where})`);
  return secret;
}
