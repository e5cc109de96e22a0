import type { NextFunction, Request, Response } from 'express';
import { BudgetExceededError, BudgetUnavailableError } from '../core/errors.js';
import { usdToPico } from '../core/prices/money.js';

/** An error whose message is safe and useful to show the caller, with its HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
    /** The whole JSON body to answer with, instead of `{ error: message, details }`. */
    readonly body?: object,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * When a refused call may be tried again, in whole seconds: soon (1 s) when only the holds of calls
 * in flight are in its way, since they settle at their real cost; otherwise when the budget's period
 * resets. Undefined when waiting cannot help: an unpriced model on a USD budget.
 */
export function retryAfterSeconds(error: BudgetExceededError, now = Date.now()): number | undefined {
  const r = error.refusal;
  if (r.reason === 'unpriced') return undefined;
  const usdFits = r.limitUsd === null || (r.holdUsd !== null && usdToPico(r.usedUsd) + usdToPico(r.holdUsd) <= usdToPico(r.limitUsd));
  const tokensFit = r.limitTokens === null || BigInt(r.usedTokens) + BigInt(r.holdTokens) <= BigInt(r.limitTokens);
  if (usdFits && tokensFit) return 1;
  return Math.max(1, Math.ceil((r.resetsAt.getTime() - now) / 1000));
}

/**
 * A call refused by a budget: 429 `{ error: { code: 'budget_exceeded', message, budget, limit, used,
 * reserved, resets_at } }` with `Retry-After` (retryAfterSeconds); a call whose budgets could not be
 * checked (fail-closed): 503 `{ error: { code: 'budget_unavailable', message } }`. `extra` joins the error object.
 */
export function budgetHttpError(error: BudgetExceededError | BudgetUnavailableError, extra: Record<string, unknown> = {}): HttpError {
  if (error instanceof BudgetUnavailableError) {
    return new HttpError(503, error.message, undefined, { error: { code: 'budget_unavailable', message: error.message, ...extra } });
  }
  const body = {
    code: 'budget_exceeded',
    message: error.message,
    budget: error.budget,
    reason: error.refusal.reason,
    limit: error.limit,
    used: error.used,
    reserved: error.reserved,
    resets_at: error.resetsAt.toISOString(),
    ...extra,
  };
  const retryAfter = retryAfterSeconds(error);
  return new HttpError(429, error.message, undefined, { error: body }, retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) });
}

type Log = (message: string, error: unknown) => void;

/** What the caller is told about an error: HttpError as given, body-parser's 4xx as such, anything else an internal 500. */
function answerFor(error: unknown): { status: number; message: string; details?: unknown; body?: object; headers?: Record<string, string> } {
  if (error instanceof BudgetExceededError || error instanceof BudgetUnavailableError) return answerFor(budgetHttpError(error));
  if (error instanceof HttpError) return { status: error.status, message: error.message, details: error.details, body: error.body, headers: error.headers };
  const { status, type } = error as { status?: number; type?: string };
  if (type === 'entity.parse.failed') return { status: 400, message: 'the request body is not valid JSON' };
  if (type === 'entity.too.large') return { status: 413, message: 'the request body is too large' };
  if (status && status >= 400 && status < 500) return { status, message: (error as Error).message };
  return { status: 500, message: 'internal error' };
}

/**
 * Answers an error; an internal one (500) is logged with its stack and shown without it. When
 * the answer has already started (a stream failed midway) the connection is cut, so the client
 * sees a truncated response rather than a complete-looking one.
 */
function handleError(log: Log, send: (req: Request, res: Response, answer: ReturnType<typeof answerFor>) => void) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const answer = answerFor(error);
    if (answer.status >= 500 || res.headersSent) log(`[HTTP_ERROR] ${req.method} ${req.originalUrl}`, error);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    send(req, res, answer);
  };
}

function sendJson(_req: Request, res: Response, { status, message, details, body, headers }: ReturnType<typeof answerFor>): void {
  res.status(status).set(headers ?? {}).json(body ?? { error: message, ...(details ? { details } : {}) });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function sendPage(req: Request, res: Response, answer: ReturnType<typeof answerFor>): void {
  if (req.path.startsWith('/api/') || !req.accepts('html')) return sendJson(req, res, answer);
  const back = escapeHtml(req.baseUrl || '/');
  res
    .status(answer.status)
    .set(answer.headers ?? {})
    .type('html')
    .send(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Error ${answer.status}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem"><h1>Error ${answer.status}</h1><p>${escapeHtml(answer.message)}</p><p><a href="${back}">Back to the panel</a></p></body></html>`);
}

/** JSON errors for /api: HttpError as given, malformed JSON as 400, anything else as a logged 500 without a stack. */
export function jsonErrorHandler(log: Log) {
  return handleError(log, sendJson);
}

/** The panel's errors: JSON for its API calls (and clients that do not take HTML), a small page otherwise; never a stack. */
export function panelErrorHandler(log: Log) {
  return handleError(log, sendPage);
}
