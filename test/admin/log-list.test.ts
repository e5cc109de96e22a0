import { QueryTypes } from 'sequelize';
import { listQuery, startPanel, type Panel } from './support/panel.js';

let panel: Panel;
beforeAll(async () => {
  panel = await startPanel();
});
afterAll(() => panel.close());

interface ListBody {
  records: { id: string; params: Record<string, unknown>; populated: Record<string, { title: string } | undefined> }[];
  meta: { total: number; page: number; sortBy: string; direction: string };
}

async function list(params: Record<string, string>) {
  const { status, body } = await panel.api<ListBody>(`/resources/ai_usage_logs/actions/list?${listQuery({ perPage: '100', ...params })}`);
  expect(status).toBe(200);
  return body;
}

async function ids(params: Record<string, string>): Promise<string[]> {
  return (await list(params)).records.map((r) => r.id);
}

/** The same rows straight from SQL, newest first. */
async function sqlIds(where: string, bind: unknown[] = []): Promise<string[]> {
  const rows = await panel.db.sequelize.query<{ id: string }>(`SELECT id FROM ai_usage_logs WHERE ${where} ORDER BY created_at DESC, id DESC`, { bind, type: QueryTypes.SELECT });
  return rows.map((r) => r.id);
}

describe('the AI usage log list', () => {
  it('lists newest first, with the user populated for its link', async () => {
    const body = await list({});
    expect(body.records.map((r) => r.id)).toEqual(panel.fixture.logIds);
    expect(body.meta).toMatchObject({ total: panel.fixture.logIds.length, sortBy: 'createdAt', direction: 'desc' });
    const bobs = body.records.find((r) => r.params.userId === panel.fixture.bob)!;
    expect(bobs.populated.userId?.title).toBe('bob_builder');
  });

  it('filters by success, section, model and user, exactly', async () => {
    expect(await ids({ 'filters.success': 'false' })).toEqual(await sqlIds('NOT success'));
    expect(await ids({ 'filters.section': 'chat' })).toEqual(await sqlIds(`section = 'chat'`));
    expect(await ids({ 'filters.section': 'Chat' })).toEqual([]);
    expect(await ids({ 'filters.section': 'cha' })).toEqual([]);
    expect(await ids({ 'filters.modelName': 'gemini-2.5-flash' })).toEqual(await sqlIds(`model_name = 'gemini-2.5-flash'`));
    expect(await ids({ 'filters.modelName': 'gemini-2.5' })).toEqual([]);
    expect(await ids({ 'filters.userId': String(panel.fixture.alice) })).toEqual(await sqlIds('user_id = $1', [panel.fixture.alice]));
    expect(await ids({ 'filters.userId': 'system' })).toEqual(await sqlIds('user_id IS NULL'));
    expect(await ids({ 'filters.section': 'chat', 'filters.success': 'true', 'filters.userId': String(panel.fixture.bob) })).toEqual(
      await sqlIds(`section = 'chat' AND success AND user_id = $1`, [panel.fixture.bob]),
    );
  });

  it('filters by date range, a bare "to" day taking in that whole UTC day', async () => {
    const from = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    expect(await ids({ 'filters.createdAt~~from': from, 'filters.createdAt~~to': to })).toEqual(
      await sqlIds(`created_at >= $1::date AND created_at < $2::date + 1`, [from, to]),
    );
    const moment = new Date(Date.now() - 3 * 86_400_000).toISOString();
    expect(await ids({ 'filters.createdAt~~to': moment })).toEqual(await sqlIds('created_at <= $1', [moment]));
  });

  it('offers quick ranges: today, 7 days, 30 days, this month (UTC)', async () => {
    const today = `date_trunc('day', now(), 'UTC')`;
    expect(await ids({ 'filters.period': 'today' })).toEqual(await sqlIds(`created_at >= ${today}`));
    expect(await ids({ 'filters.period': '7d' })).toEqual(await sqlIds(`created_at >= ${today} - interval '6 days'`));
    expect(await ids({ 'filters.period': '30d' })).toEqual(await sqlIds(`created_at >= ${today} - interval '29 days'`));
    expect(await ids({ 'filters.period': 'month' })).toEqual(await sqlIds(`created_at >= date_trunc('month', now(), 'UTC')`));
    expect((await ids({ 'filters.period': '30d' })).length).toBeLessThan(panel.fixture.logIds.length);
  });

  it('searches username, email, section, model, error message and id from one box, case-insensitively', async () => {
    const { alice, bob } = panel.fixture;
    expect(await ids({ 'filters.q': 'ALICE.w' })).toEqual(await sqlIds('user_id = $1', [alice]));
    expect(await ids({ 'filters.q': 'shop.TEST' })).toEqual(await sqlIds('user_id = $1', [alice]));
    expect(await ids({ 'filters.q': 'Builder' })).toEqual(await sqlIds('user_id = $1', [bob]));
    expect(await ids({ 'filters.q': 'knowledge q' })).toEqual(await sqlIds(`section = 'knowledge_qa'`));
    expect(await ids({ 'filters.q': 'EMBEDDING_gen' })).toEqual(await sqlIds(`section = 'embedding_generation'`));
    expect(await ids({ 'filters.q': 'Flash-Lite' })).toEqual(await sqlIds(`model_name = 'gemini-2.5-flash-lite'`));
    expect(await ids({ 'filters.q': 'OVERLOADED' })).toEqual(await sqlIds(`error_message ILIKE '%overloaded%'`));
    const target = panel.fixture.logIds[7]!;
    expect(await ids({ 'filters.q': target.toUpperCase() })).toEqual([target]);
    expect(await ids({ 'filters.q': target.slice(0, 13) })).toEqual(await sqlIds(`id::text LIKE $1`, [`${target.slice(0, 13)}%`]));
  });

  it('takes the search text literally and combines it with the filters', async () => {
    expect(await ids({ 'filters.q': '%' })).toEqual([]);
    expect(await ids({ 'filters.q': "'; DROP TABLE ai_usage_logs; --" })).toEqual([]);
    expect(await ids({ 'filters.q': 'overloaded', 'filters.userId': String(panel.fixture.bob) })).toEqual(
      await sqlIds(`error_message ILIKE '%overloaded%' AND user_id = $1`, [panel.fixture.bob]),
    );
  });

  it('answers malformed filter values with no rows, and unknown fields, bad sorts and pages with a 400; never a 500', async () => {
    const unmatchable: Record<string, string>[] = [
      { 'filters.id': '3f2a' },
      { 'filters.id': 'zz-not-a-uuid' },
      { 'filters.userId': 'abc' },
      { 'filters.createdAt~~from': 'last tuesday' },
      { 'filters.success': 'maybe' },
      { 'filters.period': 'decade' },
    ];
    for (const params of unmatchable) {
      const { status, body } = await panel.api<ListBody>(`/resources/ai_usage_logs/actions/list?${listQuery(params)}`);
      expect({ params, status }).toEqual({ params, status: 200 });
      expect(Array.isArray(body.records)).toBe(true);
    }
    expect(await ids({ 'filters.userId': 'abc' })).toEqual([]);
    const refused: Record<string, string>[] = [{ 'filters.nonexistent': '1' }, { 'filters.errorMessage': 'x' }, { sortBy: 'password_hash' }, { page: '-3', perPage: 'abc' }];
    for (const params of refused) {
      const { status } = await panel.api<ListBody>(`/resources/ai_usage_logs/actions/list?${listQuery(params)}`);
      expect({ params, status }).toEqual({ params, status: 400 });
    }
  });

  it('sorts by any column with a stable tie-break, and pages without overlap', async () => {
    expect(await ids({ sortBy: 'responseTimeMs', direction: 'asc' })).toEqual(
      (await panel.db.sequelize.query<{ id: string }>('SELECT id FROM ai_usage_logs ORDER BY response_time_ms ASC, id ASC', { type: QueryTypes.SELECT })).map((r) => r.id),
    );
    const first = await ids({ perPage: '10', page: '1' });
    const second = await ids({ perPage: '10', page: '2' });
    expect([...first, ...second]).toEqual(panel.fixture.logIds.slice(0, 20));
  });

  it('shows one log with every field; a malformed id is not found, not a crash', async () => {
    const { status, body } = await panel.api(`/resources/ai_usage_logs/records/${panel.fixture.xssLogId}/show`);
    expect(status).toBe(200);
    expect(body.record.params).toMatchObject({ id: panel.fixture.xssLogId, section: 'chat', success: false, promptTokens: 5 });
    expect(JSON.parse(body.record.params.metadataJson)).toEqual({ note: '<script>window.__xss = 3</script>', nested: { html: '<i>x</i>' } });
    const missing = await panel.api(`/resources/ai_usage_logs/records/not-a-uuid/show`);
    expect(missing.status).toBeLessThan(500);
  });

  it('exports exactly the rows the list shows, in its order, to admins and viewers', async () => {
    const cases: Record<string, string>[] = [
      { 'filters.q': 'bob', sortBy: 'responseTimeMs', direction: 'asc' },
      { 'filters.section': 'chat', 'filters.success': 'true' },
      { 'filters.period': '7d' },
    ];
    for (const params of cases) {
      for (const cookie of [panel.adminCookie, panel.viewerCookie]) {
        const response = await fetch(`${panel.baseUrl}/admin/export/ai_usage_logs?${listQuery({ format: 'ndjson', fields: 'id,section', ...params })}`, { headers: { cookie } });
        expect(response.status).toBe(200);
        const exported = (await response.text()).trim().split('\n').filter(Boolean).map((line) => JSON.parse(line).id);
        expect(exported).toEqual(await ids(params));
      }
    }
  });

  it('offers the models of the data for the model filter', async () => {
    const { body } = await panel.api<{ models: string[] }>('/resources/ai_usage_logs/actions/modelChoices');
    expect(body.models).toEqual(['gemini-1.5-flash', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.5-pro', 'gemini-embedding-001']);
  });

  it('searches metadata values (not keys), through the metadata index', async () => {
    const values = ['say "hi" twice', 'C:\\temp\\run-7', 'conv-ünïcode-42'];
    const inserted = await panel.db.sequelize.query<{ id: string }>(
      `INSERT INTO ai_usage_logs (id, section, model_name, response_time_ms, success, cost_status, cost_usd, metadata)
       SELECT gen_random_uuid(), 'chat', 'gemini-2.5-flash', 10, true, 'priced', 0, jsonb_build_object('note', v) FROM unnest($1::text[]) v RETURNING id`,
      { bind: [values], type: QueryTypes.SELECT },
    );
    try {
      for (const [i, term] of ['twice', 'run-7', 'ÜNÏCODE-42'].entries()) {
        expect(await ids({ 'filters.q': term })).toEqual([inserted[i]!.id]);
      }
      // Quotes and backslashes as typed, though the metadata's JSON text escapes them.
      expect(await ids({ 'filters.q': 'say "hi"' })).toEqual([inserted[0]!.id]);
      expect(await ids({ 'filters.q': 'C:\\temp\\' })).toEqual([inserted[1]!.id]);
      // The key is not a value.
      expect(await ids({ 'filters.q': 'note' })).toEqual([]);
      // With sequential scans priced out, the search's own condition still plans an index scan for its metadata arm.
      const { searchCondition } = await import('../../src/admin/ai-usage-log/search.js');
      const { SqlBinds } = await import('../../src/admin/ai-usage-log/sql-binds.js');
      const binds = new SqlBinds();
      const where = searchCondition({ term: 'run-7', userIds: [], sections: [], models: [] }, binds);
      const plan = await panel.db.sequelize.transaction(async (transaction) => {
        await panel.db.sequelize.query('SET LOCAL enable_seqscan = off', { transaction });
        const rows = await panel.db.sequelize.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT id FROM ai_usage_logs WHERE ${where}`, { bind: binds.values, transaction, type: QueryTypes.SELECT });
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(plan).toMatch(/Index Scan on \S*metadata_values\S*/);
      expect(plan).not.toContain('Seq Scan');
    } finally {
      await panel.db.sequelize.query('DELETE FROM ai_usage_logs WHERE id = ANY($1::uuid[])', { bind: [inserted.map((r) => r.id)] });
    }
  });
});
