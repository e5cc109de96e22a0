import { INVALID, readLogListParams } from '../../src/admin/ai-usage-log/filters.js';
import { buildLogQuery, logPageSortSql, normalizeLogSort } from '../../src/admin/ai-usage-log/query.js';
import { searchCondition } from '../../src/admin/ai-usage-log/search.js';
import { containsPattern, SqlBinds, uuidPrefixRange } from '../../src/admin/ai-usage-log/sql-binds.js';
import { aggregateSource } from '../../src/admin/ai-usage-log/stats-source.js';

describe('uuidPrefixRange', () => {
  it('turns a prefix, with or without dashes, into the inclusive range of ids starting with it', () => {
    expect(uuidPrefixRange('3F2A')).toEqual({ low: '3f2a0000-0000-0000-0000-000000000000', high: '3f2affff-ffff-ffff-ffff-ffffffffffff' });
    expect(uuidPrefixRange('3f2a1b2c-9d')).toEqual({ low: '3f2a1b2c-9d00-0000-0000-000000000000', high: '3f2a1b2c-9dff-ffff-ffff-ffffffffffff' });
    expect(uuidPrefixRange('3f2a1b2c9d')).toEqual(uuidPrefixRange('3f2a1b2c-9d'));
    const whole = '3f2a1b2c-9d8e-4f70-8a6b-5c4d3e2f1a0b';
    expect(uuidPrefixRange(whole)).toEqual({ low: whole, high: whole });
  });

  it('refuses what cannot start a uuid', () => {
    for (const text of ['', 'xyz', '3f2a-1b', 'chat', '3f2a1b2c-9d8e-4f70-8a6b-5c4d3e2f1a0b0', '%']) expect(uuidPrefixRange(text)).toBeUndefined();
  });
});

describe('readLogListParams', () => {
  it('reads an AdminJS Filter or a plain object the same way', () => {
    const plain = readLogListParams({ success: 'false', section: 'chat', userId: '7', createdAt: { from: '2026-11-01', to: '2026-11-20' }, q: ' Alice ' });
    const filter = { filters: { success: { value: 'false' }, section: { value: 'chat' }, userId: { value: '7' }, createdAt: { value: { from: '2026-11-01', to: '2026-11-20' } }, q: { value: ' Alice ' } } };
    expect(readLogListParams(filter)).toEqual(plain);
    expect(plain.filters).toMatchObject({ success: false, section: 'chat', userId: 7, createdFrom: new Date('2026-11-01T00:00:00Z'), createdBefore: new Date('2026-11-21T00:00:00Z') });
    expect(plain.search).toBe('Alice');
  });

  it('reads bare days as whole days of the panel zone, across a DST change too', () => {
    const berlin = readLogListParams({ createdAt: { from: '2026-03-29', to: '2026-03-29' } }, undefined, 'Europe/Berlin').filters;
    // 29 March 2026 is the day Berlin moves from +01:00 to +02:00: 23 hours long.
    expect(berlin).toMatchObject({ createdFrom: new Date('2026-03-28T23:00:00Z'), createdBefore: new Date('2026-03-29T22:00:00Z') });
    const tokyo = readLogListParams({ 'createdAt~~from': '2026-11-20', 'createdAt~~to': '2026-11-20' }, undefined, 'Asia/Tokyo').filters;
    expect(tokyo).toMatchObject({ createdFrom: new Date('2026-11-19T15:00:00Z'), createdBefore: new Date('2026-11-20T15:00:00Z') });
    expect(readLogListParams({ createdAt: { from: '2026-02-30' } }, undefined, 'Asia/Tokyo').filters.createdFrom).toBe(INVALID);
  });

  it('answers from the daily aggregate only when the panel zone is UTC, whose days it keeps', () => {
    expect(aggregateSource(readLogListParams({ createdAt: { from: '2026-11-20', to: '2026-11-20' } }))).toBeDefined();
    expect(aggregateSource(readLogListParams({ period: '7d' }))).toBeDefined();
    expect(aggregateSource(readLogListParams({ createdAt: { from: '2026-11-20' } }, undefined, 'Asia/Tokyo'))).toBeUndefined();
    expect(aggregateSource(readLogListParams({ period: '7d' }, undefined, 'Asia/Tokyo'))).toBeUndefined();
  });

  it('keeps a "to" with a time as an inclusive moment, and marks values that cannot match', () => {
    expect(readLogListParams({ 'createdAt~~to': '2026-11-20T10:00:00.000Z' }).filters.createdTo).toEqual(new Date('2026-11-20T10:00:00Z'));
    const bad = readLogListParams({ success: 'maybe', userId: 'abc', createdAt: { from: 'yesterday-ish' }, period: 'decade' }).filters;
    expect(bad).toMatchObject({ success: INVALID, userId: INVALID, createdFrom: INVALID, period: INVALID });
    expect(readLogListParams({ userId: 'system' }).filters.userId).toBeNull();
  });
});

