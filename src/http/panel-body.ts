import express, { type NextFunction, type Request, type Response } from 'express';
import { HttpError } from './errors.js';
import { parseMultipart, type UploadedFile } from './multipart.js';

/** What an action that takes a file declares in its `custom` options (the import action does). */
export interface UploadOption {
  upload?: { maxFileBytes: number };
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The panel's form fields (AdminJS reads them as the action's payload). */
    fields?: Record<string, unknown>;
    /** Uploaded files, only on actions that take them; deleted when the request ends. */
    files?: Record<string, UploadedFile>;
  }
}

const BODY_LIMIT_BYTES = 2 * 1024 * 1024;
const MAX_PARTS = 1_000;
const json = express.json({ limit: BODY_LIMIT_BYTES });
const urlencoded = express.urlencoded({ extended: false, limit: BODY_LIMIT_BYTES });

/** The first text value holding a NUL character, as a dotted field path; PostgreSQL text cannot store one. */
export function fieldWithNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(body)' : undefined;
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = fieldWithNul(item, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return undefined;
}

/** Refuses a body whose text carries a NUL character, naming the field. */
export function refuseNulCharacters(body: unknown): void {
  const field = fieldWithNul(body);
  if (field) throw new HttpError(400, `${field} contains a NUL character (\\u0000), which cannot be stored`);
}

function runParser(parser: express.RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => parser(req, res, (error?: unknown) => (error ? reject(error) : resolve())));
}

/**
 * Reads the body of the panel's state-changing requests, after login and the role check (so an
 * anonymous or unauthorised request never has its body read): JSON, urlencoded or multipart text
 * fields into req.fields; a file only for an action declaring `custom.upload`, up to its size, else 400/413.
 */
export function panelBody(uploadDir: string) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    try {
      // ActionDecorator keeps the action's options in a field its typings call private.
      const action = res.locals.panelAction as { action?: { custom?: UploadOption } } | undefined;
      const maxFileBytes = action?.action?.custom?.upload?.maxFileBytes;
      const declared = Number(req.get('content-length') ?? 0);
      if (declared > (maxFileBytes ?? 0) + BODY_LIMIT_BYTES) throw new HttpError(413, maxFileBytes ? `the file is larger than the ${maxFileBytes} bytes this import accepts` : 'the request body is too large');
      if (req.is('multipart/form-data')) {
        const { fields, files } = await parseMultipart(req, res, { maxFileBytes, uploadDir, maxFieldBytes: BODY_LIMIT_BYTES, maxParts: MAX_PARTS });
        req.fields = fields;
        req.files = files;
      } else {
        if (req.is('application/json')) await runParser(json, req, res);
        else if (req.is('application/x-www-form-urlencoded')) await runParser(urlencoded, req, res);
        req.fields = (req.body as Record<string, unknown> | undefined) ?? {};
      }
      refuseNulCharacters(req.fields);
      next();
    } catch (error) {
      if (!req.complete) res.set('connection', 'close');
      next(error);
    }
  };
}
