/**
 * Parses part of a CSV file: the header line, then the whole lines in bytes [start, end). Two
 * threads each parse one half of a file this way (./csv-split). A chunk that holds a double
 * quote stops the parse (result null): a quoted field may hold a newline, so a split at a line
 * end is only safe in a file with no quotes. Parse errors also give null, so the caller can
 * re-read the file whole and report the error with its true line number.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { CsvParser, type CsvParseOptions, type CsvTable } from '../io/csv-parser';
import { pumpIntoParser } from '../io/csv';

const CHUNK = 4 << 20;
const QUOTE = 0x22;
const LF = 0x0a;

/** Bytes up to and including the first line feed (the header line), or -1 when none / quoted. */
export function headerEnd(fd: number, size: number): number {
  const probe = Buffer.allocUnsafe(Math.min(size, 1 << 16));
  const n = readSync(fd, probe, 0, probe.length, 0);
  const lf = probe.subarray(0, n).indexOf(LF);
  if (lf < 0 || probe.subarray(0, lf).indexOf(QUOTE) >= 0) return -1;
  return lf + 1;
}

/** Data rows expected in `bytes` from the line density of the first 64 KiB after the header. */
function expectedRows(fd: number, from: number, bytes: number): number {
  const probe = Buffer.allocUnsafe(Math.min(bytes, 1 << 16));
  const n = readSync(fd, probe, 0, probe.length, from);
  let lines = 0;
  for (let i = 0; i < n; i++) if (probe[i] === LF) lines++;
  return n === 0 ? 16 : Math.ceil((bytes / n) * lines * 1.02) + 16;
}

/** A quote in the range: the split read cannot be trusted, so the caller reads the file whole. */
class QuotedRange extends Error {}

/** Parses header + [start, end) of the file at `path`; null on a quote or a parse error. */
export function parseCsvRange(path: string, header: number, start: number, end: number, options: CsvParseOptions): CsvTable | null {
  const fd = openSync(path, 'r');
  try {
    const parser = new CsvParser({ expectedRows: expectedRows(fd, start, end - start), ...options });
    const buffer = Buffer.allocUnsafe(Math.max(CHUNK, header + 1));
    // The data range starts after the header when it is the file's first part.
    let pos = Math.max(start, header);
    const filled = readSync(fd, buffer, 0, header, 0);
    if (buffer.subarray(0, filled).indexOf(QUOTE) >= 0) return null;
    return pumpIntoParser(parser, buffer, filled, (target, offset, length) => {
      const n = pos < end ? readSync(fd, target, offset, Math.min(length, end - pos), pos) : 0;
      if (target.subarray(offset, offset + n).indexOf(QUOTE) >= 0) throw new QuotedRange();
      pos += n;
      return n;
    });
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
