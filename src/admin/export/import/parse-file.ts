import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseCsvFile } from './parse-csv.js';
import { parseJsonArrayFile, parseNdjsonFile } from './parse-json.js';
import { parseXlsxFile } from './parse-xlsx.js';
import type { ParsedFile } from './parsed-file.js';

type Parser = (path: string, maxRows: number) => Promise<ParsedFile>;

const BY_EXTENSION: Record<string, Parser> = {
  '.csv': parseCsvFile,
  '.json': parseJsonArrayFile,
  '.ndjson': parseNdjsonFile,
  '.jsonl': parseNdjsonFile,
  '.xlsx': parseXlsxFile,
};

/** Without a known extension the first bytes decide: a zip is XLSX, `[` a JSON array, `{` NDJSON, anything else CSV. */
async function sniff(path: string): Promise<Parser> {
  const file = await open(path);
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(64), 0, 64, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head[0] === 0x50 && head[1] === 0x4b) return parseXlsxFile;
    const first = head.toString('utf8').replace(/^\uFEFF/, '').trimStart()[0];
    if (first === '[') return parseJsonArrayFile;
    if (first === '{') return parseNdjsonFile;
    return parseCsvFile;
  } finally {
    await file.close();
  }
}

/** Reads an uploaded CSV, JSON (array), NDJSON or XLSX file into rows; a malformed file throws ImportFileError. */
export async function parseImportFile(path: string, fileName: string, maxRows: number): Promise<ParsedFile> {
  const parser = BY_EXTENSION[extname(fileName).toLowerCase()] ?? (await sniff(path));
  return parser(path, maxRows);
}
