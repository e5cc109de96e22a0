import type { NextFunction, Request, Response } from 'express';

/** An error whose message is safe and useful to show the API caller, with its HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** JSON errors for /api: HttpError as given, malformed JSON as 400, anything else as a logged 500. */
export function jsonErrorHandler(log: (message: string, error: unknown) => void) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof HttpError) {
      res.status(error.status).json({ error: error.message, ...(error.details ? { details: error.details } : {}) });
      return;
    }
    const { status, type } = error as { status?: number; type?: string };
    if (type === 'entity.parse.failed') {
      res.status(400).json({ error: 'the request body is not valid JSON' });
      return;
    }
    if (type === 'entity.too.large') {
      res.status(413).json({ error: 'the request body is too large' });
      return;
    }
    if (status && status >= 400 && status < 500) {
      res.status(status).json({ error: (error as Error).message });
      return;
    }
    log(`[HTTP_ERROR] ${req.method} ${req.originalUrl}`, error);
    res.status(500).json({ error: 'internal error' });
  };
}
