import { loadBudgetConfig, type BudgetConfig } from './core/budgets/config.js';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './runtime/config.js';
import { loadAlertsConfig, type AlertsConfig } from './alerts/config.js';
import { DEFAULT_PANEL_TIME_ZONE, isTimeZone } from './admin/time/time-zone.js';
import { loadPartitionsConfig, type PartitionsConfig } from './core/partitions/config.js';
import { loadSecurityConfig, sessionSecretFrom, type SecurityConfig } from './security-config.js';

/** Application settings, read once from the environment (see README, Configuration). */
export interface AppConfig {
  /** `production` turns on secure cookies, requires SESSION_SECRET and expects a prebuilt admin bundle. */
  production: boolean;
  /** HTTP port of the panel and API. */
  port: number;
  /** Interface to listen on. */
  host: string;
  /** Signs the panel's session cookie. */
  sessionSecret: string;
  /** AI_USAGE_PRICING_FILE: prices upserted into ai_model_prices at startup (checked there, all or nothing). */
  pricingFile?: { path: string; entries: unknown[] };
  /** Real Gemini API key; when absent the built-in simulator is used. */
  geminiApiKey?: string;
  /** Gemini-compatible endpoint (proxy, regional endpoint, simulator elsewhere). */
  geminiBaseUrl?: string;
  /** Response-time badge thresholds in ms: green below `fast`, orange below `slow`, red from `slow`. */
  responseTime: { fastMs: number; slowMs: number };
  /** Retries of failed Gemini calls (429, 5xx, timeouts): attempts in all and the first backoff. */
  geminiRetry: { attempts: number; initialDelayMs: number };
  /**
   * When the panel's component bundle is made: `startup` (built before serving, development),
   * `on-demand` (at the first page, tests), `prebuilt` (npm run build:admin; ADMIN_JS_SKIP_BUNDLE=true).
   */
  adminBundle: 'startup' | 'on-demand' | 'prebuilt';
  /** Usage alerts and the monthly cost report (AI_USAGE_ALERT_*, SMTP_URL, AI_USAGE_REPORT_*). */
  alerts: AlertsConfig;
  /** Whether end users see money on /usage and in GET /api/usage (USAGE_SHOW_COST=true); tokens are always shown. */
  usageShowCost: boolean;
  /** The durable spool behind trackSafe while the database is down (see README, Reliability). */
  spool: {
    /** AI_USAGE_SPOOL_DIR; default `.data/spool` (a temporary directory under NODE_ENV=test). */
    dir: string;
    /** AI_USAGE_SPOOL_MAX_MB (default 512), in bytes: past it trackSafe fails with SPOOL_FULL. */
    maxBytes: number;
    /** AI_USAGE_SPOOL_MAX_ATTEMPTS (default 5): failed replays of an event before it becomes a dead letter. */
    maxAttempts: number;
    /** AI_USAGE_SPOOL_WRITE_TIMEOUT_MS (default 5000): how long trackSafe waits for the database before spooling. */
    writeTimeoutMs: number;
  };
  /** AI_USAGE_MAX_EVENT_AGE_DAYS (default 7), in ms: the tracker refuses events whose createdAt is older. */
  maxEventAgeMs: number;
  /** Monthly log partitions kept ahead and retention (see README, Operations). */
  partitions: PartitionsConfig;
  /** Budgets enforced before each Gemini call: fail mode, subscription quota mode, hold expiry (README, Budgets). */
  budgets: BudgetConfig;
  /** IANA zone of every day, date and time the panel shows, filters and exports (AI_USAGE_PANEL_TIME_ZONE, default UTC). */
  panelTimeZone: string;
  /** Trusted proxies and origins, upload directory, login throttling. */
  security: SecurityConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** The file's entries: a JSON array of prices, or an object with a `prices` array (the seed catalogue's shape). */
function pricingFile(path: string | undefined): AppConfig['pricingFile'] {
  if (!path) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8'));
    const entries = Array.isArray(parsed) ? parsed : parsed?.prices;
    if (!Array.isArray(entries)) throw new Error('expected a JSON array of model prices, or an object with a "prices" array');
    return { path, entries };
  } catch (error) {
    throw new ConfigError(`AI_USAGE_PRICING_FILE ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function timeZone(env: NodeJS.ProcessEnv): string {
  const raw = env.AI_USAGE_PANEL_TIME_ZONE?.trim();
  if (!raw) return DEFAULT_PANEL_TIME_ZONE;
  if (!isTimeZone(raw)) throw new ConfigError(`AI_USAGE_PANEL_TIME_ZONE must be an IANA time zone such as UTC or Europe/Berlin, got "${raw}"`);
  return raw;
}

function maxEventAgeDays(env: NodeJS.ProcessEnv): number {
  const days = integer(env, 'AI_USAGE_MAX_EVENT_AGE_DAYS', 7);
  if (days < 1 || days > 36_500) throw new ConfigError(`AI_USAGE_MAX_EVENT_AGE_DAYS must be from 1 to 36500 days, got "${env.AI_USAGE_MAX_EVENT_AGE_DAYS}"`);
  return days;
}

/** Reads and checks the configuration; a missing or weak SESSION_SECRET outside development and test is a startup error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const production = env.NODE_ENV === 'production';
  const sessionSecret = sessionSecretFrom(env);
  const responseTime = { fastMs: integer(env, 'RESPONSE_TIME_FAST_MS', 1000), slowMs: integer(env, 'RESPONSE_TIME_SLOW_MS', 3000) };
  if (responseTime.fastMs >= responseTime.slowMs) throw new ConfigError('RESPONSE_TIME_FAST_MS must be below RESPONSE_TIME_SLOW_MS');
  return {
    production,
    port: integer(env, 'PORT', 3000),
    host: env.HOST || '127.0.0.1',
    sessionSecret,
    pricingFile: pricingFile(env.AI_USAGE_PRICING_FILE),
    geminiApiKey: env.GEMINI_API_KEY || undefined,
    geminiBaseUrl: env.GEMINI_BASE_URL || undefined,
    responseTime,
    geminiRetry: { attempts: Math.max(1, integer(env, 'GEMINI_RETRY_ATTEMPTS', 3)), initialDelayMs: integer(env, 'GEMINI_RETRY_DELAY_MS', 1000) },
    adminBundle: env.ADMIN_JS_SKIP_BUNDLE === 'true' ? 'prebuilt' : env.NODE_ENV === 'test' ? 'on-demand' : 'startup',
    alerts: loadAlertsConfig(env),
    usageShowCost: flag(env, 'USAGE_SHOW_COST'),
    spool: {
      dir: env.AI_USAGE_SPOOL_DIR || (env.NODE_ENV === 'test' ? path.join(tmpdir(), 'adminjs-ai-usage-spool') : path.join(PROJECT_ROOT, '.data', 'spool')),
      maxBytes: Math.max(1, integer(env, 'AI_USAGE_SPOOL_MAX_MB', 512)) * 1024 * 1024,
      maxAttempts: Math.max(1, integer(env, 'AI_USAGE_SPOOL_MAX_ATTEMPTS', 5)),
      writeTimeoutMs: Math.max(1, integer(env, 'AI_USAGE_SPOOL_WRITE_TIMEOUT_MS', 5000)),
    },
    maxEventAgeMs: maxEventAgeDays(env) * 86_400_000,
    partitions: loadPartitionsConfig(env),
    budgets: loadBudgetConfig(env),
    panelTimeZone: timeZone(env),
    security: loadSecurityConfig(env),
  };
}
