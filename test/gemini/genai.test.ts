import { ApiError, type GenerateContentResponse } from '@google/genai';
import { insertUser } from '../support/fixtures.js';
import { expectedCost, startHarness, tokensOf, UUID, type GeminiHarness } from './support.js';

let h: GeminiHarness;
let userId: number;
beforeAll(async () => {
  h = await startHarness();
  userId = await insertUser(h.db.sequelize);
});
afterAll(() => h.close());

const SDK = '@google/genai';
const client = (test: string, extra: Record<string, unknown> = {}) => h.gemini.genai({ userId, section: 'chat', metadata: { test, ...extra } });

async function drain(stream: AsyncGenerator<GenerateContentResponse>): Promise<{ text: string; last?: GenerateContentResponse }> {
  let text = '';
  let last: GenerateContentResponse | undefined;
  for await (const chunk of stream) {
    text += chunk.text ?? '';
    last = chunk;
  }
  return { text, last };
}

describe('models.generateContent', () => {
  it('records the tokens, cost and context of a call', async () => {
    const prompt = 'What does the ledger record?';
    const response = await client('gg-generate', { feature: 'faq' }).models.generateContent({ model: 'gemini-2.5-flash', contents: prompt });
    const text = response.text!;
    expect(await h.rows('gg-generate')).toEqual([
      {
        user_id: userId, section: 'chat', model_name: 'gemini-2.5-flash',
        prompt_tokens: tokensOf(prompt), completion_tokens: tokensOf(text), thoughts_tokens: 0, cached_tokens: 0,
        total_tokens: tokensOf(prompt) + tokensOf(text), response_time_ms: expect.any(Number), success: true, error_message: null,
        metadata: { test: 'gg-generate', feature: 'faq', sdk: SDK, operation: 'generateContent', request_id: UUID, attempt: 1, usage_source: 'response', finish_reason: 'STOP' },
        cost_usd: expectedCost('gemini-2.5-flash', { prompt: tokensOf(prompt), completion: tokensOf(text) }),
        created_at: expect.any(Date),
      },
    ]);
  });

  it('counts thinking tokens and cached content of a pro model', async () => {
    const prompt = 'Plan a migration';
    const response = await client('gg-pro').models.generateContent({ model: 'models/gemini-2.5-pro', contents: prompt, config: { cachedContent: 'cachedContents/abc' } });
    const { thoughtsTokenCount, candidatesTokenCount, promptTokenCount } = response.usageMetadata!;
    expect(promptTokenCount).toBe(tokensOf(prompt) + 1024);
    expect(thoughtsTokenCount).toBeGreaterThan(0);
    const [row] = await h.rows('gg-pro');
    expect(row).toMatchObject({
      model_name: 'gemini-2.5-pro', prompt_tokens: promptTokenCount, cached_tokens: 1024, completion_tokens: candidatesTokenCount, thoughts_tokens: thoughtsTokenCount,
      total_tokens: promptTokenCount! + candidatesTokenCount! + thoughtsTokenCount!,
      cost_usd: expectedCost('gemini-2.5-pro', { prompt: promptTokenCount!, cached: 1024, completion: candidatesTokenCount, thoughts: thoughtsTokenCount }),
    });
  });

  it('answers JSON mode with valid JSON, and records it like any answer', async () => {
    const response = await client('gg-json').models.generateContent({ model: 'gemini-2.5-flash', contents: 'Five questions about invoices', config: { responseMimeType: 'application/json' } });
    expect(JSON.parse(response.text!)).toEqual(expect.arrayContaining([{ question: expect.any(String), answer: expect.any(String) }]));
    expect(await h.rows('gg-json')).toEqual([expect.objectContaining({ success: true, completion_tokens: tokensOf(response.text!) })]);
  });
});

