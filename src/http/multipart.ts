import busboy from 'busboy';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { HttpError } from './errors.js';

/** An uploaded file as the panel's actions receive it (the shape express-formidable gave): deleted when the request ends. */
export interface UploadedFile {
  path: string;
  name: string;
  size: number;
  type: string;
}

export interface MultipartLimits {
  /** Files accepted on this route: their largest size in bytes; absent: a file part is refused (400). */
  maxFileBytes?: number;
  /** Where files are written while the request runs. */
  uploadDir: string;
  /** Largest text field, in bytes. */
  maxFieldBytes: number;
  /** Most fields (and files) in one body. */
  maxParts: number;
}

const tooLarge = (what: string) => new HttpError(413, what);

/**
 * Reads a multipart/form-data body: text fields into `fields`, file parts (only where
 * `maxFileBytes` allows them, at most one) into the upload directory. Any limit exceeded is a 413,
 * a malformed body a 400; every file written is deleted when the response ends, whatever happened.
 */
export function parseMultipart(req: Request, res: Response, limits: MultipartLimits): Promise<{ fields: Record<string, string>; files: Record<string, UploadedFile> }> {
  const written: string[] = [];
  const writes: Promise<void>[] = [];
  // After every write has settled: a file still being opened would otherwise appear after its unlink.
  res.once('close', () => {
    void Promise.allSettled(writes).then(() => Promise.allSettled(written.map((file) => unlink(file))));
  });
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fieldSize: limits.maxFieldBytes, fields: limits.maxParts, parts: limits.maxParts, files: limits.maxFileBytes === undefined ? 0 : 1, fileSize: limits.maxFileBytes ?? 0 },
      });
    } catch (error) {
      return reject(new HttpError(400, `malformed multipart body: ${(error as Error).message}`));
    }
    const fields: Record<string, string> = {};
    const files: Record<string, UploadedFile> = {};
    const open: NodeJS.ReadableStream[] = [];
    let failed = false;
    const fail = (error: HttpError) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.resume(); // read and drop the rest, so the answer reaches the client
      for (const stream of open) (stream as unknown as { destroy(): void }).destroy();
      reject(error);
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(tooLarge(`the field ${name} is larger than ${limits.maxFieldBytes} bytes`));
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (limits.maxFileBytes === undefined) {
        stream.resume();
        return fail(new HttpError(400, 'this action takes no files'));
      }
      const target = path.join(limits.uploadDir, `ai-usage-upload-${randomBytes(12).toString('hex')}`);
      written.push(target);
      let size = 0;
      open.push(stream);
      stream.on('data', (chunk: Buffer) => (size += chunk.length));
      stream.on('limit', () => fail(tooLarge(`the file is larger than the ${limits.maxFileBytes} bytes this import accepts`)));
      writes.push(
        pipeline(stream, createWriteStream(target)).then(
          () => void (files[name] = { path: target, name: info.filename ?? '', size, type: info.mimeType }),
          (error: Error) => fail(new HttpError(400, `the upload was interrupted: ${error.message}`)),
        ),
      );
    });
    parser.on('filesLimit', () => fail(new HttpError(400, limits.maxFileBytes === undefined ? 'this action takes no files' : 'send one file at a time')));
    parser.on('fieldsLimit', () => fail(tooLarge(`the form has more than ${limits.maxParts} fields`)));
    parser.on('partsLimit', () => fail(tooLarge(`the form has more than ${limits.maxParts} parts`)));
    parser.on('error', (error: Error) => fail(new HttpError(400, `malformed multipart body: ${error.message}`)));
    parser.on('close', () => void Promise.all(writes).then(() => !failed && resolve({ fields, files })));
    req.on('aborted', () => fail(new HttpError(400, 'the upload was interrupted')));
    req.pipe(parser);
  });
}