describe('buildLogQuery', () => {
  it('turns filters into exact, bound conditions and sorts newest first by default', () => {
    const query = buildLogQuery(readLogListParams({ section: "chat'; DROP TABLE users; --", modelName: 'gemini-2.5-pro', success: 'true' }));
    expect(query.whereSql).toBe('WHERE ai_usage_logs.success = $1 AND ai_usage_logs.section = $2 AND ai_usage_logs.model_name = $3');
    expect(query.bind).toEqual([true, "chat'; DROP TABLE users; --", 'gemini-2.5-pro']);
    expect(query.orderSql).toBe('ORDER BY ai_usage_logs.created_at DESC, ai_usage_logs.id DESC');
  });

  it('gives FALSE for a value that cannot match, instead of dropping the filter', () => {
    expect(buildLogQuery(readLogListParams({ userId: 'abc', section: 'chat' })).whereSql).toBe('WHERE FALSE');
    expect(buildLogQuery(readLogListParams({ id: 'not-a-uuid' })).whereSql).toBe('WHERE FALSE');
  });

  it('numbers its placeholders from firstBind, to append to a statement with binds of its own', () => {
    const query = buildLogQuery(readLogListParams({ section: 'chat', userId: '3' }), { firstBind: 4 });
    expect(query.whereSql).toBe('WHERE ai_usage_logs.section = $4 AND ai_usage_logs.user_id = $5');
  });

  it('sorts only by real columns, always with id as the tie-breaker', () => {
    expect(normalizeLogSort({ sortBy: 'responseTimeMs', direction: 'asc' })).toEqual({ sortBy: 'responseTimeMs', direction: 'asc' });
    expect(normalizeLogSort({ sortBy: 'metadata', direction: 'asc' })).toEqual({ sortBy: 'createdAt', direction: 'asc' });
    expect(normalizeLogSort({ sortBy: 'password_hash; --' })).toEqual({ sortBy: 'createdAt', direction: 'desc' });
    expect(buildLogQuery(readLogListParams({}, { sortBy: 'costUsd', direction: 'asc' })).orderSql).toBe('ORDER BY ai_usage_logs.cost_usd ASC, ai_usage_logs.id ASC');
  });

  it('refuses a search whose matches were not resolved', () => {
    expect(() => buildLogQuery(readLogListParams({ q: 'x' }))).toThrow('prepareLogQuery');
  });
});

