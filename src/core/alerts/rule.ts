/** An alert rule as the rules file and the panel define it (the file format is fixed). */

export const ALERT_METRICS = ['cost_usd', 'tokens', 'requests', 'failures', 'error_rate', 'p95_latency_ms'] as const;
export const ALERT_WINDOWS = ['1h', '24h', 'period'] as const;

export type AlertMetric = (typeof ALERT_METRICS)[number];
export type AlertWindow = (typeof ALERT_WINDOWS)[number];

export interface AlertScope {
  /** Only this user's requests (by email); the `period` window is then their subscription period. */
  user?: string;
  section?: string;
  model?: string;
}

export interface AlertRule {
  name: string;
  metric: AlertMetric;
  window: AlertWindow;
  /** Fires when the value goes above this. error_rate is a fraction (0.05 = 5 %). */
  threshold: number;
  scope: AlertScope;
  /** Also require the value to exceed `factor` times the 7-day average for a window as long. */
  spike?: { vs: '7d_average'; factor: number };
  webhook?: { url: string; secret: string };
  email?: string[];
}

/** A rule that cannot be used; the message names the rule and the field. */
export class AlertRuleError extends Error {
  override name = 'AlertRuleError';
  constructor(
    message: string,
    /** The offending field, e.g. `scope.user` or `webhook.secret`. */
    readonly field: string,
  ) {
    super(message);
  }
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const RULE_KEYS = new Set(['name', 'metric', 'window', 'threshold', 'scope', 'spike', 'webhook', 'email']);
export const MIN_SECRET_LENGTH = 16;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function refuse(rule: string, field: string, problem: string): never {
  throw new AlertRuleError(`alert rule ${rule}: ${field} ${problem}`, field);
}

function checkKeys(rule: string, value: Json, allowed: ReadonlySet<string>, prefix: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) refuse(rule, `${prefix}${key}`, `is not a rule field (allowed: ${[...allowed].join(', ')})`);
  }
}

function optionalText(rule: string, value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.trim() === '') refuse(rule, field, 'must be a non-empty string');
  return value.trim();
}

function scopeOf(rule: string, value: unknown, knownSections?: ReadonlySet<string>): AlertScope {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) refuse(rule, 'scope', 'must be an object with optional user, section and model');
  checkKeys(rule, value, new Set(['user', 'section', 'model']), 'scope.');
  const scope: AlertScope = {};
  const user = optionalText(rule, value.user, 'scope.user');
  if (user !== undefined) {
    if (!EMAIL.test(user)) refuse(rule, 'scope.user', `must be a user's email address, got "${user}"`);
    scope.user = user.toLowerCase();
  }
  const section = optionalText(rule, value.section, 'scope.section');
  if (section !== undefined) {
    if (knownSections && !knownSections.has(section)) refuse(rule, 'scope.section', `"${section}" is not a registered section (known: ${[...knownSections].join(', ')})`);
    scope.section = section;
  }
  const model = optionalText(rule, value.model, 'scope.model');
  if (model !== undefined) scope.model = model;
  return scope;
}

function webhookOf(rule: string, value: unknown): AlertRule['webhook'] {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) refuse(rule, 'webhook', 'must be an object {url, secret}');
  checkKeys(rule, value, new Set(['url', 'secret']), 'webhook.');
  if (typeof value.url !== 'string') refuse(rule, 'webhook.url', 'is required');
  let url: URL;
  try {
    url = new URL(value.url);
  } catch {
    refuse(rule, 'webhook.url', `"${value.url}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse(rule, 'webhook.url', `must be http or https, not ${url.protocol}`);
  if (url.username || url.password) refuse(rule, 'webhook.url', 'must not carry credentials (the signature authenticates the sender)');
  if (typeof value.secret !== 'string' || value.secret.length < MIN_SECRET_LENGTH) {
    refuse(rule, 'webhook.secret', `must be a string of at least ${MIN_SECRET_LENGTH} characters (it signs every delivery)`);
  }
  return { url: url.toString(), secret: value.secret };
}

function emailOf(rule: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) refuse(rule, 'email', 'must be an array of email addresses');
  const addresses = value.map((address, i) => {
    if (typeof address !== 'string' || !EMAIL.test(address.trim())) refuse(rule, `email[${i}]`, `is not an email address: ${JSON.stringify(address)}`);
    return address.trim();
  });
  return addresses.length > 0 ? addresses : undefined;
}

function spikeOf(rule: string, value: unknown): AlertRule['spike'] {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) refuse(rule, 'spike', 'must be an object {vs: "7d_average", factor}');
  checkKeys(rule, value, new Set(['vs', 'factor']), 'spike.');
  if (value.vs !== '7d_average') refuse(rule, 'spike.vs', `must be "7d_average", got ${JSON.stringify(value.vs)}`);
  if (typeof value.factor !== 'number' || !Number.isFinite(value.factor) || value.factor <= 0) refuse(rule, 'spike.factor', 'must be a number above 0');
  return { vs: '7d_average', factor: value.factor };
}

/** Checks one rule of the fixed shape and returns it normalised; throws AlertRuleError naming the field. */
export function validateAlertRule(input: unknown, options: { knownSections?: ReadonlySet<string> } = {}): AlertRule {
  if (!isObject(input)) throw new AlertRuleError('alert rule: each rule must be a JSON object', 'rule');
  const label = typeof input.name === 'string' && input.name.trim() ? `"${input.name.trim()}"` : '(unnamed)';
  checkKeys(label, input, RULE_KEYS, '');
  const name = optionalText(label, input.name, 'name');
  if (name === undefined) refuse(label, 'name', 'is required');
  if (name.length > 200) refuse(label, 'name', 'must be at most 200 characters');
  if (!ALERT_METRICS.includes(input.metric as AlertMetric)) refuse(label, 'metric', `must be one of ${ALERT_METRICS.join(', ')}, got ${JSON.stringify(input.metric)}`);
  if (!ALERT_WINDOWS.includes(input.window as AlertWindow)) refuse(label, 'window', `must be one of ${ALERT_WINDOWS.join(', ')}, got ${JSON.stringify(input.window)}`);
  const threshold = input.threshold;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0) refuse(label, 'threshold', 'must be a number of at least 0');
  if (input.metric === 'error_rate' && threshold > 1) refuse(label, 'threshold', 'of error_rate is a fraction between 0 and 1 (0.05 = 5 %)');
  const rule: AlertRule = { name, metric: input.metric as AlertMetric, window: input.window as AlertWindow, threshold, scope: scopeOf(label, input.scope, options.knownSections) };
  const spike = spikeOf(label, input.spike);
  if (spike) rule.spike = spike;
  const webhook = webhookOf(label, input.webhook);
  if (webhook) rule.webhook = webhook;
  const email = emailOf(label, input.email);
  if (email) rule.email = email;
  return rule;
}
