import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallableTool } from '@google/genai';
import { QueryTypes } from 'sequelize';
import { startHarness, type GeminiHarness } from './support.js';

/**
 * Responses in the exact REST shape Gemini returns (usageMetadata with *TokensDetails and
 * toolUsePromptTokenCount, groundingMetadata, functionCall parts), served in order by a loopback
 * stand-in, so each billed dimension is checked end to end against an exact pico-dollar cost.
 */
let h: GeminiHarness;
let server: Server;
let baseUrl: string;
const queue: object[] = [];
const requests: Record<string, any>[] = [];

beforeAll(async () => {
  h = await startHarness();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push(JSON.parse(body || '{}'));
      const next = queue.shift();
      if (next && req.url?.includes(':streamGenerateContent')) {
        // A streamed answer is queued as its list of chunks, sent as server-sent events.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const { chunks, holdOpen } = Array.isArray(next) ? { chunks: next, holdOpen: false } : (next as { chunks: object[]; holdOpen: boolean });
        for (const chunk of chunks) res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
        // A held stream stays open until the client goes away, like an answer still being generated.
        if (holdOpen) req.socket.once('close', () => res.end());
        else res.end();
        return;
      }
      res.writeHead(next ? 200 : 500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(next ?? { error: { code: 500, message: 'fixture queue is empty', status: 'INTERNAL' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});
beforeEach(() => {
  queue.length = 0;
  requests.length = 0;
});

const client = (test: string) => h.factory({ baseUrl, apiKey: 'fixture-key' }).genai({ section: 'chat', metadata: { test } });
const rows = (test: string) =>
  h.db.sequelize.query<Record<string, any>>(
    `SELECT prompt_tokens, completion_tokens, thoughts_tokens, cached_tokens, tool_use_prompt_tokens, total_tokens, usage_details,
            service_tier, grounding_queries, cost_status, cost_usd, price_id IS NOT NULL AS has_price, metadata
     FROM ai_usage_logs WHERE metadata->>'test' = $1 ORDER BY created_at, (metadata->>'afc_call')::int`,
    { bind: [test], type: QueryTypes.SELECT },
  );
const text = (value: string) => ({ content: { parts: [{ text: value }], role: 'model' }, finishReason: 'STOP', index: 0 });

it('prices audio input at the audio rate and tool-use prompt tokens as input (gemini-2.5-flash)', async () => {
  queue.push({
    candidates: [text('The caller asked where order 48213 is.')],
    usageMetadata: {
      promptTokenCount: 1250, candidatesTokenCount: 42, totalTokenCount: 1392, toolUsePromptTokenCount: 100,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 50 }, { modality: 'AUDIO', tokenCount: 1200 }],
      candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: 42 }],
      toolUsePromptTokensDetails: [{ modality: 'TEXT', tokenCount: 100 }],
    },
    modelVersion: 'gemini-2.5-flash', responseId: 'fx-audio',
  });
  await client('fx-audio').models.generateContent({ model: 'gemini-2.5-flash', contents: 'Transcribe and answer' });
  // (50 text + 100 tool use) x $0.30 + 1,200 audio x $1.00 + 42 x $2.50, per 1M tokens
  expect(await rows('fx-audio')).toEqual([expect.objectContaining({
    prompt_tokens: 1250, tool_use_prompt_tokens: 100, completion_tokens: 42, total_tokens: 1392,
    usage_details: { prompt: { TEXT: 50, AUDIO: 1200 }, candidates: { TEXT: 42 }, toolUse: { TEXT: 100 } },
    cost_status: 'priced', cost_usd: '0.001350000000', has_price: true,
  })]);
});

it('counts the search queries of a grounded answer and prices them per query (gemini-3-flash-preview)', async () => {
  queue.push({
    candidates: [{
      ...text('Flex costs half of standard.'),
      groundingMetadata: {
        webSearchQueries: ['gemini api flex tier price', 'gemini api priority tier'],
        searchEntryPoint: { renderedContent: '<div class="container">…</div>' },
        groundingChunks: [{ web: { uri: 'https://blog.google/…', title: 'blog.google' } }],
        groundingSupports: [{ segment: { startIndex: 0, endIndex: 28, text: 'Flex costs half of standard.' }, groundingChunkIndices: [0] }],
      },
    }],
    usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 180, thoughtsTokenCount: 300, toolUsePromptTokenCount: 850, totalTokenCount: 1350, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 20 }] },
    modelVersion: 'gemini-3-flash-preview', responseId: 'fx-grounded',
  });
  await client('fx-grounded').models.generateContent({ model: 'gemini-3-flash-preview', contents: 'What does flex cost?', config: { tools: [{ googleSearch: {} }] } });
  // (20 + 850 tool use) x $0.50 + (180 + 300 thinking) x $3.00 per 1M, + 2 queries x $14 / 1,000
  expect(await rows('fx-grounded')).toEqual([expect.objectContaining({ grounding_queries: 2, tool_use_prompt_tokens: 850, cost_status: 'priced', cost_usd: '0.029875000000' })]);
});

