import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import { AlertRuleError, AlertRulesFileError, enabledAlertRules, loadAlertRulesFile, validateAlertRule } from '../../src/core/alerts/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const valid = { name: 'Daily spend', metric: 'cost_usd', window: '24h', threshold: 25 };

function refusal(input: unknown, sections?: string[]): AlertRuleError {
  try {
    validateAlertRule(input, { knownSections: sections ? new Set(sections) : undefined });
  } catch (error) {
    if (error instanceof AlertRuleError) return error;
    throw error;
  }
  throw new Error(`accepted: ${JSON.stringify(input)}`);
}

describe('validateAlertRule', () => {
  it('accepts the fixed shape and normalises it', () => {
    expect(
      validateAlertRule({
        ...valid,
        scope: { user: ' Ana@Example.com ', section: 'chat', model: 'gemini-2.5-pro' },
        spike: { vs: '7d_average', factor: 3 },
        webhook: { url: 'https://hooks.example.com/ai', secret: 'sixteen-chars-ok' },
        email: ['ops@example.com'],
      }),
    ).toEqual({
      name: 'Daily spend', metric: 'cost_usd', window: '24h', threshold: 25,
      scope: { user: 'ana@example.com', section: 'chat', model: 'gemini-2.5-pro' },
      spike: { vs: '7d_average', factor: 3 },
      webhook: { url: 'https://hooks.example.com/ai', secret: 'sixteen-chars-ok' },
      email: ['ops@example.com'],
    });
    expect(validateAlertRule(valid)).toEqual({ ...valid, scope: {} });
  });

  it.each([
    [{ ...valid, name: '' }, 'name', /is required/],
    [{ ...valid, metric: 'dollars' }, 'metric', /must be one of cost_usd, tokens, requests, failures, error_rate, p95_latency_ms, got "dollars"/],
    [{ ...valid, window: '7d' }, 'window', /must be one of 1h, 24h, period/],
    [{ ...valid, threshold: '25' }, 'threshold', /must be a number/],
    [{ ...valid, threshold: -1 }, 'threshold', /at least 0/],
    [{ ...valid, metric: 'error_rate', threshold: 5 }, 'threshold', /fraction between 0 and 1/],
    [{ ...valid, treshold: 3 }, 'treshold', /is not a rule field/],
    [{ ...valid, scope: { user: 'ana' } }, 'scope.user', /email address/],
    [{ ...valid, scope: { team: 'x' } }, 'scope.team', /is not a rule field/],
    [{ ...valid, spike: { vs: '30d_average', factor: 2 } }, 'spike.vs', /7d_average/],
    [{ ...valid, spike: { vs: '7d_average', factor: 0 } }, 'spike.factor', /above 0/],
    [{ ...valid, webhook: { url: 'ftp://x.example.com/' , secret: 'sixteen-chars-ok' } }, 'webhook.url', /http or https/],
    [{ ...valid, webhook: { url: 'https://u:p@x.example.com/', secret: 'sixteen-chars-ok' } }, 'webhook.url', /credentials/],
    [{ ...valid, webhook: { url: 'https://x.example.com/', secret: 'short' } }, 'webhook.secret', /at least 16 characters/],
    [{ ...valid, email: 'ops@example.com' }, 'email', /array/],
    [{ ...valid, email: ['ops'] }, 'email[0]', /not an email address/],
  ])('refuses %j at %s', (input, field, message) => {
    const error = refusal(input);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('alert rule');
  });

  it('refuses a section the registry does not know', () => {
    expect(refusal({ ...valid, scope: { section: 'chta' } }, ['chat', 'knowledge_qa']).message).toMatch(/"chta" is not a registered section \(known: chat, knowledge_qa\)/);
  });
});

describe('AI_USAGE_ALERT_RULES_FILE', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(tmpdir(), 'alert-rules-'));
  });
  afterAll(() => db.drop());

  const file = async (name: string, content: unknown) => {
    const target = path.join(dir, name);
    await writeFile(target, typeof content === 'string' ? content : JSON.stringify(content));
    return target;
  };

  it('upserts rules by name: a second load updates them in place', async () => {
    const first = await file('rules.json', [valid, { name: 'Failures', metric: 'failures', window: '1h', threshold: 10, email: ['ops@example.com'] }]);
    expect(await loadAlertRulesFile(db.sequelize, first)).toBe(2);
    const before = await enabledAlertRules(db.sequelize);
    const second = await file('rules2.json', [{ ...valid, threshold: 50 }]);
    await loadAlertRulesFile(db.sequelize, second);
    const after = await enabledAlertRules(db.sequelize);
    expect(after.map((r) => [r.id, r.name, r.threshold])).toEqual([
      [before[0]!.id, 'Daily spend', 50],
      [before[1]!.id, 'Failures', 10],
    ]);
    const [row] = await db.sequelize.query<{ source: string }>("SELECT source FROM ai_usage_alert_rules WHERE name = 'Daily spend'", { type: QueryTypes.SELECT });
    expect(row!.source).toBe('file');
  });

  it('refuses a bad file with the rule number and field, and changes nothing', async () => {
    const bad = await file('bad.json', [{ ...valid, name: 'New one', threshold: 1 }, { ...valid, name: 'Broken', window: 'week' }]);
    await expect(loadAlertRulesFile(db.sequelize, bad)).rejects.toThrow(/bad\.json, rule #2: alert rule "Broken": window must be one of 1h, 24h, period/);
    expect((await enabledAlertRules(db.sequelize)).map((r) => r.name)).not.toContain('New one');
    await expect(loadAlertRulesFile(db.sequelize, await file('dup.json', [valid, valid]))).rejects.toThrow(/two rules are named "Daily spend"/);
    await expect(loadAlertRulesFile(db.sequelize, await file('obj.json', { rules: [] }))).rejects.toThrow(AlertRulesFileError);
    await expect(loadAlertRulesFile(db.sequelize, await file('broken.json', '[{"name": '))).rejects.toThrow(/broken\.json: .*JSON/);
    await expect(loadAlertRulesFile(db.sequelize, path.join(dir, 'missing.json'))).rejects.toThrow(/missing\.json: ENOENT/);
  });
});
