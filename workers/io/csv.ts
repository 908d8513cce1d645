/**
 * Reads a CSV (or gzip-compressed .csv.gz) file into typed columns, streaming the bytes in
 * chunks through `CsvParser`: the file is never held as one string. See csv-parser.ts for the
 * dialect and the column typing rules.
 */
import { closeSync, fstatSync, openSync, readSync, createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { CausalInputError } from '../causal/errors';
import { CsvParser, type CsvParseOptions, type CsvTable } from './csv-parser';

export { CsvParser, parseCsv } from './csv-parser';
export type { CsvColumn, CsvNumericColumn, CsvCategoricalColumn, CsvTable, CsvParseOptions } from './csv-parser';

const CHUNK = 4 << 20;

function isGzip(path: string, fd: number): boolean {
  if (path.endsWith('.gz')) return true;
  const magic = Buffer.alloc(2);
  const n = readSync(fd, magic, 0, 2, 0);
  return n === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
}

/** Reads the file at `path`; throws CausalInputError when it cannot be opened or parsed. */
export async function readCsvFile(path: string, options: CsvParseOptions = {}): Promise<CsvTable> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : String(code);
    throw new CausalInputError(`Cannot read the data file "${path}": ${why}.`, { path, code });
  }
  try {
    const size = fstatSync(fd).size;
    if (isGzip(path, fd)) {
      closeSync(fd);
      fd = -1;
      return await readGzip(path, { expectedRows: Math.max(1024, Math.round((size * 4) / 200)), ...options });
    }
    // ~200 bytes per row is a guess from the first chunk's density, refined below.
    const parser = new CsvParser({ expectedRows: estimateRows(fd, size), ...options });
    // One sliding buffer: the unconsumed tail (a partial record) moves to the front and the
    // next read fills the rest, so no chunk is ever copied whole.
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size, 16)));
    const file = fd;
    return pumpIntoParser(parser, buffer, 0, (target, offset, length) => readSync(file, target, offset, length, null));
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** Row-count estimate from the density of line ends in the first 64 KiB (avoids regrowth). */
function estimateRows(fd: number, size: number): number {
  const probe = Buffer.allocUnsafe(Math.min(size, 1 << 16));
  const n = readSync(fd, probe, 0, probe.length, 0);
  let lines = 0;
  for (let i = 0; i < n; i++) if (probe[i] === 0x0a) lines++;
  if (lines < 2 || n === size) return Math.max(16, lines + 1);
  return Math.ceil((size / n) * lines * 1.02) + 16;
}

async function readGzip(path: string, options: CsvParseOptions): Promise<CsvTable> {
  const parser = new CsvParser(options);
  const stream = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(createGunzip({ chunkSize: 1 << 20 }));
  try {
    for await (const chunk of stream) parser.push(chunk as Buffer);
  } catch (err) {
    if (err instanceof CausalInputError) throw err;
    throw new CausalInputError(`Cannot decompress "${path}": ${(err as Error).message}.`, { path });
  }
  return parser.finish();
}

/**
 * Feeds `parser` through one sliding buffer: the unconsumed tail (a partial record) moves to the
 * front and `read` fills the rest (returning 0 at the end); the buffer doubles when one record
 * does not fit. `filled` bytes already in `buffer` are parsed first.
 */
export function pumpIntoParser(parser: CsvParser, buffer: Buffer, filled: number, read: (target: Buffer, offset: number, length: number) => number): CsvTable {
  for (;;) {
    if (filled === buffer.length) {
      const bigger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(bigger, 0, 0, filled);
      buffer = bigger;
    }
    const n = read(buffer, filled, buffer.length - filled);
    const total = filled + n;
    const consumed = parser.consume(buffer.subarray(0, total), n === 0);
    if (n === 0) break;
    buffer.copyWithin(0, consumed, total);
    filled = total - consumed;
  }
  return parser.finish();
}