it('prices the tier the request asked for, and the tier the response says it was served at', async () => {
  const usage = { promptTokenCount: 1000, candidatesTokenCount: 200, totalTokenCount: 1200 };
  queue.push({ candidates: [text('ok')], usageMetadata: usage, modelVersion: 'gemini-2.5-flash' });
  await client('fx-flex').models.generateContent({ model: 'gemini-2.5-flash', contents: 'later is fine', config: { serviceTier: 'flex' } as never });
  expect(requests[0]).toMatchObject({ serviceTier: 'flex' });
  // flex: 1,000 x $0.15 + 200 x $1.25 per 1M
  expect(await rows('fx-flex')).toEqual([expect.objectContaining({ service_tier: 'flex', cost_status: 'priced', cost_usd: '0.000400000000' })]);

  queue.push({ candidates: [text('ok')], usageMetadata: { ...usage, trafficType: 'ON_DEMAND_PRIORITY' }, modelVersion: 'gemini-2.5-flash' });
  await client('fx-priority').models.generateContent({ model: 'gemini-2.5-flash', contents: 'now please' });
  // No priority price is seeded: unpriced, never the standard rate.
  expect(await rows('fx-priority')).toEqual([expect.objectContaining({ service_tier: 'priority', cost_status: 'unpriced', cost_usd: null, has_price: false })]);
});

