import { GoogleGenerativeAIAbortError, GoogleGenerativeAIError, GoogleGenerativeAIFetchError } from '@google/generative-ai';
import { UnknownSectionError } from '../../src/core/index.js';
import { insertUser } from '../support/fixtures.js';
import { expectedCost, startHarness, tokensOf, UUID, type GeminiHarness } from './support.js';

let h: GeminiHarness;
let userId: number;
beforeAll(async () => {
  h = await startHarness();
  userId = await insertUser(h.db.sequelize);
});
afterAll(() => h.close());

const SDK = '@google/generative-ai';
const flash = (test: string, extra: Record<string, unknown> = {}) =>
  h.gemini.model({ model: 'gemini-2.5-flash', userId, section: 'chat', metadata: { test, ...extra } });

describe('generateContent', () => {
  it('records a result the caller refuses as a failure with its reason, tokens kept, and throws that reason', async () => {
    const refusal = new SyntaxError('not the JSON we asked for');
    const model = h.gemini.model({
      model: 'gemini-2.5-flash', userId, section: 'knowledge_qa', metadata: { test: 'ga-refused' },
      validateResult: () => {
        throw refusal;
      },
    });
    await expect(model.generateContent('Give me JSON')).rejects.toBe(refusal);
    const rows = await h.rows('ga-refused');
    expect(rows).toEqual([expect.objectContaining({ success: false, error_message: 'invalid output: not the JSON we asked for', metadata: expect.objectContaining({ error_kind: 'invalid_output', attempt: 1, usage_source: 'response' }) })]);
    expect(rows[0]!.prompt_tokens).toBe(tokensOf('Give me JSON'));
    expect(rows[0]!.completion_tokens).toBeGreaterThan(0);
  });

  it('records the tokens, cost and context of a call', async () => {
    const prompt = 'Explain the usage ledger in one paragraph.';
    const result = await flash('ga-generate', { conversation_id: 'c-1' }).generateContent(prompt);
    const text = result.response.text();
    expect(result.response.usageMetadata).toMatchObject({ promptTokenCount: tokensOf(prompt), candidatesTokenCount: tokensOf(text) });

    const rows = await h.rows('ga-generate');
    expect(rows).toEqual([
      {
        user_id: userId, section: 'chat', model_name: 'gemini-2.5-flash',
        prompt_tokens: tokensOf(prompt), completion_tokens: tokensOf(text), thoughts_tokens: 0, cached_tokens: 0,
        total_tokens: tokensOf(prompt) + tokensOf(text), response_time_ms: expect.any(Number), success: true, error_message: null,
        metadata: { test: 'ga-generate', conversation_id: 'c-1', sdk: SDK, operation: 'generateContent', request_id: UUID, attempt: 1, usage_source: 'response', finish_reason: 'STOP' },
        cost_usd: expectedCost('gemini-2.5-flash', { prompt: tokensOf(prompt), completion: tokensOf(text) }),
        created_at: expect.any(Date),
      },
    ]);
    expect(Number.isInteger(rows[0]!.response_time_ms)).toBe(true);
  });

  it('counts thinking and cached tokens of a pro model, and bills them', async () => {
    const prompt = 'Compare two plans [[sim:cached=64]]';
    const model = h.gemini.model({ model: 'gemini-2.5-pro', userId, section: 'knowledge_qa', metadata: { test: 'ga-pro' } });
    const { response } = await model.generateContent(prompt);
    const usage = response.usageMetadata as { thoughtsTokenCount: number } & typeof response.usageMetadata;
    const completion = tokensOf(response.text());
    const promptTokens = tokensOf(prompt) + 64;
    expect(usage.thoughtsTokenCount).toBeGreaterThan(0);

    const [row] = await h.rows('ga-pro');
    expect(row).toMatchObject({
      model_name: 'gemini-2.5-pro', prompt_tokens: promptTokens, cached_tokens: 64, completion_tokens: completion,
      thoughts_tokens: usage.thoughtsTokenCount, total_tokens: promptTokens + completion + usage.thoughtsTokenCount,
      cost_usd: expectedCost('gemini-2.5-pro', { prompt: promptTokens, cached: 64, completion, thoughts: usage.thoughtsTokenCount }),
    });
  });

  it('records no thoughts when the thinking budget is zero', async () => {
    const model = h.gemini.model({ model: 'gemini-2.5-pro', section: 'chat', metadata: { test: 'ga-nothink' }, generationConfig: { thinkingConfig: { thinkingBudget: 0 } } as never });
    await model.generateContent('Answer quickly');
    const [row] = await h.rows('ga-nothink');
    expect(row).toMatchObject({ user_id: null, thoughts_tokens: 0, success: true });
  });
});

