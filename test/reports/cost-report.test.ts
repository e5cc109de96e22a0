import { createHmac } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { createMailer } from '../../src/alerts/mailer.js';
import { createTracker, MAX_EVENT_AGE_LIMIT_MS } from '../../src/core/index.js';
import { costReport } from '../../src/reports/cost-report.js';
import { reportBuffer } from '../../src/reports/report-file.js';
import { sendMonthlyReport } from '../../src/reports/monthly-report.js';
import { lastFullMonth, monthToDate, parseReportRange, previousRange, ReportParameterError } from '../../src/reports/report-range.js';
import { readableMail, startSmtpSink, startWebhookSink } from '../alerts/sinks.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertUser } from '../support/fixtures.js';

let db: TestDatabase;
const november = { from: '2026-11-01', to: '2026-11-30' };

beforeAll(async () => {
  db = await createTestDatabase();
  const tracker = createTracker({ sequelize: db.sequelize, maxEventAgeMs: MAX_EVENT_AGE_LIMIT_MS, logger: { warn: () => undefined, error: () => undefined } });
  const users = [await insertUser(db.sequelize), await insertUser(db.sequelize), await insertUser(db.sequelize), null];
  const sections = ['chat', 'knowledge_qa', 'prompt_generation'];
  const models = ['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-unpriced-model'];
  // October, November (both edges), December: each event through the tracker, so the aggregate is what production writes.
  const days = ['2026-10-01T00:00:00Z', '2026-10-17T12:00:00Z', '2026-10-31T23:59:59Z', '2026-11-01T00:00:00Z', '2026-11-15T08:30:00Z', '2026-11-30T23:59:59.999Z', '2026-12-01T00:00:00Z'];
  let i = 0;
  for (const day of days) {
    for (let n = 0; n < 9; n++, i++) {
      await tracker.track({
        userId: users[i % users.length],
        section: sections[i % sections.length]!,
        modelName: models[(i * 7) % models.length]!,
        promptTokens: 100 + i * 13,
        completionTokens: 40 + i * 7,
        thoughtsTokens: i % 2 ? 20 : 0,
        responseTimeMs: 500 + i,
        success: i % 5 !== 0,
        createdAt: new Date(new Date(day).getTime() + n),
      });
    }
  }
});
afterAll(() => db.drop());

interface Sums {
  requests: string;
  tokens: string;
  cost: string;
  unpriced: string;
}
const logSums = (from: string, to: string, groupBy?: string) =>
  db.sequelize.query<Sums & { key: string }>(
    `SELECT ${groupBy ?? "''"} AS key, count(*) AS requests, COALESCE(sum(total_tokens), 0) AS tokens, COALESCE(sum(cost_usd), 0) AS cost,
            count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced
     FROM ai_usage_logs WHERE created_at >= $1::date AND created_at < $2::date + 1 ${groupBy ? 'GROUP BY 1' : ''}`,
    { bind: [from, to], type: QueryTypes.SELECT },
  );