it('records one row per HTTP call under automatic function calling, each at its own cost', async () => {
  const getOrder: CallableTool = {
    tool: async () => ({ functionDeclarations: [{ name: 'get_order', description: 'Looks an order up', parametersJsonSchema: { type: 'object', properties: { id: { type: 'string' } } } }] }),
    callTool: async (calls) => calls.map((call) => ({ functionResponse: { name: call.name, response: { status: 'shipped' } } })),
  };
  queue.push(
    { candidates: [{ content: { parts: [{ functionCall: { name: 'get_order', args: { id: '48213' } } }], role: 'model' }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 60, candidatesTokenCount: 15, totalTokenCount: 75 }, modelVersion: 'gemini-2.5-flash' },
    { candidates: [text('Order 48213 has shipped.')], usageMetadata: { promptTokenCount: 95, candidatesTokenCount: 30, totalTokenCount: 125 }, modelVersion: 'gemini-2.5-flash' },
  );
  const response = await client('fx-afc').models.generateContent({ model: 'gemini-2.5-flash', contents: 'Where is order 48213?', config: { tools: [getOrder] } });
  expect(response.text).toBe('Order 48213 has shipped.');
  expect(requests).toHaveLength(2);
  const recorded = await rows('fx-afc');
  // 60 x $0.30 + 15 x $2.50, then 95 x $0.30 + 30 x $2.50, per 1M tokens
  expect(recorded.map((r) => [r.metadata.afc_call, r.total_tokens, r.cost_usd])).toEqual([[1, 75, '0.000055500000'], [2, 125, '0.000103500000']]);
  expect(new Set(recorded.map((r) => r.metadata.request_id)).size).toBe(1);
});

it('records a failed HTTP call inside automatic function calling as not billed, once', async () => {
  const tool: CallableTool = { tool: async () => ({ functionDeclarations: [{ name: 'noop' }] }), callTool: async () => [] };
  await expect(client('fx-afc-fail').models.generateContent({ model: 'gemini-2.5-flash', contents: 'x', config: { tools: [tool] } })).rejects.toThrow();
  expect(await rows('fx-afc-fail')).toEqual([expect.objectContaining({ cost_status: 'not_billed', cost_usd: '0.000000000000', total_tokens: 0, metadata: expect.objectContaining({ afc_call: 1, error_kind: expect.any(String) }) })]);
});

describe('automatic function calling over a stream', () => {
  // The SDK also streams the function responses it sends back (role user): only the model's text is the answer.
  const modelText = (chunk: { candidates?: { content?: { role?: string; parts?: { text?: string }[] } }[] }) =>
    chunk.candidates?.[0]?.content?.role === 'model' ? (chunk.candidates[0].content.parts ?? []).map((part) => part.text ?? '').join('') : '';
  const getOrder: CallableTool = {
    tool: async () => ({ functionDeclarations: [{ name: 'get_order', description: 'Looks an order up', parametersJsonSchema: { type: 'object', properties: { id: { type: 'string' } } } }] }),
    callTool: async (calls) => calls.map((call) => ({ functionResponse: { name: call.name, response: { status: 'shipped' } } })),
  };
  const functionCallChunk = {
    candidates: [{ content: { parts: [{ functionCall: { name: 'get_order', args: { id: '48213' } } }], role: 'model' }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 60, candidatesTokenCount: 15, totalTokenCount: 75 },
    modelVersion: 'gemini-2.5-flash',
  };
  const answerChunks = [
    { candidates: [{ content: { parts: [{ text: 'Order 48213 ' }], role: 'model' }, index: 0 }], usageMetadata: { promptTokenCount: 95, candidatesTokenCount: 4, totalTokenCount: 99 }, modelVersion: 'gemini-2.5-flash' },
    { candidates: [text('has shipped.')], usageMetadata: { promptTokenCount: 95, candidatesTokenCount: 30, totalTokenCount: 125 }, modelVersion: 'gemini-2.5-flash' },
  ];

  it('records one row per HTTP stream, each at its own cost, keeping the latest usage of each', async () => {
    queue.push([functionCallChunk], answerChunks);
    const stream = await client('fx-afc-stream').models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Where is order 48213?', config: { tools: [getOrder] } });
    let answer = '';
    for await (const chunk of stream) answer += modelText(chunk);
    expect(answer).toBe('Order 48213 has shipped.');
    expect(requests).toHaveLength(2);
    const recorded = await rows('fx-afc-stream');
    // Cumulative usage per stream, never summed: 60 x $0.30 + 15 x $2.50, then 95 x $0.30 + 30 x $2.50, per 1M tokens
    expect(recorded.map((r) => [r.metadata.afc_call, r.total_tokens, r.cost_usd, r.metadata.stream_status])).toEqual([
      [1, 75, '0.000055500000', 'completed'],
      [2, 125, '0.000103500000', 'completed'],
    ]);
    expect(new Set(recorded.map((r) => r.metadata.request_id)).size).toBe(1);
  });

  it('records a chat stream the same way', async () => {
    queue.push([functionCallChunk], answerChunks);
    const chat = client('fx-afc-chat-stream').chats.create({ model: 'gemini-2.5-flash', config: { tools: [getOrder] } });
    const stream = await chat.sendMessageStream({ message: 'Where is order 48213?' });
    for await (const _chunk of stream) void _chunk;
    expect((await rows('fx-afc-chat-stream')).map((r) => [r.metadata.afc_call, r.total_tokens, r.metadata.operation])).toEqual([
      [1, 75, 'sendMessageStream'],
      [2, 125, 'sendMessageStream'],
    ]);
  });

  it('records a second HTTP call that fails as not billed, after the first one priced', async () => {
    queue.push([functionCallChunk]); // the second request finds the queue empty: HTTP 500
    const stream = await client('fx-afc-stream-fail').models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Where is order 48213?', config: { tools: [getOrder] } });
    await expect((async () => { for await (const _chunk of stream) void _chunk; })()).rejects.toThrow();
    const recorded = await rows('fx-afc-stream-fail');
    expect(recorded.map((r) => [r.metadata.afc_call, r.cost_status, r.total_tokens])).toEqual([
      [1, 'priced', 75],
      [2, 'not_billed', 0],
    ]);
  });

  it('records the HTTP stream its consumer gave up as abandoned, with the usage read so far', async () => {
    queue.push([functionCallChunk], { chunks: [answerChunks[0]], holdOpen: true });
    const stream = await client('fx-afc-stream-abandon').models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Where is order 48213?', config: { tools: [getOrder] } });
    for await (const chunk of stream) if (modelText(chunk).startsWith('Order')) break;
    const recorded = await rows('fx-afc-stream-abandon');
    expect(recorded.map((r) => [r.metadata.afc_call, r.total_tokens, r.metadata.stream_status, r.metadata.usage_complete])).toEqual([
      [1, 75, 'completed', undefined],
      [2, 99, 'abandoned', false],
    ]);
  });
});