describe('chat', () => {
  it('records each message, the history included in the prompt', async () => {
    const chat = flash('ga-chat').startChat();
    const first = await chat.sendMessage('Hello there');
    const second = await chat.sendMessage('And then?');
    expect(await chat.getHistory()).toHaveLength(4);

    const rows = await h.rows('ga-chat');
    expect(rows.map((r) => [r.metadata.operation, r.prompt_tokens, r.completion_tokens, r.success])).toEqual([
      ['sendMessage', first.response.usageMetadata!.promptTokenCount, tokensOf(first.response.text()), true],
      ['sendMessage', second.response.usageMetadata!.promptTokenCount, tokensOf(second.response.text()), true],
    ]);
    expect(rows[1]!.prompt_tokens).toBeGreaterThan(rows[0]!.prompt_tokens + tokensOf(first.response.text()) - 1);
  });

  it('records a streamed chat message once, when the stream ends', async () => {
    const chat = flash('ga-chat-stream').startChat();
    const { stream, response } = await chat.sendMessageStream('Stream a reply');
    let text = '';
    for await (const chunk of stream) text += chunk.text();
    expect((await response).text()).toBe(text);
    const rows = await h.rows('ga-chat-stream');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ completion_tokens: tokensOf(text), metadata: { operation: 'sendMessageStream', stream_status: 'completed' } });
  });
});

describe('generateContentStream', () => {
  it('takes usage from the final chunk and records the time to the first chunk', async () => {
    const prompt = 'Stream the story of a ledger';
    const { stream, response } = await flash('ga-stream').generateContentStream(prompt);
    let text = '';
    for await (const chunk of stream) text += chunk.text();
    const final = (await response).usageMetadata!;

    const [row, ...others] = await h.rows('ga-stream');
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      prompt_tokens: tokensOf(prompt), completion_tokens: tokensOf(text), total_tokens: final.totalTokenCount, success: true,
      metadata: { operation: 'generateContentStream', usage_source: 'response', finish_reason: 'STOP', stream_status: 'completed', stream_chunks: 4, time_to_first_chunk_ms: expect.any(Number) },
      cost_usd: expectedCost('gemini-2.5-flash', { prompt: tokensOf(prompt), completion: tokensOf(text) }),
    });
    expect(row!.metadata.time_to_first_chunk_ms).toBeLessThanOrEqual(row!.response_time_ms);
  });

  it('records an abandoned stream once, with the final usage: the SDK still receives the whole answer', async () => {
    const { stream, response } = await flash('ga-abandon').generateContentStream('Tell a long story [[sim:chunk-delay=150]]');
    let firstChunk;
    for await (const chunk of stream) {
      firstChunk = chunk;
      break;
    }
    const final = (await response).usageMetadata!;
    await h.gemini.flush();
    const rows = await h.rows('ga-abandon');
    expect(final.candidatesTokenCount).toBeGreaterThan(firstChunk!.usageMetadata!.candidatesTokenCount!);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      success: true, error_message: null,
      prompt_tokens: final.promptTokenCount, completion_tokens: final.candidatesTokenCount, total_tokens: final.totalTokenCount,
      metadata: { stream_status: 'abandoned', stream_chunks: 1, usage_source: 'response' },
    });
    expect(rows[0]!.metadata.usage_complete).toBeUndefined();
  });

  it('records a stream nobody iterates when it ends', async () => {
    const { response } = await flash('ga-unread').generateContentStream('Nobody reads the chunks');
    const final = await response;
    await h.gemini.flush();
    const rows = await h.rows('ga-unread');
    expect(rows).toEqual([expect.objectContaining({ completion_tokens: tokensOf(final.text()), metadata: expect.objectContaining({ stream_status: 'completed' }) })]);
  });

  it('records a stream that fails midway once, as failed, with what it received', async () => {
    const { stream, response } = await flash('ga-drop').generateContentStream('Drop me [[sim:disconnect]]');
    const responseError = response.catch((error: unknown) => error);
    const seen: { candidatesTokenCount?: number; promptTokenCount: number }[] = [];
    const error = await (async () => {
      for await (const chunk of stream) seen.push(chunk.usageMetadata!);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoogleGenerativeAIError);
    expect(await responseError).toBeInstanceOf(GoogleGenerativeAIError);

    expect(await h.rows('ga-drop')).toEqual([
      expect.objectContaining({
        success: false, error_message: 'network error: Error reading from the stream',
        prompt_tokens: seen[0]!.promptTokenCount, completion_tokens: seen[0]!.candidatesTokenCount,
        metadata: expect.objectContaining({ error_kind: 'network', stream_status: 'failed', stream_chunks: 1, usage_source: 'partial_stream' }),
      }),
    ]);
  });
});