describe('searchCondition', () => {
  it('ORs the resolved users, sections and models with the error message, the metadata values and the id range', () => {
    const binds = new SqlBinds();
    const sql = searchCondition({ term: 'abc', userIds: [4, 9], sections: ['chat'], models: [] }, binds);
    expect(sql).toBe(
      '(ai_usage_logs.user_id = ANY($1::integer[]) OR ai_usage_logs.section = ANY($2::text[]) OR ai_usage_logs.error_message ILIKE $3 OR (ai_usage_logs.metadata::text ILIKE $3 AND ai_usage_metadata_values(ai_usage_logs.metadata) ILIKE $3) OR ai_usage_logs.id BETWEEN $4::uuid AND $5::uuid)',
    );
    expect(binds.values).toEqual([[4, 9], ['chat'], '%abc%', 'abc00000-0000-0000-0000-000000000000', 'abcfffff-ffff-ffff-ffff-ffffffffffff']);
  });

  it('leaves error messages out below three characters and matches nothing when nothing can', () => {
    expect(searchCondition({ term: 'zq', userIds: [], sections: [], models: [] }, new SqlBinds())).toBe('FALSE');
  });

  it('matches LIKE wildcards literally', () => {
    expect(containsPattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
  });
});

describe('logPageSortSql', () => {
  it('joins the users table once to sort the list page by user name, system rows last', () => {
    const { fromSql, orderSql } = logPageSortSql({ sortBy: 'userId', direction: 'asc' });
    expect(fromSql).toBe('ai_usage_logs LEFT JOIN "users" sort_user ON sort_user."id" = ai_usage_logs.user_id');
    expect(orderSql).toBe('ORDER BY sort_user."username"::text ASC NULLS LAST, ai_usage_logs.user_id ASC, ai_usage_logs.created_at DESC, ai_usage_logs.id DESC');
    expect(logPageSortSql({ sortBy: 'createdAt', direction: 'desc' })).toEqual({ fromSql: 'ai_usage_logs', orderSql: 'ORDER BY ai_usage_logs.created_at DESC, ai_usage_logs.id DESC' });
  });
});

describe('aggregateSource', () => {
  it('answers from ai_usage_tracking for user, section, model and whole UTC days', () => {
    const source = aggregateSource(readLogListParams({ section: 'chat', userId: '2', createdAt: { from: '2026-11-01', to: '2026-11-03' } }));
    expect(source?.table).toBe('ai_usage_tracking');
    expect(source?.grouped).toContain('FROM ai_usage_tracking WHERE section = $1 AND user_id = $2 AND date >= $3::date AND date < $4::date');
    expect(source?.bind).toEqual(['chat', 2, '2026-11-01', '2026-11-04']);
    expect(aggregateSource(readLogListParams({ period: '7d' }))?.grouped).toContain('date >=');
  });

  it('answers success and failure filters from the failure columns: failures alone, successes as all minus failures', () => {
    const failures = aggregateSource(readLogListParams({ success: 'false', section: 'chat' }));
    expect(failures?.grouped).toContain('sum(failure_count) AS requests, sum(0) AS successes, sum(failure_prompt_tokens) AS prompt_tokens');
    expect(failures?.grouped).toContain('sum(failure_response_ms_le_25) AS h0');
    expect(failures?.bind).toEqual(['chat']);
    const successes = aggregateSource(readLogListParams({ success: 'true' }));
    expect(successes?.grouped).toContain('sum(request_count - failure_count) AS requests, sum(success_count - 0) AS successes');
    expect(successes?.grouped).toContain('sum(cost_usd - failure_cost_usd) AS cost_usd');
    expect(successes?.grouped).toContain('sum(response_ms_over_102400 - failure_response_ms_over_102400) AS h13');
    expect(aggregateSource(readLogListParams({}))?.histogram).toBe(true);
  });

  it('leaves to the logs what the aggregate cannot answer exactly', () => {
    for (const filters of [{ q: 'x' }, { success: 'true', q: 'x' }, { id: 'ab' }, { 'createdAt~~from': '2026-11-01T10:00:00Z' }, { 'createdAt~~to': '2026-11-01T10:00:00Z' }, { userId: 'abc' }]) {
      expect(aggregateSource(readLogListParams(filters))).toBeUndefined();
    }
  });
});
