import { createRequire } from 'node:module';

type Next = (error?: unknown) => void;
type Handler = (...args: unknown[]) => unknown;
interface LayerPrototype {
  handle: Handler;
  handle_request(req: unknown, res: unknown, next: Next): void;
  handle_error(error: unknown, req: unknown, res: unknown, next: Next): void;
}

const require = createRequire(import.meta.url);
let installed = false;

/** Hands a rejected promise returned by a handler to `next`, as a thrown error already is. */
function forwardRejection(result: unknown, next: Next): void {
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    (result as Promise<unknown>).then(undefined, (error: unknown) => next(error ?? new Error('a request handler rejected without a reason')));
  }
}

/**
 * Express 4 ignores the promise an async handler returns: a rejection escapes the error
 * handlers and, unhandled, ends the process (AdminJS's routes are such handlers). This teaches
 * every Router layer, in every router of the process (AdminJS's included), to pass a rejection
 * to `next`, as Express 5 does. Idempotent.
 */
export function routeAsyncErrorsToNext(): void {
  if (installed) return;
  installed = true;
  // Express 4 exports no hook for this; its Layer is the one place every handler is called from.
  const Layer = require('express/lib/router/layer.js') as { prototype: LayerPrototype };
  Layer.prototype.handle_request = function handleRequest(req, res, next) {
    const fn = this.handle;
    if (fn.length > 3) return next();
    try {
      forwardRejection(fn(req, res, next), next);
    } catch (error) {
      next(error);
    }
  };
  Layer.prototype.handle_error = function handleError(error, req, res, next) {
    const fn = this.handle;
    if (fn.length !== 4) return next(error);
    try {
      forwardRejection(fn(error, req, res, next), next);
    } catch (thrown) {
      next(thrown);
    }
  };
}