describe('failures', () => {
  it('records a 429 and rethrows the SDK error unchanged', async () => {
    const error = (await flash('ga-429').generateContent('Too much [[sim:429]]').catch((e: unknown) => e)) as GoogleGenerativeAIFetchError;
    expect(error).toBeInstanceOf(GoogleGenerativeAIFetchError);
    expect(error.status).toBe(429);
    expect(await h.rows('ga-429')).toEqual([
      expect.objectContaining({
        success: false, error_message: '429 Too Many Requests: Resource has been exhausted (e.g. check quota).',
        prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost_usd: '0.000000000000',
        metadata: { test: 'ga-429', sdk: SDK, operation: 'generateContent', request_id: UUID, attempt: 1, usage_source: 'none', error_kind: 'http', http_status: 429 },
      }),
    ]);
  });

  it('records a 500 queued on the simulator', async () => {
    h.simulator.faults.push({ kind: '500', promptIncludes: 'queued-500' });
    await expect(flash('ga-500').generateContent('queued-500')).rejects.toMatchObject({ status: 500 });
    const [row] = await h.rows('ga-500');
    expect(row).toMatchObject({ success: false, metadata: { http_status: 500 } });
    expect(row!.error_message).toBe('500 Internal Server Error: An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
  });

  it('records a blocked prompt as a failure with its reason, and returns the response', async () => {
    const { response } = await flash('ga-blocked').generateContent('Something forbidden [[sim:blocked]]');
    expect(() => response.text()).toThrow(/blocked/);
    const [row] = await h.rows('ga-blocked');
    expect(row).toMatchObject({ success: false, error_message: 'blocked: prompt blocked (SAFETY)', prompt_tokens: tokensOf('Something forbidden [[sim:blocked]]'), completion_tokens: 0, metadata: { error_kind: 'blocked', block_reason: 'SAFETY' } });
  });

  it('records a SAFETY finish as a failure', async () => {
    await flash('ga-safety').generateContent('Risky [[sim:safety]]');
    const [row] = await h.rows('ga-safety');
    expect(row).toMatchObject({ success: false, error_message: 'blocked: response stopped (finishReason SAFETY)', metadata: { finish_reason: 'SAFETY', error_kind: 'blocked' } });
  });

  it('records a timeout', async () => {
    const model = h.gemini.model({ model: 'gemini-2.5-flash', section: 'chat', metadata: { test: 'ga-timeout' } }, { timeout: 100 });
    const started = Date.now();
    // The simulator would answer after a minute: only the client's timeout ends the call.
    await expect(model.generateContent('Slow [[sim:latency=60000]]')).rejects.toBeInstanceOf(GoogleGenerativeAIAbortError);
    const elapsed = Date.now() - started;
    const [row] = await h.rows('ga-timeout');
    expect(row).toMatchObject({ success: false, metadata: { error_kind: 'timeout' } });
    expect(row!.error_message).toMatch(/^timeout: Request aborted when fetching http:\/\/127\.0\.0\.1:\d+\/v1beta\/models\/gemini-2\.5-flash:generateContent/);
    expect(row!.response_time_ms).toBeGreaterThanOrEqual(95);
    expect(row!.response_time_ms).toBeLessThanOrEqual(elapsed);
  });

  it('records an abort by the caller as aborted', async () => {
    const controller = new AbortController();
    const before = h.simulator.requests.length;
    const call = flash('ga-abort').generateContent('Slow [[sim:latency=60000]]', { signal: controller.signal });
    // Abort once the simulator holds the request, not after a guessed delay.
    while (h.simulator.requests.length === before) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(GoogleGenerativeAIAbortError);
    const [row] = await h.rows('ga-abort');
    expect(row).toMatchObject({ success: false, metadata: { error_kind: 'aborted' } });
  });

  it('records a malformed body', async () => {
    await expect(flash('ga-malformed').generateContent('Garbled [[sim:malformed]]')).rejects.toMatchObject({ name: 'SyntaxError' });
    const [row] = await h.rows('ga-malformed');
    expect(row).toMatchObject({ success: false, metadata: { error_kind: 'malformed_response' } });
    expect(row!.error_message).toMatch(/^malformed response: /);
  });
});

describe('retries', () => {
  const retrying = (test: string) =>
    h.factory({ retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 1000, jitter: false } }).model({ model: 'gemini-2.5-flash', section: 'chat', metadata: { test } });

  it('honours RetryInfo on 429 and links the attempts', async () => {
    h.simulator.faults.push({ kind: '429', retryDelaySeconds: 0.2, promptIncludes: 'retry-me' });
    const { response } = await retrying('ga-retry').generateContent('retry-me');
    const rows = await h.rows('ga-retry');
    expect(rows.map((r) => [r.metadata.attempt, r.success, r.metadata.http_status, r.metadata.retry_in_ms])).toEqual([
      [1, false, 429, 200],
      [2, true, undefined, undefined],
    ]);
    expect(rows[1]!.metadata.request_id).toBe(rows[0]!.metadata.request_id);
    expect(rows[1]!.created_at.getTime() - rows[0]!.created_at.getTime()).toBeGreaterThanOrEqual(200);
    expect(rows[1]!.completion_tokens).toBe(tokensOf(response.text()));
  });

  it('backs off exponentially and rethrows the last error when attempts run out', async () => {
    await expect(retrying('ga-exhaust').generateContent('Always failing [[sim:500]]')).rejects.toMatchObject({ status: 500 });
    const rows = await h.rows('ga-exhaust');
    expect(rows.map((r) => [r.metadata.attempt, r.success, r.metadata.retry_in_ms])).toEqual([
      [1, false, 20],
      [2, false, 40],
      [3, false, undefined],
    ]);
    expect(new Set(rows.map((r) => r.metadata.request_id)).size).toBe(1);
  });

  it('retries a stream that could not open, then records it once', async () => {
    h.simulator.faults.push({ kind: '500', operation: 'streamGenerateContent', promptIncludes: 'stream-retry' });
    const { stream } = await retrying('ga-stream-retry').generateContentStream('stream-retry');
    for await (const chunk of stream) expect(chunk.text()).toEqual(expect.any(String));
    const rows = await h.rows('ga-stream-retry');
    expect(rows.map((r) => [r.metadata.attempt, r.success, r.metadata.stream_status])).toEqual([
      [1, false, undefined],
      [2, true, 'completed'],
    ]);
  });
});

