import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { collectText } from '../text.js';
import { answer, promptText, promptUsage, type GenerateRequestBody } from './answer.js';
import { countTokensBody, embedding, errorBody, generateBody, rateLimitBody, streamChunks } from './bodies.js';
import { FaultBook, type RequestPlan, type SimulatorOperation } from './faults.js';

export interface GeminiSimulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; loopback by default. */
  host?: string;
  /** The only key accepted in `x-goog-api-key` (or `?key=`); defaults to `simulator-key`. */
  apiKey?: string;
  /** Pause between stream chunks, in ms; 0 by default. */
  chunkDelayMs?: number;
}

/** One request as the simulator saw it, for tests to assert on. */
export interface SimulatedRequest {
  operation: SimulatorOperation;
  model: string;
  apiVersion: string;
  /** HTTP status answered; `disconnected` when dropped on purpose, `client-closed` when the client left first. */
  status: number | 'disconnected' | 'client-closed' | 'pending';
  fault?: string;
}

export interface GeminiSimulator {
  /** Base URL to give the SDKs (`baseUrl`), without the API version. */
  url: string;
  apiKey: string;
  /** Queue faults for the next matching requests: `simulator.faults.push({ kind: '429' })`. */
  faults: FaultBook;
  requests: SimulatedRequest[];
  /** Clears queued faults, marker counters and the request log. */
  reset(): void;
  close(): Promise<void>;
}

const ROUTE = /^\/(v1|v1beta|v1alpha)\/((?:models|tunedModels)\/[^/:]+):(generateContent|streamGenerateContent|countTokens|embedContent|batchEmbedContents)$/;
const MAX_BODY_BYTES = 20 * 1024 * 1024;

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: object): number {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
  return status;
}

async function readJson(req: IncomingMessage): Promise<Record<string, any>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpFailure(400, 'Request payload size exceeds the limit.');
    chunks.push(chunk);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    return body;
  } catch {
    throw new HttpFailure(400, 'Invalid JSON payload received.');
  }
}

/** The text faults are matched against and markers read from, for each operation. */
function requestText(operation: SimulatorOperation, body: Record<string, any>): string {
  if (operation === 'embedContent') return collectText(body.content);
  if (operation === 'batchEmbedContents') return collectText((body.requests ?? []).map((r: any) => r?.content));
  if (operation === 'countTokens') return promptText(body.generateContentRequest ?? body);
  return promptText(body);
}

/** Starts a Gemini-compatible REST server on loopback; see GeminiSimulatorOptions. */
export async function startGeminiSimulator(options: GeminiSimulatorOptions = {}): Promise<GeminiSimulator> {
  const apiKey = options.apiKey ?? 'simulator-key';
  const chunkDelayMs = options.chunkDelayMs ?? 0;
  const faults = new FaultBook();
  const requests: SimulatedRequest[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse, cancelled: AbortSignal, seen: { log?: SimulatedRequest }): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (req.method === 'GET' && url.pathname === '/') {
      sendJson(res, 200, { simulator: 'gemini', versions: ['v1', 'v1beta'] });
      return;
    }
    const route = ROUTE.exec(url.pathname);
    if (!route || req.method !== 'POST') {
      sendJson(res, 404, errorBody(404, `Unknown path ${url.pathname}.`));
      return;
    }
    const [, apiVersion, resource, operation] = route as unknown as [string, string, string, SimulatorOperation];
    const model = decodeURIComponent(resource).replace(/^models\//, '');
    const log: SimulatedRequest = { operation, model, apiVersion, status: 'pending' };
    requests.push(log);
    seen.log = log;

    const key = req.headers['x-goog-api-key'] ?? url.searchParams.get('key');
    if (!key) {
      log.status = sendJson(res, 403, errorBody(403, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."));
      return;
    }
    if (key !== apiKey) {
      log.status = sendJson(res, 400, errorBody(400, 'API key not valid. Please pass a valid API key.', [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }]));
      return;
    }
    const body = await readJson(req);
    const plan = faults.plan({ operation, model, text: requestText(operation, body) }, { chunkDelayMs });
    log.fault = plan.fault?.kind;
    if (plan.delayMs > 0) await sleep(plan.delayMs, undefined, { signal: cancelled });

    const fault = plan.fault;
    if (fault?.kind === '429') {
      log.status = sendJson(res, 429, rateLimitBody(fault.retryDelaySeconds ?? 1));
    } else if (fault?.kind === '500') {
      log.status = sendJson(res, 500, errorBody(500));
    } else if (fault?.kind === 'status') {
      log.status = sendJson(res, fault.status, errorBody(fault.status, fault.message));
    } else if (fault?.kind === 'disconnect' && (operation !== 'streamGenerateContent' || fault.afterChunks === 0)) {
      log.status = 'disconnected';
      req.socket.destroy();
    } else if (operation === 'streamGenerateContent') {
      log.status = await stream(res, req, model, body, plan, cancelled);
    } else if (fault?.kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      res.end('{"candidates": [{"content": {"parts": [{"text": "trunc');
      log.status = 200;
    } else {
      log.status = sendJson(res, 200, unaryBody(operation, model, body, plan));
    }
  }

  async function stream(res: ServerResponse, req: IncomingMessage, model: string, body: GenerateRequestBody, plan: RequestPlan, cancelled: AbortSignal): Promise<number | 'disconnected'> {
    const chunks = streamChunks(answer(model, body, plan)).map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`);
    const fault = plan.fault;
    if (fault?.kind === 'malformed') chunks.splice(1, chunks.length - 1, 'data: {"candidates": [{"content": \r\n\r\n');
    const dropAfter = fault?.kind === 'disconnect' ? (fault.afterChunks ?? 1) : Infinity;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const [index, chunk] of chunks.entries()) {
      if (index >= dropAfter) {
        req.socket.destroy();
        return 'disconnected';
      }
      if (index > 0 && plan.chunkDelayMs > 0) await sleep(plan.chunkDelayMs, undefined, { signal: cancelled });
      // Wait for the flush, so that a disconnect that follows comes after this chunk reached the client.
      await new Promise<void>((resolve, reject) => res.write(chunk, (error) => (error ? reject(error) : resolve())));
    }
    res.end();
    return 200;
  }

  function unaryBody(operation: SimulatorOperation, model: string, body: Record<string, any>, plan: RequestPlan): object {
    switch (operation) {
      case 'countTokens': {
        const { prompt, cached } = promptUsage(body.generateContentRequest ?? body, plan);
        return countTokensBody(prompt, cached);
      }
      case 'embedContent':
        return { embedding: embedding(model, body.content, body.outputDimensionality) };
      case 'batchEmbedContents':
        return { embeddings: (body.requests ?? []).map((r: any) => embedding(model, r?.content, r?.outputDimensionality)) };
      default:
        return generateBody(answer(model, body, plan));
    }
  }

  const server = createServer((req, res) => {
    const controller = new AbortController();
    const seen: { log?: SimulatedRequest } = {};
    res.on('close', () => controller.abort());
    handle(req, res, controller.signal, seen).catch((error: unknown) => {
      if (controller.signal.aborted) {
        // The client went away (a timeout, an abandoned stream): there is nobody to answer.
        if (seen.log) seen.log.status = 'client-closed';
        return;
      }
      if (res.headersSent) {
        res.destroy(error instanceof Error ? error : undefined);
        return;
      }
      const status = error instanceof HttpFailure ? error.status : 500;
      sendJson(res, status, errorBody(status, error instanceof Error ? error.message : String(error)));
      if (seen.log) seen.log.status = status;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    apiKey,
    faults,
    requests,
    reset() {
      faults.clear();
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