describe('chats', () => {
  it('records each message, unary and streamed', async () => {
    const chat = client('gg-chat').chats.create({ model: 'gemini-2.5-flash' });
    const first = await chat.sendMessage({ message: 'Hello' });
    const streamed = await drain(await chat.sendMessageStream({ message: 'Go on' }));
    expect(chat.getHistory().filter((content) => content.role === 'user')).toHaveLength(2);
    const rows = await h.rows('gg-chat');
    expect(rows.map((r) => [r.metadata.operation, r.completion_tokens, r.metadata.stream_status])).toEqual([
      ['sendMessage', tokensOf(first.text!), undefined],
      ['sendMessageStream', tokensOf(streamed.text), 'completed'],
    ]);
    expect(rows[1]!.prompt_tokens).toBe(streamed.last!.usageMetadata!.promptTokenCount);
  });
});

describe('models.generateContentStream', () => {
  it('takes usage from the final chunk and records the time to the first chunk', async () => {
    const prompt = 'Stream a summary';
    const { text, last } = await drain(await client('gg-stream').models.generateContentStream({ model: 'gemini-2.5-flash', contents: prompt }));
    const [row, ...others] = await h.rows('gg-stream');
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      prompt_tokens: tokensOf(prompt), completion_tokens: tokensOf(text), total_tokens: last!.usageMetadata!.totalTokenCount, success: true,
      metadata: { operation: 'generateContentStream', usage_source: 'response', stream_status: 'completed', stream_chunks: 4, time_to_first_chunk_ms: expect.any(Number) },
    });
  });

  it('records an abandoned stream at once and closes its connection', async () => {
    const before = h.simulator.requests.length;
    const started = Date.now();
    // The next chunk would come a minute later: the row can only be there because the reader stopped.
    const stream = await client('gg-abandon').models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'A long tale [[sim:chunk-delay=60000]]' });
    for await (const chunk of stream) {
      expect(chunk.text).toEqual(expect.any(String));
      break;
    }
    const rows = await h.rows('gg-abandon');
    expect(rows).toEqual([expect.objectContaining({ success: true, metadata: expect.objectContaining({ stream_status: 'abandoned', stream_chunks: 1, usage_source: 'partial_stream', usage_complete: false }) })]);
    expect(rows[0]!.response_time_ms).toBeLessThanOrEqual(Date.now() - started);
    while (h.simulator.requests[before]?.status === 'pending') await new Promise((resolve) => setTimeout(resolve, 5));
    expect(h.simulator.requests[before]).toMatchObject({ operation: 'streamGenerateContent', status: 'client-closed' });
  });

  it('records a stream the caller aborts midway as aborted', async () => {
    const controller = new AbortController();
    const stream = await client('gg-stream-abort').models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Abort me [[sim:chunk-delay=60000]]', config: { abortSignal: controller.signal } });
    // Aborts once the first chunk arrived, while the next one is still a minute away.
    const reading = (async () => {
      for await (const chunk of stream) if (chunk) controller.abort();
    })().catch((e: unknown) => e);
    expect(await reading).toMatchObject({ name: 'AbortError' });
    const [row] = await h.rows('gg-stream-abort');
    expect(row).toMatchObject({ success: false, metadata: { error_kind: 'aborted', stream_status: 'failed', stream_chunks: 1 } });
  });

  it('records a stream that fails midway once, as failed', async () => {
    const stream = await client('gg-drop').models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Drop [[sim:disconnect=2]]' });
    const error = await drain(stream).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TypeError', message: 'terminated' });
    const [row] = await h.rows('gg-drop');
    expect(row).toMatchObject({ success: false, error_message: 'network error: terminated (other side closed)', metadata: { error_kind: 'network', stream_status: 'failed', stream_chunks: 2, usage_source: 'partial_stream' } });
  });
});