describe('countTokens and embeddings', () => {
  it('does not record countTokens: it is free and not a model request', async () => {
    const { totalTokens } = await flash('ga-count').countTokens('How long is this prompt?');
    expect(totalTokens).toBeGreaterThan(0);
    expect(await h.rows('ga-count')).toEqual([]);
  });

  const embedder = (test: string, options = {}) => h.factory(options).model({ model: 'gemini-embedding-001', section: 'embedding_generation', metadata: { test } });

  it('counts the tokens of an embedding with countTokens', async () => {
    const text = 'A sentence to embed for retrieval';
    const before = h.simulator.requests.length;
    const { embedding } = await embedder('ga-embed').embedContent(text);
    expect(embedding.values).toHaveLength(768);
    expect(h.simulator.requests.slice(before).map((r) => r.operation).sort()).toEqual(['countTokens', 'embedContent']);
    expect(await h.rows('ga-embed')).toEqual([
      expect.objectContaining({
        model_name: 'gemini-embedding-001', prompt_tokens: tokensOf(text), completion_tokens: 0, total_tokens: tokensOf(text), success: true,
        metadata: { test: 'ga-embed', sdk: SDK, operation: 'embedContent', request_id: UUID, attempt: 1, usage_source: 'count_tokens', embedding_count: 1 },
        cost_usd: expectedCost('gemini-embedding-001', { prompt: tokensOf(text) }),
      }),
    ]);
  });

  it('counts a batch of embeddings in one row', async () => {
    const texts = ['first text', 'second, longer text', 'third'];
    const { embeddings } = await embedder('ga-batch').batchEmbedContents({ requests: texts.map((text) => ({ content: { role: 'user', parts: [{ text }] } })) });
    expect(embeddings).toHaveLength(3);
    const [row] = await h.rows('ga-batch');
    expect(row).toMatchObject({ prompt_tokens: tokensOf(texts.join('\n')), metadata: { operation: 'batchEmbedContents', usage_source: 'count_tokens', embedding_count: 3 } });
  });

  it('estimates when told to, or when countTokens fails, and says so', async () => {
    const before = h.simulator.requests.length;
    await embedder('ga-estimate', { embeddingUsage: 'estimate' }).embedContent('estimate me please');
    expect(h.simulator.requests.slice(before).map((r) => r.operation)).toEqual(['embedContent']);
    h.simulator.faults.push({ kind: '500', operation: 'countTokens', model: 'gemini-embedding-001' });
    await embedder('ga-count-failed').embedContent('count me if you can');

    expect(await h.rows('ga-estimate')).toEqual([expect.objectContaining({ prompt_tokens: tokensOf('estimate me please'), metadata: expect.objectContaining({ usage_source: 'estimated' }) })]);
    const [failed] = await h.rows('ga-count-failed');
    expect(failed).toMatchObject({ prompt_tokens: tokensOf('count me if you can'), metadata: { usage_source: 'estimated' } });
    expect(failed!.metadata.count_tokens_error).toMatch(/^500 Internal Server Error: /);
  });
});

