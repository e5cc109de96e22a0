import { open } from 'node:fs/promises';
import { ImportFileError } from './parsed-file.js';

/** How much an XLSX may unpack to: a small zip can hold gigabytes of repeated text (a zip bomb). */
export const XLSX_LIMITS = {
  /** All parts of the workbook together, uncompressed. */
  maxUncompressedBytes: 200 * 1024 * 1024,
  /** One cell's text: Excel's own limit. */
  maxCellChars: 32_767,
};

const EOCD_SIGNATURE = 0x06054b50;
const ENTRY_SIGNATURE = 0x02014b50;
const ZIP64_MARK = 0xffffffff;

/**
 * Reads the zip's central directory (the declared size of every part) and refuses the file
 * before anything is inflated when the parts add up to more than the limit, or use ZIP64.
 */
export async function checkXlsxSize(path: string, maxUncompressedBytes = XLSX_LIMITS.maxUncompressedBytes): Promise<void> {
  const file = await open(path);
  try {
    const { size } = await file.stat();
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd === -1) throw new ImportFileError('not a readable XLSX file: no zip directory');
    const entries = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    if (directoryOffset === ZIP64_MARK || directorySize > size) throw new ImportFileError('XLSX files over 4 GB (ZIP64) are not imported');
    const directory = Buffer.alloc(directorySize);
    await file.read(directory, 0, directorySize, directoryOffset);
    let total = 0;
    for (let at = 0, n = 0; n < entries; n++) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== ENTRY_SIGNATURE) throw new ImportFileError('not a readable XLSX file: damaged zip directory');
      const uncompressed = directory.readUInt32LE(at + 24);
      if (uncompressed === ZIP64_MARK) throw new ImportFileError('XLSX files over 4 GB (ZIP64) are not imported');
      total += uncompressed;
      at += 46 + directory.readUInt16LE(at + 28) + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
    }
    if (total > maxUncompressedBytes) {
      throw new ImportFileError(`the XLSX unpacks to ${total} bytes, over the ${maxUncompressedBytes}-byte limit for an import; split it or import CSV`);
    }
  } finally {
    await file.close();
  }
}

/** Refuses a cell longer than Excel itself allows, naming its row and column. */
export function checkCellLength(value: unknown, row: number, column: string, maxCellChars = XLSX_LIMITS.maxCellChars): void {
  if (typeof value === 'string' && value.length > maxCellChars) {
    throw new ImportFileError(`XLSX row ${row}, column ${column}: a cell of ${value.length} characters, over the ${maxCellChars}-character limit`);
  }
}
