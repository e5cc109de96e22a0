import { aggregateMismatches } from '../../../test/support/fixtures.js';
import { startPluginApp, usageRows, type PluginApp } from '../../../test/support/plugin-app.js';
import { chatPlugin } from '../index.js';

let t: PluginApp;

beforeAll(async () => {
  t = await startPluginApp([chatPlugin({ summarizeAfterMessages: 4, keepRecentMessages: 2 })]);
});
afterAll(() => t.close());
beforeEach(() => t.simulator.reset());

async function conversation(): Promise<string> {
  const created = await t.api('POST', '/chat/conversations', { title: 'Order help', system_prompt: 'You help with orders.' });
  expect(created.status).toBe(201);
  return created.body.id;
}

/** Tokens add up and the cost is the price catalogue's, for the row's own model, day and tokens. */
async function expectConsistentUsage(row: Record<string, any>) {
  expect(row.prompt_tokens).toBeGreaterThan(0);
  expect(row.total_tokens).toBe(row.prompt_tokens + row.completion_tokens + row.thoughts_tokens);
  const usage = { promptTokens: row.prompt_tokens, cachedTokens: row.cached_tokens, completionTokens: row.completion_tokens, thoughtsTokens: row.thoughts_tokens, toolUsePromptTokens: 0, groundingQueries: 0, usageDetails: null };
  const quote = (await t.app.tracker.prices.snapshot()).quote(row.model_name, 'standard', new Date(), usage);
  expect(quote.status).toBe('priced');
  expect(row.cost_usd).toBe(quote.costUsd);
}

it('answers a message, keeps the history, and records exactly one chat row with conversation and message ids', async () => {
  const id = await conversation();
  const sent = await t.api('POST', `/chat/conversations/${id}/messages`, { content: 'Where is order 48213?' });
  expect(sent.status).toBe(201);
  expect(sent.body).toMatchObject({ conversation_id: id, message: { role: 'user', content: 'Where is order 48213?', position: 0 }, reply: { role: 'model', position: 1 } });
  expect(sent.body.reply.content.length).toBeGreaterThan(0);

  const rows = await usageRows(t, `metadata->>'conversation_id' = $1`, [id]);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({
    user_id: t.userId, section: 'chat', model_name: 'gemini-2.5-flash', success: true, error_message: null,
    metadata: expect.objectContaining({ conversation_id: id, message_id: sent.body.reply.id, operation: 'generateContent', attempt: 1, usage_source: 'response', finish_reason: 'STOP' }),
  });
  await expectConsistentUsage(rows[0]!);

  const history = await t.api('GET', `/chat/conversations/${id}`);
  expect(history.body.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'model']);
  expect(await aggregateMismatches(t.db.sequelize)).toEqual([]);
});

it('summarises older messages under session_memory once the history passes the threshold', async () => {
  const id = await conversation();
  for (const content of ['First question', 'Second question', 'Third question']) {
    expect((await t.api('POST', `/chat/conversations/${id}/messages`, { content })).status).toBe(201);
  }
  // 5 messages before the third reply: more than 4 unsummarised, so all but the last 2 are summarised.
  const history = await t.api('GET', `/chat/conversations/${id}`);
  expect(history.body.summarized_messages).toBe(3);
  expect(history.body.summary).toEqual(expect.any(String));

  const rows = await usageRows(t, `metadata->>'conversation_id' = $1`, [id]);
  expect(rows.map((r) => r.section)).toEqual(['chat', 'chat', 'session_memory', 'chat']);
  expect(rows[2]).toMatchObject({ model_name: 'gemini-2.5-flash-lite', success: true, metadata: expect.objectContaining({ summarized_messages: 3, summarized_through: 3 }) });
  expect(rows[3]!.metadata).toMatchObject({ summarized: true, history_messages: 2 });
  await expectConsistentUsage(rows[2]!);
});

it.each([
  [{ kind: '429' as const, retryDelaySeconds: 0 }, 429, '429 Too Many Requests'],
  [{ kind: '500' as const }, 502, '500 Internal Server Error'],
])('records a failed call (%o), answers %i, and keeps the user message without a reply', async (fault, status, message) => {
  const id = await conversation();
  t.simulator.faults.push(fault);
  const sent = await t.api('POST', `/chat/conversations/${id}/messages`, { content: 'Hello?' });
  expect(sent.status).toBe(status);
  expect(sent.body.error).toContain(message);

  const rows = await usageRows(t, `metadata->>'conversation_id' = $1`, [id]);
  expect(rows).toEqual([
    expect.objectContaining({ section: 'chat', success: false, prompt_tokens: 0, total_tokens: 0, error_message: expect.stringContaining(message), metadata: expect.objectContaining({ http_status: fault.kind === '429' ? 429 : 500, error_kind: 'http' }) }),
  ]);
  const history = await t.api('GET', `/chat/conversations/${id}`);
  expect(history.body.messages.map((m: { role: string }) => m.role)).toEqual(['user']);
});

it('refuses bad input, other users and missing tokens', async () => {
  const id = await conversation();
  expect((await t.api('POST', `/chat/conversations/${id}/messages`, { content: '' })).body).toEqual({ error: 'content is required' });
  expect((await t.api('POST', `/chat/conversations/${id}/messages`, { content: 42 })).status).toBe(400);
  expect((await t.api('POST', `/chat/conversations/${id}/messages`, { content: 'x'.repeat(8_001) })).status).toBe(400);
  expect((await t.api('GET', `/chat/conversations/${id}`, undefined, await t.otherUserToken())).status).toBe(404);
  expect((await t.api('GET', '/chat/conversations/not-a-uuid')).status).toBe(404);
  expect((await t.api('GET', `/chat/conversations/${id}`, undefined, 'aiu_nope')).status).toBe(401);
  const malformed = (token: string) => fetch(`${t.baseUrl}/api/chat/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{' });
  expect((await malformed('aiu_nope')).status).toBe(401);
  const refused = await malformed(await t.otherUserToken());
  expect(refused.status).toBe(400);
  expect(await refused.json()).toEqual({ error: 'the request body is not valid JSON' });
});
