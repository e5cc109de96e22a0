import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { describeFailure } from './gemini/failure.js';
import { budgetHttpError, HttpError } from './http/errors.js';
import { BudgetExceededError, BudgetUnavailableError } from './core/errors.js';

/** Helpers for plugin JSON routes: the authenticated user, input checks, and error answers. */
export { apiUserOf, type ApiUser } from './http/api-auth.js';
export { HttpError } from './http/errors.js';

/** Wraps an async route so a rejection reaches the JSON error handler. */
export function route(handler: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next);
  };
}

interface StringRule {
  /** Longest accepted value, in characters. */
  max: number;
  /** When false, an absent or empty value gives null. Default true. */
  required?: boolean;
}

/** A trimmed string field of a JSON body; a wrong type or length is a 400 that names the field. */
export function stringField(body: unknown, field: string, rule: StringRule): string | null {
  const value = (body as Record<string, unknown> | undefined)?.[field];
  if (value === undefined || value === null || value === '') {
    if (rule.required ?? true) throw new HttpError(400, `${field} is required`);
    return null;
  }
  if (typeof value !== 'string') throw new HttpError(400, `${field} must be a string`);
  const trimmed = value.trim();
  if ((rule.required ?? true) && !trimmed) throw new HttpError(400, `${field} must not be blank`);
  if (trimmed.length > rule.max) throw new HttpError(400, `${field} must be at most ${rule.max} characters`);
  return trimmed || null;
}

/**
 * The HTTP answer to a failed Gemini call (already recorded in the ledger by the instrumentation):
 * 429 stays 429 so clients back off, a timeout is 504, anything else from the provider is 502. A call
 * a budget refused (never sent) is 429 with code budget_exceeded (503 budget_unavailable when its
 * budgets could not be checked).
 */
export function aiFailure(error: unknown): HttpError {
  if (error instanceof BudgetExceededError || error instanceof BudgetUnavailableError) return budgetHttpError(error);
  const failure = describeFailure(error);
  const status = failure.httpStatus === 429 ? 429 : failure.kind === 'timeout' ? 504 : 502;
  return new HttpError(status, `the AI request failed: ${failure.message}`, { kind: failure.kind, ...(failure.httpStatus ? { provider_status: failure.httpStatus } : {}) });
}
