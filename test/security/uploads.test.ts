import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { startPanel, type Panel } from '../admin/support/panel.js';

const IMPORT_PATH = '/admin/api/resources/subscriptions/actions/import';
const FIFTY_MB = 50 * 1024 * 1024;
let panel: Panel;
let uploadDir: string;
const savedTmpdir = process.env.TMPDIR;

beforeAll(async () => {
  uploadDir = await mkdtemp(path.join(tmpdir(), 'ai-usage-upload-test-'));
  // Whatever writes uploads (ours, or a body parser that ran before the login check) writes here.
  process.env.TMPDIR = uploadDir;
  panel = await startPanel({ security: { ...loadConfig({ NODE_ENV: 'test' }).security, uploadDir } });
}, 60_000);
afterAll(async () => {
  process.env.TMPDIR = savedTmpdir;
  await panel?.close();
  await rm(uploadDir, { recursive: true, force: true });
});

/** The upload directory once every request's cleanup has run (it runs when the response ends). */
async function settledUploads(): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const files = await readdir(uploadDir);
    if (files.length === 0) return files;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return readdir(uploadDir);
}

function multipart(content: string | Uint8Array<ArrayBuffer>, name = 'subs.csv'): FormData {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  return form;
}

const post = (url: string, body: FormData | ReadableStream, headers: Record<string, string> = {}) =>
  fetch(`${panel.baseUrl}${url}`, { method: 'POST', redirect: 'manual', headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);

/** A multipart body of `size` bytes of file content, produced as it is sent (no Content-Length). */
function streamedUpload(size: number): { body: ReadableStream<Uint8Array>; contentType: string } {
  const boundary = 'ai-usage-test-boundary';
  const head = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  const chunk = new Uint8Array(1024 * 1024).fill(0x61);
  let sent = 0;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!started) {
        started = true;
        return controller.enqueue(head);
      }
      if (sent < size) {
        const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += piece.length;
        return controller.enqueue(piece);
      }
      controller.enqueue(tail);
      controller.close();
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('uploads are read only after login and the role check', () => {
  it('an anonymous multipart POST anywhere under /admin is sent to the login page and leaves no file', async () => {
    for (const url of [IMPORT_PATH, '/admin/api/resources/users/actions/new', '/admin/anything']) {
      const response = await post(url, multipart('x'.repeat(3 * 1024 * 1024)));
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/admin/login');
    }
    expect(await settledUploads()).toEqual([]);
  });

  it('a viewer import is refused with 403 and leaves no file', async () => {
    const response = await post(IMPORT_PATH, multipart('id,plan\n1,pro\n'), { cookie: panel.viewerCookie });
    expect(response.status).toBe(403);
    expect(await settledUploads()).toEqual([]);
  });

  it('a file sent to an action that takes none is a 400, and is not kept', async () => {
    const response = await post(`/admin/api/resources/users/records/${panel.fixture.alice}/edit`, multipart('x'.repeat(100_000)), { cookie: panel.adminCookie });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'this action takes no files' });
    expect(await settledUploads()).toEqual([]);
  });
});

describe('the import upload', () => {
  it('is deleted when the import succeeds and when it fails', async () => {
    const ok = await post(IMPORT_PATH, multipart(`userId,plan,tokenQuota,periodStart,periodEnd\n${panel.fixture.bob},pro,1000,2026-01-01T00:00:00Z,2026-02-01T00:00:00Z\n`), { cookie: panel.adminCookie });
    expect(ok.status).toBe(200);
    expect((await ok.json()).importReport).toMatchObject({ committed: true, created: 1 });
    const bad = await post(IMPORT_PATH, multipart('"unterminated,quote\n', 'broken.csv'), { cookie: panel.adminCookie });
    expect(bad.status).toBe(200);
    expect((await bad.json()).importError).toEqual(expect.any(String));
    expect(await settledUploads()).toEqual([]);
  });

  it('over the size cap is a 413 with a JSON error and no stack, also when streamed without a length, and leaves no file', async () => {
    const streamed = streamedUpload(FIFTY_MB + 1024 * 1024);
    const response = await post(IMPORT_PATH, streamed.body, { cookie: panel.adminCookie, 'content-type': streamed.contentType });
    expect(response.status).toBe(413);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ error: `the file is larger than the ${FIFTY_MB} bytes this import accepts` });
    expect(body).not.toMatch(/\n\s+at /);

    const declared = await post(IMPORT_PATH, multipart(new Uint8Array(FIFTY_MB + 3 * 1024 * 1024)), { cookie: panel.adminCookie });
    expect(declared.status).toBe(413);
    expect(await settledUploads()).toEqual([]);
  });
});
