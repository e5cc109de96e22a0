import { download, listIds, ndjsonRecords, seedLogs, startExportTestApp, type ExportTestApp } from './support.js';

/** List query strings as the panel's list writes them: filters, date ranges, sort and direction. */
const LOG_QUERIES = [
  '',
  'filters.section=chat',
  'filters.success=false',
  'filters.section=knowledge&filters.modelName=pro&sortBy=totalTokens&direction=asc',
  'filters.createdAt~~from=2026-11-01T02:00:00.000Z&filters.createdAt~~to=2026-11-01T05:00:00.000Z&sortBy=createdAt&direction=asc',
  'filters.userId=3&filters.success=true&sortBy=responseTimeMs&direction=desc',
  'filters.errorMessage=exceeded',
  'filters.promptTokens=150',
  'filters.section=nothing-matches',
];

describe('export fidelity: the export holds exactly the records the list shows, in its order', () => {
  let base: ExportTestApp;
  beforeAll(async () => {
    base = await startExportTestApp();
    await seedLogs(base.db, 420);
  });
  afterAll(() => base.close());

  it.each(LOG_QUERIES)('ai usage logs on the stock adapter: "%s"', async (query) => {
    const listed = await listIds(base, 'export_logs', query);
    const exported = await download(base, 'export_logs', `${query}&format=ndjson&fields=id`);
    expect(exported.status).toBe(200);
    const ids = ndjsonRecords(exported.body).map((record) => record.id);
    expect(ids).toEqual(listed);
  });

  /** The panel's own AI usage log: its search box (filters.q), exact filters, quick ranges and id prefixes. */
  it.each([
    '',
    'filters.q=alice',
    'filters.q=gemini-2.5-pro',
    'filters.q=exceeded',
    'filters.q=Knowledge',
    'filters.section=chat&filters.success=false',
    'filters.modelName=gemini-2.0-flash&sortBy=totalTokens&direction=asc',
    'filters.createdAt~~from=2026-11-01T01:00:00.000Z&filters.createdAt~~to=2026-11-01',
    'filters.userId=system&sortBy=responseTimeMs&direction=desc',
    'filters.id=c4ca',
    'filters.period=30d&filters.q=bob',
    'filters.userId=abc',
  ])('the core ai_usage_logs resource (custom source): "%s"', async (query) => {
    const listed = await listIds(base, 'ai_usage_logs', query);
    const exported = await download(base, 'ai_usage_logs', `${query}&format=ndjson&fields=id`);
    expect(exported.status).toBe(200);
    expect(ndjsonRecords(exported.body).map((record) => record.id)).toEqual(listed);
  });

  it('a date-only field and the default sort of another resource', async () => {
    await base.db.sequelize.query(
      `INSERT INTO ai_usage_tracking (user_id, date, section, model_name, request_count, success_count, failure_count, prompt_tokens,
         completion_tokens, thoughts_tokens, cached_tokens, total_tokens, total_response_time_ms, cost_usd)
       SELECT NULL, date '2026-10-01' + i, (ARRAY['chat', 'knowledge_qa'])[1 + i % 2], 'gemini-2.5-flash', i, i, 0, 10 * i, i, 0, 0, 11 * i, 100 * i, i * 0.01
       FROM generate_series(1, 90) AS i`,
    );
    const queries = ['', 'filters.section=chat', 'filters.section=cha', 'filters.date~~from=2026-10-15&filters.date~~to=2026-11-10&sortBy=requestCount&direction=desc'];
    // export_tracking: stock @adminjs/sequelize; ai_usage_tracking: the panel's SafeSequelizeResource (exact, ILIKE, nothing for bad ids).
    for (const resourceId of ['export_tracking', 'ai_usage_tracking']) {
      for (const query of resourceId === 'ai_usage_tracking' ? [...queries, 'filters.userId=x'] : queries) {
        const listed = await listIds(base, resourceId, query, 25);
        const exported = await download(base, resourceId, `${query}&format=ndjson&fields=id`);
        expect([resourceId, query, exported.status]).toEqual([resourceId, query, 200]);
        expect([resourceId, query, ndjsonRecords(exported.body).map((record) => String(record.id))]).toEqual([resourceId, query, listed]);
      }
    }
  });

  it('a filter value that cannot match exports no rows, like the list; a hidden or unknown field is a clear 400', async () => {
    expect(await listIds(base, 'export_tracking', 'filters.userId=x')).toEqual([]);
    const empty = await download(base, 'export_tracking', 'filters.userId=x&format=ndjson');
    expect(empty.status).toBe(200);
    expect(ndjsonRecords(empty.body)).toEqual([]);
    const refused = await download(base, 'export_tracking', 'filters.noSuchField=1&format=csv');
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body.toString('utf8')).error).toBe('cannot filter export_tracking by "noSuchField": not a field of its list');
  });

  it('offers the user\'s name and email, joined in, on the log (own source) and the daily aggregate (Sequelize source)', async () => {
    const [users] = (await base.db.sequelize.query('SELECT id, username, email FROM users')) as [{ id: number; username: string; email: string }[], unknown];
    const byId = new Map(users.map((user) => [user.id, user]));
    const query = 'filters.success=false&sortBy=createdAt&direction=asc';
    const log = ndjsonRecords((await download(base, 'ai_usage_logs', `${query}&format=ndjson&fields=id,userId,user.username,user.email`)).body);
    expect(log.map((row) => row.id)).toEqual(await listIds(base, 'ai_usage_logs', query));
    expect(log.some((row) => row.userId === null) && log.some((row) => row.userId !== null)).toBe(true);
    for (const row of log) {
      const user = byId.get(row.userId as number);
      expect(row).toEqual({ id: row.id, userId: row.userId, 'user.username': user?.username ?? null, 'user.email': user?.email ?? null });
    }
    const dialog = await fetch(`${base.baseUrl}/admin/api/resources/ai_usage_logs/actions/export`, { headers: { cookie: base.admin } });
    const { exportDialog } = (await dialog.json()) as { exportDialog: { fields: string[]; labels: Record<string, string> } };
    expect(exportDialog.fields.slice(0, 5)).toEqual(['id', 'createdAt', 'userId', 'user.username', 'user.email']);
    expect(exportDialog.labels).toMatchObject({ userId: 'User', 'user.username': 'User name', 'user.email': 'User email', costUsd: 'Cost', totalTokens: 'Tokens' });

    await base.db.sequelize.query(
      `INSERT INTO ai_usage_tracking (user_id, date, section, model_name, request_count, success_count, failure_count, prompt_tokens,
         completion_tokens, thoughts_tokens, cached_tokens, total_tokens, total_response_time_ms, cost_usd)
       SELECT (SELECT id FROM users WHERE username = 'alice'), date '2026-08-01' + i, 'chat', 'gemini-2.5-pro', 1, 1, 0, 1, 1, 0, 0, 2, 100, 0.01
       FROM generate_series(1, 5) AS i`,
    );
    const tracking = ndjsonRecords((await download(base, 'ai_usage_tracking', 'format=ndjson&fields=id,userId,user.username,user.email&sortBy=date&direction=asc')).body);
    expect(tracking.map((row) => String(row.id))).toEqual(await listIds(base, 'ai_usage_tracking', 'sortBy=date&direction=asc'));
    for (const row of tracking) expect(row['user.email']).toBe(byId.get(row.userId as number)?.email ?? null);
    expect(tracking.some((row) => row['user.email'] !== null)).toBe(true);
  });

  it('writes the panel\'s labels as CSV headers, field names in NDJSON', async () => {
    const csv = await download(base, 'ai_usage_logs', 'format=csv&fields=id,createdAt,user.username,totalTokens,costUsd,errorMessage');
    expect(csv.body.toString('utf8').split('\r\n')[0]).toBe('\uFEFFId,Created at,User name,Tokens,Cost,Error message');
    const tracking = await download(base, 'ai_usage_tracking', 'format=csv&fields=date,requestCount,totalResponseTimeMs');
    expect(tracking.body.toString('utf8').split('\r\n')[0]).toBe('\uFEFFDate,Requests,Total response time');
  });

  it('counts the same total in the export dialog as the list', async () => {
    const response = await fetch(`${base.baseUrl}/admin/api/resources/export_logs/actions/export?filters.section=chat&filters.success=false`, { headers: { cookie: base.admin } });
    const { exportDialog } = (await response.json()) as { exportDialog: { total: number; defaultFields: string[]; sampleFileName: string } };
    expect(exportDialog.total).toBe((await listIds(base, 'export_logs', 'filters.section=chat&filters.success=false')).length);
    expect(exportDialog.defaultFields).toEqual(['id', 'section', 'modelName', 'totalTokens', 'costUsd', 'success', 'createdAt']);
    expect(exportDialog.sampleFileName).toMatch(/^export_logs_section-chat_success-false_\d{4}-\d{2}-\d{2}\.csv$/);
  });

  it('ticks the error message by default when the log list shows failures only', async () => {
    const dialogFor = async (query: string) => {
      const response = await fetch(`${base.baseUrl}/admin/api/resources/ai_usage_logs/actions/export?${query}`, { headers: { cookie: base.admin } });
      return ((await response.json()) as { exportDialog: { defaultFields: string[] } }).exportDialog.defaultFields;
    };
    expect(await dialogFor('filters.success=false')).toEqual(['createdAt', 'userId', 'user.username', 'section', 'modelName', 'totalTokens', 'responseTimeMs', 'success', 'costUsd', 'errorMessage']);
    expect(await dialogFor('filters.success=true')).not.toContain('errorMessage');
    expect(await dialogFor('')).not.toContain('errorMessage');
    // The download without a field list takes the same defaults.
    const failures = ndjsonRecords((await download(base, 'ai_usage_logs', 'filters.success=false&format=ndjson')).body);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((row) => typeof row.errorMessage === 'string')).toBe(true);
  });
});