describe('cost report', () => {
  it("totals equal the SQL sums over the logs of the range, and month over month compares with October's", async () => {
    const report = await costReport(db.sequelize, november, 'user', 'section');
    const [sums] = await logSums(november.from, november.to);
    const [october] = await logSums('2026-10-01', '2026-10-31');
    expect(Number(sums!.unpriced)).toBeGreaterThan(0);
    expect(report.totals).toMatchObject({ requests: Number(sums!.requests), tokens: Number(sums!.tokens), unpricedRequests: Number(sums!.unpriced) });
    expect(Number(report.totals.costUsd)).toBe(Number(sums!.cost));
    expect(report.previous).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(Number(report.totals.previousCostUsd)).toBe(Number(october!.cost));
    expect(report.totals.change).toBeCloseTo((Number(sums!.cost) - Number(october!.cost)) / Number(october!.cost), 10);
    expect(Number(report.totals.costPerRequestUsd)).toBeCloseTo(Number(sums!.cost) / Number(sums!.requests), 10);
  });

  it.each([
    ['user', "COALESCE(user_id::text, 'system')"],
    ['section', 'section'],
    ['model', 'model_name'],
  ] as const)('lines by %s equal the grouped log sums', async (group, column) => {
    const report = await costReport(db.sequelize, november, group);
    const sums = await logSums(november.from, november.to, column);
    const current = report.lines.filter((l) => l.requests > 0);
    expect(current.map((l) => [l.key, l.requests, l.tokens, Number(l.costUsd), l.unpricedRequests]).sort()).toEqual(
      sums.map((s) => [s.key, Number(s.requests), Number(s.tokens), Number(s.cost), Number(s.unpriced)]).sort(),
    );
  });

  it('pivots both ways with the same cells, and every cell adds up to the totals', async () => {
    const bySection = await costReport(db.sequelize, november, 'user', 'section');
    const byUser = await costReport(db.sequelize, november, 'section', 'user');
    const flip = (cells: typeof bySection.cells) => cells.map((c) => `${c.column}|${c.row}|${Number(c.costUsd)}|${c.requests}`).sort();
    expect(byUser.cells.map((c) => `${c.row}|${c.column}|${Number(c.costUsd)}|${c.requests}`).sort()).toEqual(flip(bySection.cells));
    expect(bySection.cells.reduce((sum, c) => sum + c.requests, 0)).toBe(bySection.totals.requests);
    expect(byUser.columns.map((c) => c.key).sort()).toEqual(bySection.lines.filter((l) => l.requests > 0).map((l) => l.key).sort());
  });

  it('lists top spenders by cost and the daily series of the range only', async () => {
    const report = await costReport(db.sequelize, november, 'model');
    const costs = report.topSpenders.map((s) => Number(s.costUsd));
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    expect(report.topSpenders.some((s) => s.label === '(system work)')).toBe(true);
    expect([...new Set(report.daily.map((d) => d.date))]).toEqual(['2026-11-01', '2026-11-15', '2026-11-30']);
  });

  it('writes CSV and XLSX through the export writers, with a total line', async () => {
    const report = await costReport(db.sequelize, november, 'section');
    const csv = (await reportBuffer(report, 'csv')).toString('utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('group,key,label,requests,tokens,cost_usd,cost_per_request_usd,unpriced_requests,previous_cost_usd,change_pct,from,to');
    expect(lines.at(-1)).toMatch(new RegExp(`^section,TOTAL,Total,${report.totals.requests},${report.totals.tokens},`));
    const xlsx = await reportBuffer(report, 'xlsx');
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');
  });
});

describe('report ranges', () => {
  it('defaults to the last full month, offers month to date, and compares a partial month with the same days before', () => {
    const now = new Date('2026-03-31T10:00:00Z');
    expect(lastFullMonth(now)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthToDate(now)).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(previousRange({ from: '2026-03-01', to: '2026-03-31' })).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(previousRange({ from: '2026-03-05', to: '2026-03-31' })).toEqual({ from: '2026-02-05', to: '2026-02-28' });
    expect(parseReportRange({}, now)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });

  it.each([
    [{ from: '2026-02-30' }, /from must be a date as YYYY-MM-DD/],
    [{ to: 'yesterday' }, /to must be a date/],
    [{ from: '2026-03-02', to: '2026-03-01' }, /must not be after/],
    [{ from: '2024-01-01', to: '2026-01-01' }, /at most 366 days/],
  ])('refuses %j', (query, message) => {
    expect(() => parseReportRange(query)).toThrow(ReportParameterError);
    expect(() => parseReportRange(query)).toThrow(message);
  });
});

describe('monthly report', () => {
  it('mails the summary with the CSV and posts the signed report, once per month even when two instances run it', async () => {
    const smtp = await startSmtpSink();
    const hook = await startWebhookSink([200]);
    const mailer = createMailer(smtp.url, 'reports@example.com');
    try {
      const deps = { sequelize: db.sequelize, mailer, config: { reportEmail: ['finance@example.com'], reportWebhook: { url: hook.url, secret: 'report-secret-0123456789' }, webhookAllowPrivate: true } };
      const now = new Date('2026-12-01T06:00:00Z');
      const runs = await Promise.all([sendMonthlyReport(deps, now), sendMonthlyReport(deps, now)]);
      expect(runs.flatMap((r) => r.sent).sort()).toEqual(['email', 'webhook']);
      expect(smtp.received).toHaveLength(1);
      expect(hook.received).toHaveLength(1);
      const mail = readableMail(smtp.received[0]!.raw);
      expect(mail).toContain('Subject: [AI usage] Cost report 2026-11-01 to 2026-11-30');
      expect(mail).toContain('filename=cost-report-user-2026-11-01-to-2026-11-30.csv');
      const body = hook.received[0]!.rawBody;
      expect(hook.received[0]!.headers['x-ai-usage-signature']).toBe(`sha256=${createHmac('sha256', 'report-secret-0123456789').update(body).digest('hex')}`);
      expect(JSON.parse(body)).toMatchObject({ type: 'cost_report', range: november });
      const rows = await db.sequelize.query('SELECT month::text, channel, status FROM ai_usage_report_runs ORDER BY channel', { type: QueryTypes.SELECT });
      expect(rows).toEqual([
        { month: '2026-11-01', channel: 'email', status: 'delivered' },
        { month: '2026-11-01', channel: 'webhook', status: 'delivered' },
      ]);
    } finally {
      mailer.close();
      await smtp.close();
      await hook.close();
    }
  });
});
