import { hashPassword } from '../../../src/admin/authenticate.js';
import { aggregateMismatches } from '../../../test/support/fixtures.js';
import { loginToPanel } from '../../../test/support/http.js';
import { startPluginApp, usageRows, type PluginApp } from '../../../test/support/plugin-app.js';
import { promptGenerationPlugin } from '../index.js';

let t: PluginApp;

beforeAll(async () => {
  t = await startPluginApp([promptGenerationPlugin({ jobRetryLimit: 1, jobRetryDelaySeconds: 1 })]);
});
afterAll(() => t.close());
beforeEach(() => t.simulator.reset());

const input = { business_type: 'bakery', tone: 'warm', language: 'English', audience: 'local families' };

async function waitForJob(jobId: string, until: (body: any) => boolean): Promise<any> {
  for (let i = 0; i < 150; i++) {
    const { body } = await t.api('GET', `/prompts/jobs/${jobId}`);
    if (until(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${jobId} did not settle`);
}

it('generates a prompt now and records one prompt_generation row with thinking tokens', async () => {
  const response = await t.api('POST', '/prompts/generate', input);
  expect(response.status).toBe(201);
  expect(response.body).toMatchObject({ status: 'completed', async: false, prompt: expect.any(String), input: { business_type: 'bakery', tone: 'warm' } });
  const rows = await usageRows(t, `metadata->>'generation_id' = $1`, [response.body.id]);
  expect(rows).toEqual([
    expect.objectContaining({
      user_id: t.userId, section: 'prompt_generation', model_name: 'gemini-2.5-pro', success: true,
      metadata: expect.objectContaining({ business_type: 'bakery', tone: 'warm', language: 'English', async: false, finish_reason: 'STOP' }),
    }),
  ]);
  expect(rows[0]!.thoughts_tokens).toBeGreaterThan(0);
  expect(rows[0]!.total_tokens).toBe(rows[0]!.prompt_tokens + rows[0]!.completion_tokens + rows[0]!.thoughts_tokens);
});

it('enqueues with ?async=true, runs the job through pg-boss and records async: true with the job id', async () => {
  const queued = await t.api('POST', '/prompts/generate?async=true', input);
  expect(queued.status).toBe(202);
  expect(queued.body).toMatchObject({ status: 'queued', async: true, job_id: expect.any(String), status_url: `/api/prompts/jobs/${queued.body.job_id}` });
  // The generation is stored before its handler returns; pg-boss marks the job completed after.
  const done = await waitForJob(queued.body.job_id, (b) => b.status === 'completed' && b.queue_state === 'completed');
  expect(done).toMatchObject({ prompt: expect.any(String), attempts: 1 });
  const rows = await usageRows(t, `metadata->>'generation_id' = $1`, [queued.body.id]);
  expect(rows).toEqual([expect.objectContaining({ success: true, metadata: expect.objectContaining({ async: true, job_id: queued.body.job_id }) })]);
});

it('retries a failed job per pg-boss settings, every attempt in the ledger', async () => {
  t.simulator.faults.push({ kind: '500', model: 'gemini-2.5-pro' });
  const queued = await t.api('POST', '/prompts/generate?async=true', { ...input, business_type: 'florist' });
  const done = await waitForJob(queued.body.job_id, (b) => b.status === 'completed');
  expect(done.attempts).toBe(2);
  const rows = await usageRows(t, `metadata->>'generation_id' = $1`, [queued.body.id]);
  expect(rows.map((r) => [r.success, r.error_message])).toEqual([
    [false, expect.stringContaining('500 Internal Server Error')],
    [true, null],
  ]);
});

it('marks the job failed with its error once the retries are used up', async () => {
  t.simulator.faults.push({ kind: '429', retryDelaySeconds: 0, model: 'gemini-2.5-pro', times: 2 });
  const queued = await t.api('POST', '/prompts/generate?async=true', { ...input, business_type: 'gym' });
  const failed = await waitForJob(queued.body.job_id, (b) => b.queue_state === 'failed');
  expect(failed).toMatchObject({ status: 'failed', error: expect.stringContaining('429 Too Many Requests'), attempts: 2 });
  const rows = await usageRows(t, `metadata->>'generation_id' = $1`, [queued.body.id]);
  expect(rows).toHaveLength(2);
  expect(rows.every((r) => !r.success && r.metadata.async === true && r.metadata.http_status === 429)).toBe(true);
});

it('answers a failed synchronous generation with the provider status and keeps the record', async () => {
  t.simulator.faults.push({ kind: '429', retryDelaySeconds: 0 });
  const response = await t.api('POST', '/prompts/generate', input);
  expect(response.status).toBe(429);
  expect(response.body.error).toContain('429 Too Many Requests');
  const [row] = await t.db.sequelize.query<{ status: string; error_message: string }>(`SELECT status, error_message FROM prompt_generations ORDER BY created_at DESC LIMIT 1`, { type: 'SELECT' as never });
  expect(row).toMatchObject({ status: 'failed', error_message: expect.stringContaining('429') });
});

it('refuses bad input and other users\' jobs', async () => {
  expect((await t.api('POST', '/prompts/generate', { tone: 'warm' })).body).toEqual({ error: 'business_type is required' });
  expect((await t.api('POST', '/prompts/generate?async=maybe', input)).body).toEqual({ error: 'async must be true or false' });
  const queued = await t.api('POST', '/prompts/generate?async=true', input);
  expect((await t.api('GET', `/prompts/jobs/${queued.body.job_id}`, undefined, await t.otherUserToken())).status).toBe(404);
  await waitForJob(queued.body.job_id, (b) => b.status === 'completed');
});

it('generates from the panel action as the signed-in admin; a viewer is refused', async () => {
  const hash = await hashPassword('panel-pass-1');
  await t.db.sequelize.query(`INSERT INTO users (email, username, role, password_hash) VALUES ('boss@example.com', 'boss', 'admin', $1), ('look@example.com', 'look', 'viewer', $1)`, { bind: [hash] });
  const call = async (email: string) =>
    fetch(`${t.baseUrl}/admin/api/resources/prompt_generations/actions/generatePrompt`, {
      method: 'POST',
      headers: { cookie: await loginToPanel(t.baseUrl, email, 'panel-pass-1'), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ businessType: 'bookshop', language: 'French' }).toString(),
    });
  const generated = await call('boss@example.com');
  expect(generated.status).toBe(200);
  expect((await generated.json()).result).toEqual({ id: expect.any(String), prompt: expect.any(String) });
  const rows = await usageRows(t, `metadata->>'business_type' = 'bookshop'`);
  expect(rows).toEqual([expect.objectContaining({ section: 'prompt_generation', success: true, metadata: expect.objectContaining({ language: 'French' }) })]);

  const refused = await call('look@example.com');
  expect(refused.status).toBeGreaterThanOrEqual(400);
  expect(await usageRows(t, `metadata->>'business_type' = 'bookshop'`)).toHaveLength(1);
  expect(await aggregateMismatches(t.db.sequelize)).toEqual([]);
});
