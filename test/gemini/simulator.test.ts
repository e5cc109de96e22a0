import { startGeminiSimulator, type GeminiSimulator } from '../../src/gemini/index.js';
import { tokensOf } from './support.js';

let sim: GeminiSimulator;
beforeAll(async () => {
  sim = await startGeminiSimulator({ apiKey: 'test-key' });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

async function post(path: string, body: unknown, key: string | null = 'test-key'): Promise<{ status: number; text: string; json: () => any }> {
  const response = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-goog-api-key': key } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

const ask = (text: string, extra: object = {}) => ({ contents: [{ role: 'user', parts: [{ text }] }], ...extra });

describe('protocol', () => {
  it('checks the API key like Gemini does', async () => {
    expect((await post('/v1beta/models/gemini-2.5-flash:generateContent', ask('hi'), null)).json()).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
    const wrong = await post('/v1beta/models/gemini-2.5-flash:generateContent', ask('hi'), 'nope');
    expect(wrong.status).toBe(400);
    expect(wrong.json()).toMatchObject({ error: { message: 'API key not valid. Please pass a valid API key.', details: [{ reason: 'API_KEY_INVALID' }] } });
  });

  it('answers v1 and v1beta alike, deterministically', async () => {
    const a = (await post('/v1beta/models/gemini-2.5-flash:generateContent', ask('Same prompt'))).json();
    const b = (await post('/v1/models/gemini-2.5-flash:generateContent', ask('Same prompt'))).json();
    expect(a).toEqual(b);
    const text: string = a.candidates[0].content.parts[0].text;
    expect(a.usageMetadata).toEqual({
      promptTokenCount: tokensOf('Same prompt'), candidatesTokenCount: tokensOf(text), totalTokenCount: tokensOf('Same prompt') + tokensOf(text),
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: tokensOf('Same prompt') }],
    });
    const other = (await post('/v1/models/gemini-2.5-flash:generateContent', ask('Another prompt'))).json();
    expect(other.candidates[0].content.parts[0].text).not.toBe(text);
  });

  it('thinks only with pro-style models and a non-zero budget', async () => {
    const pro = (await post('/v1beta/models/gemini-2.5-pro:generateContent', ask('Think'))).json();
    const off = (await post('/v1beta/models/gemini-2.5-pro:generateContent', ask('Think', { generationConfig: { thinkingConfig: { thinkingBudget: 0 } } }))).json();
    const capped = (await post('/v1beta/models/gemini-2.5-pro:generateContent', ask('Think', { generationConfig: { thinkingConfig: { thinkingBudget: 10 } } }))).json();
    const flash = (await post('/v1beta/models/gemini-2.5-flash:generateContent', ask('Think'))).json();
    expect(pro.usageMetadata.thoughtsTokenCount).toBeGreaterThan(0);
    expect(off.usageMetadata.thoughtsTokenCount).toBeUndefined();
    expect(capped.usageMetadata.thoughtsTokenCount).toBe(10);
    expect(flash.usageMetadata.thoughtsTokenCount).toBeUndefined();
  });

  it('streams SSE chunks whose text joins to the answer and whose last chunk has the final usage', async () => {
    const unary = (await post('/v1beta/models/gemini-2.5-flash:generateContent', ask('Stream it'))).json();
    const { text } = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', ask('Stream it'));
    const events = text.split('\r\n\r\n').filter(Boolean).map((event) => JSON.parse(event.replace(/^data: /, '')));
    expect(events.map((e) => e.candidates[0].content.parts[0].text).join('')).toBe(unary.candidates[0].content.parts[0].text);
    expect(events.at(-1).usageMetadata).toEqual(unary.usageMetadata);
    expect(events.at(-1).candidates[0].finishReason).toBe('STOP');
    expect(events[0].candidates[0].finishReason).toBeUndefined();
  });

  it('counts tokens, cached content included, and embeds without usage', async () => {
    expect((await post('/v1beta/models/gemini-2.5-flash:countTokens', { contents: [{ parts: [{ text: 'count me' }] }] })).json()).toMatchObject({ totalTokens: tokensOf('count me') });
    const cached = (await post('/v1beta/models/gemini-2.5-flash:countTokens', { generateContentRequest: { model: 'models/gemini-2.5-flash', cachedContent: 'cachedContents/x', contents: [{ parts: [{ text: 'count me' }] }] } })).json();
    expect(cached).toMatchObject({ totalTokens: tokensOf('count me') + 1024, cachedContentTokenCount: 1024 });
    const one = (await post('/v1beta/models/text-embedding-004:embedContent', { content: { parts: [{ text: 'embed' }] } })).json();
    expect(Object.keys(one)).toEqual(['embedding']);
    expect(one.embedding.values).toHaveLength(768);
    const norm = Math.sqrt(one.embedding.values.reduce((s: number, x: number) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 3);
    const batch = (await post('/v1beta/models/text-embedding-004:batchEmbedContents', { requests: [{ content: { parts: [{ text: 'embed' }] } }, { content: { parts: [{ text: 'other' }] }, outputDimensionality: 8 }] })).json();
    expect(batch.embeddings[0]).toEqual(one.embedding);
    expect(batch.embeddings[1].values).toHaveLength(8);
  });

  it('answers JSON mode from the schema, and breaks it on request', async () => {
    const schema = { type: 'OBJECT', properties: { pairs: { type: 'ARRAY', items: { type: 'OBJECT', properties: { question: { type: 'STRING' }, answer: { type: 'STRING' } } } } } };
    const body = (await post('/v1beta/models/gemini-2.5-flash:generateContent', ask('Quiz me', { generationConfig: { responseMimeType: 'application/json', responseSchema: schema } }))).json();
    const parsed = JSON.parse(body.candidates[0].content.parts[0].text);
    expect(parsed.pairs).toEqual([0, 1, 2].map(() => ({ question: expect.any(String), answer: expect.any(String) })));
    const broken = (await post('/v1beta/models/gemini-2.5-flash:generateContent', ask('Quiz me [[sim:bad-json]]', { generationConfig: { responseMimeType: 'application/json' } }))).json();
    expect(() => JSON.parse(broken.candidates[0].content.parts[0].text)).toThrow(SyntaxError);
  });

  it('answers an unknown path with a Gemini 404', async () => {
    const response = await post('/v1beta/models/gemini-2.5-flash:predictEverything', {});
    expect(response.status).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
  });
});

describe('faults', () => {
  it('uses a queued fault once, for the matching request only', async () => {
    sim.faults.push({ kind: '429', retryDelaySeconds: 2, model: 'gemini-2.5-pro' });
    expect((await post('/v1beta/models/gemini-2.5-flash:generateContent', ask('x'))).status).toBe(200);
    const limited = await post('/v1beta/models/gemini-2.5-pro:generateContent', ask('x'));
    expect(limited.status).toBe(429);
    expect(limited.json().error.details).toContainEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' });
    expect((await post('/v1beta/models/gemini-2.5-pro:generateContent', ask('x'))).status).toBe(200);
    expect(sim.faults.pending()).toEqual([]);
    expect(sim.requests.map((r) => r.status)).toEqual([200, 429, 200]);
  });

  it('fails the first N requests of a prompt with a counted marker', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post('/v1beta/models/gemini-2.5-flash:generateContent', ask('flaky [[sim:500*2]]'))).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('delays, then answers', async () => {
    const started = Date.now();
    expect((await post('/v1beta/models/gemini-2.5-flash:generateContent', ask('wait [[sim:latency=150]]'))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('sends a malformed body, and drops the connection', async () => {
    const malformed = await post('/v1beta/models/gemini-2.5-flash:generateContent', ask('[[sim:malformed]]'));
    expect(malformed.status).toBe(200);
    expect(() => malformed.json()).toThrow(SyntaxError);
    await expect(post('/v1beta/models/gemini-2.5-flash:generateContent', ask('[[sim:disconnect]]'))).rejects.toThrow('fetch failed');
    expect(sim.requests.at(-1)).toMatchObject({ status: 'disconnected', fault: 'disconnect' });
  });

  it('blocks a prompt, or stops a candidate for safety', async () => {
    expect((await post('/v1beta/models/gemini-2.5-flash:generateContent', ask('[[sim:blocked]]'))).json()).toMatchObject({ promptFeedback: { blockReason: 'SAFETY' } });
    const safety = (await post('/v1beta/models/gemini-2.5-flash:generateContent', ask('[[sim:safety]]'))).json();
    expect(safety.candidates[0]).toMatchObject({ finishReason: 'SAFETY' });
    expect(safety.candidates[0].content).toBeUndefined();
  });

  it('never applies markers to countTokens', async () => {
    expect((await post('/v1beta/models/gemini-2.5-flash:countTokens', ask('[[sim:429]]'))).status).toBe(200);
  });
});