describe('tracking never breaks the call', () => {
  it('returns the result when the row cannot be written, and logs [TRACK_ERROR]', async () => {
    const model = h.gemini.model({ model: 'gemini-2.5-flash', userId: 2_000_000_000, section: 'chat', metadata: { test: 'ga-track-fail' } });
    const { response } = await model.generateContent('Still answered');
    expect(response.text()).toEqual(expect.any(String));
    await expect(model.generateContent('Still failing [[sim:429]]')).rejects.toMatchObject({ status: 429 });
    expect(await h.rows('ga-track-fail')).toEqual([]);
    expect(h.logged.filter((l) => l.message.startsWith('[TRACK_ERROR] UNKNOWN_USER'))).toHaveLength(2);
  });

  it('delivers a whole stream when its row cannot be written', async () => {
    const model = h.gemini.model({ model: 'gemini-2.5-flash', userId: 2_000_000_001, section: 'chat', metadata: { test: 'ga-track-fail-stream' } });
    const { stream, response } = await model.generateContentStream('Stream regardless');
    let text = '';
    for await (const chunk of stream) text += chunk.text();
    expect(text).toBe((await response).text());
    expect(h.logged.filter((l) => l.message.startsWith('[TRACK_ERROR] UNKNOWN_USER: user 2000000001'))).toHaveLength(1);
  });

  it('refuses an unknown section when the model is made, not when it is called', () => {
    expect(() => h.gemini.model({ model: 'gemini-2.5-flash', section: 'no_such_section' })).toThrow(UnknownSectionError);
  });
});