describe('failures and retries', () => {
  it('records a 429 and rethrows the ApiError unchanged', async () => {
    const error = await client('gg-429').models.generateContent({ model: 'gemini-2.5-flash', contents: 'Busy [[sim:429]]' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(429);
    expect(await h.rows('gg-429')).toEqual([
      expect.objectContaining({
        success: false, error_message: '429 Too Many Requests: Resource has been exhausted (e.g. check quota).', prompt_tokens: 0,
        metadata: { test: 'gg-429', sdk: SDK, operation: 'generateContent', request_id: UUID, attempt: 1, usage_source: 'none', error_kind: 'http', http_status: 429 },
      }),
    ]);
  });

  it('retries on RetryInfo, each attempt its own row', async () => {
    const gemini = h.factory({ retry: { attempts: 4, initialDelayMs: 10, maxDelayMs: 100, jitter: false } });
    // The server asks for 5 s; maxDelayMs caps the wait.
    h.simulator.faults.push({ kind: '429', retryDelaySeconds: 5, promptIncludes: 'gg-retry', times: 2 });
    const response = await gemini.genai({ section: 'chat', metadata: { test: 'gg-retry' } }).models.generateContent({ model: 'gemini-2.5-flash', contents: 'gg-retry' });
    const rows = await h.rows('gg-retry');
    expect(rows.map((r) => [r.metadata.attempt, r.success, r.metadata.retry_in_ms])).toEqual([
      [1, false, 100],
      [2, false, 100],
      [3, true, undefined],
    ]);
    expect(rows[2]!.completion_tokens).toBe(tokensOf(response.text!));
  });

  it('records a timeout', async () => {
    const request = client('gg-timeout').models.generateContent({ model: 'gemini-2.5-flash', contents: 'Slow [[sim:latency=2000]]', config: { httpOptions: { timeout: 100 } } });
    // Under jest's vm realm the SDK rewraps the AbortError ("exception AbortError: ..."); in plain Node it passes through.
    await expect(request).rejects.toThrow(/aborted/);
    const [row] = await h.rows('gg-timeout');
    expect(row).toMatchObject({ success: false, metadata: { error_kind: 'timeout' } });
    expect(row!.error_message).toMatch(/^timeout: .*This operation was aborted/);
  });

  it('records a safety block', async () => {
    await client('gg-blocked').models.generateContent({ model: 'gemini-2.5-flash', contents: 'Forbidden [[sim:blocked]]' });
    const [row] = await h.rows('gg-blocked');
    expect(row).toMatchObject({ success: false, error_message: 'blocked: prompt blocked (SAFETY)', metadata: { block_reason: 'SAFETY' } });
  });
});

describe('countTokens and embeddings', () => {
  it('does not record countTokens: it is free and not a model request', async () => {
    const { totalTokens } = await client('gg-count').models.countTokens({ model: 'gemini-2.5-flash', contents: 'Count these words' });
    expect(totalTokens).toBeGreaterThan(0);
    expect(await h.rows('gg-count')).toEqual([]);
  });

  it('counts the tokens of several embeddings in one row', async () => {
    const contents = ['alpha text', 'beta text that is longer'];
    const ai = h.gemini.genai({ section: 'embedding_generation', metadata: { test: 'gg-embed' } });
    const { embeddings } = await ai.models.embedContent({ model: 'gemini-embedding-001', contents, config: { outputDimensionality: 256 } });
    expect(embeddings!.map((e) => e.values!.length)).toEqual([256, 256]);
    expect(await h.rows('gg-embed')).toEqual([
      expect.objectContaining({
        model_name: 'gemini-embedding-001', prompt_tokens: tokensOf(contents.join('\n')), completion_tokens: 0,
        metadata: { test: 'gg-embed', sdk: SDK, operation: 'embedContent', request_id: UUID, attempt: 1, usage_source: 'count_tokens', embedding_count: 2 },
        cost_usd: expectedCost('gemini-embedding-001', { prompt: tokensOf(contents.join('\n')) }),
      }),
    ]);
  });
});

describe('endpoint', () => {
  it('serves v1 as well as v1beta', async () => {
    const ai = h.factory({ apiVersion: 'v1' }).genai({ section: 'chat', metadata: { test: 'gg-v1' } });
    const before = h.simulator.requests.length;
    await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hello v1' });
    expect(h.simulator.requests[before]).toMatchObject({ apiVersion: 'v1', status: 200 });
    expect(await h.rows('gg-v1')).toHaveLength(1);
  });
});
