import { STATUS_CODES } from 'node:http';

/** Why a call failed, as recorded in metadata.error_kind. */
export type FailureKind = 'http' | 'timeout' | 'aborted' | 'network' | 'malformed_response' | 'blocked' | 'invalid_output' | 'client' | 'budget_exceeded' | 'budget_unavailable';

/** A failed Gemini call, described for the ledger. */
export interface FailureFacts {
  /** error_message, e.g. `429 Too Many Requests: Resource has been exhausted (e.g. check quota).` */
  message: string;
  kind: FailureKind;
  httpStatus?: number;
  /** The server's RetryInfo delay, when it sent one. */
  retryDelayMs?: number;
}

interface GoogleErrorBody {
  error?: { message?: string; details?: unknown[] };
}

const SDK_PREFIX = '[GoogleGenerativeAI Error]: ';

function parseJsonObject(text: string): GoogleErrorBody | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  try {
    return JSON.parse(text.slice(start)) as GoogleErrorBody;
  } catch {
    return undefined; // not the JSON envelope of @google/genai: the message is used as it is
  }
}

/** "1s", "0.5s", "30.250s": a protobuf Duration in JSON. */
function durationMs(value: unknown): number | undefined {
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(value) : null;
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

function retryDelayFrom(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  const info = details.find((d) => typeof d?.['@type'] === 'string' && d['@type'].endsWith('google.rpc.RetryInfo'));
  return durationMs(info?.retryDelay);
}

/** The server's own message and details, from either SDK's error. */
function serverError(error: { message: string; errorDetails?: unknown }): { message: string; details?: unknown } {
  if ('errorDetails' in error || error.message.startsWith(SDK_PREFIX)) {
    // @google/generative-ai: "...: [429 Too Many Requests] <message> <details as JSON>"
    let message = /\[\d{3}[^\]]*\] ([\s\S]*)$/.exec(error.message)?.[1] ?? error.message;
    if (error.errorDetails) message = message.replace(` ${JSON.stringify(error.errorDetails)}`, '');
    return { message, details: error.errorDetails };
  }
  // @google/genai: the error body as JSON, possibly after "got status: ...".
  const body = parseJsonObject(error.message);
  return body?.error?.message ? { message: body.error.message, details: body.error.details } : { message: error.message };
}

/** By shape, not instanceof: fetch errors come from Node's own realm, which differs under vm-based test runners. */
function isError(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as Error).message === 'string' && typeof (value as Error).name === 'string';
}

function plainMessage(error: unknown): string {
  if (!isError(error)) return String(error);
  const message = error.message.startsWith(SDK_PREFIX) ? error.message.slice(SDK_PREFIX.length) : error.message;
  const cause = isError(error.cause) ? error.cause.message : undefined;
  return cause && !message.includes(cause) ? `${message} (${cause})` : message;
}

/** @google/genai rewraps an abort it does not recognise as an Error as "exception AbortError: ...". */
function isAbort(error: unknown): boolean {
  if (!isError(error)) return false;
  return ['AbortError', 'TimeoutError'].includes(error.name) || error.constructor.name === 'GoogleGenerativeAIAbortError' || /^exception AbortError\b/.test(error.message);
}

function isMalformed(error: unknown, message: string): boolean {
  return (isError(error) && error.name === 'SyntaxError') || /Error parsing JSON response|Failed to parse stream|exception parsing stream chunk|Incomplete JSON segment/.test(message);
}

function isNetwork(message: string): boolean {
  return /fetch failed|terminated|Error reading from the stream|Error fetching from|ECONNRESET|ECONNREFUSED|socket hang up|other side closed/.test(message);
}

/**
 * Describes an error thrown by either SDK. `callerSignal` is the caller's own AbortSignal: an abort
 * it caused is `aborted` (or `timeout` for AbortSignal.timeout), any other abort is the SDK's timeout.
 */
export function describeFailure(error: unknown, callerSignal?: AbortSignal): FailureFacts {
  const status = (error as { status?: unknown })?.status;
  if (isError(error) && typeof status === 'number' && status >= 400) {
    const server = serverError(error as Error & { errorDetails?: unknown });
    return {
      message: `${status} ${STATUS_CODES[status] ?? 'Error'}: ${server.message}`,
      kind: 'http',
      httpStatus: status,
      retryDelayMs: retryDelayFrom(server.details),
    };
  }
  const message = plainMessage(error);
  if (isAbort(error)) {
    const byCaller = callerSignal?.aborted && (callerSignal.reason as Error | undefined)?.name !== 'TimeoutError';
    return byCaller ? { message: `aborted: ${message}`, kind: 'aborted' } : { message: `timeout: ${message}`, kind: 'timeout' };
  }
  if (isMalformed(error, message)) return { message: `malformed response: ${message}`, kind: 'malformed_response' };
  if (isNetwork(message)) return { message: `network error: ${message}`, kind: 'network' };
  return { message, kind: 'client' };
}
