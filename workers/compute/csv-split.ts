/**
 * Reads a CSV file on two threads: this thread parses the header and the first ~55% of the
 * bytes, the pool's worker the header and the rest, split at a line end; the two tables are
 * joined into SharedArrayBuffer-backed columns (which later stages share with the worker for
 * free). This thread gets the larger share because the worker starts a little later.
 *
 * The split is only taken when it is certainly equivalent to one pass: an uncompressed file
 * without any double quote (so no quoted newline), both halves parsed without error, the same
 * column types in both halves, no stray non-numeric values in numeric columns (their count and
 * first row are reported over the whole file) and identical level lists for categorical ones.
 * Otherwise the file is read again whole by `readCsvFile`, whose result and messages are the
 * reference.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readCsvFile } from '../io/csv';
import type { CsvColumn, CsvParseOptions, CsvTable } from '../io/csv-parser';
import { headerEnd, parseCsvRange } from './csv-range';
import type { ComputePool } from './pool';
import { sharedFloat64, sharedInt32 } from './shared';
import type { WorkerReply } from './tasks';

const MAIN_SHARE = 0.55;

interface SplitPlan {
  readonly header: number;
  readonly mid: number;
  readonly size: number;
}

/** Header end and a split point just after a line feed, or null when the file must be read whole. */
function planSplit(path: string, minBytes: number): SplitPlan | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    if (size < Math.max(minBytes, 2) || path.endsWith('.gz')) return null;
    const magic = Buffer.alloc(2);
    if (readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b) return null;
    const header = headerEnd(fd, size);
    if (header < 0) return null;
    const probe = Buffer.allocUnsafe(1 << 16);
    for (let at = header + Math.floor((size - header) * MAIN_SHARE); at < size; at += probe.length) {
      const n = readSync(fd, probe, 0, probe.length, at);
      const lf = probe.subarray(0, n).indexOf(0x0a);
      if (lf >= 0) return at + lf + 1 < size ? { header, mid: at + lf + 1, size } : null;
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

function joinColumn(a: CsvColumn, b: CsvColumn): CsvColumn | null {
  if (a.name !== b.name) return null;
  if (a.kind === 'numeric' && b.kind === 'numeric') {
    if (a.nonNumeric > 0 || b.nonNumeric > 0) return null;
    const values = sharedFloat64(a.values.length + b.values.length);
    values.set(a.values);
    values.set(b.values, a.values.length);
    return { kind: 'numeric', name: a.name, values, missing: a.missing + b.missing, nonNumeric: 0, firstNonNumeric: null };
  }
  if (a.kind === 'categorical' && b.kind === 'categorical') {
    if (a.levels.length !== b.levels.length || a.levels.some((level, k) => level !== b.levels[k])) return null;
    const codes = sharedInt32(a.codes.length + b.codes.length);
    codes.set(a.codes);
    codes.set(b.codes, a.codes.length);
    return { kind: 'categorical', name: a.name, codes, levels: a.levels, missing: a.missing + b.missing };
  }
  return null;
}

/** The two halves as one table, or null when they cannot be joined exactly. */
export function joinTables(a: CsvTable, b: CsvTable): CsvTable | null {
  if (a.delimiter !== b.delimiter || a.header.length !== b.header.length || a.header.some((h, j) => h !== b.header[j])) return null;
  if (a.columns.length !== b.columns.length) return null;
  const columns: CsvColumn[] = [];
  for (let j = 0; j < a.columns.length; j++) {
    const c = joinColumn(a.columns[j]!, b.columns[j]!);
    if (c === null) return null;
    columns.push(c);
  }
  const rows = a.rows + b.rows;
  return { header: a.header, columns, rows, rowCount: rows, delimiter: a.delimiter };
}

export interface SplitReadOptions {
  /** Files smaller than this are read on one thread (default 32 MB). */
  readonly minBytes?: number;
}

/** Same table as `readCsvFile(path, options)`, read on two threads when that is safe. */
export async function readCsvSplit(pool: ComputePool, path: string, options: CsvParseOptions = {}, split: SplitReadOptions = {}): Promise<CsvTable> {
  const plan = pool.busy ? null : planSplit(path, split.minBytes ?? 32e6);
  if (plan === null) return readCsvFile(path, options);
  pool.submit({ type: 'csv-range', path, headerEnd: plan.header, start: plan.mid, end: plan.size, options });
  const first = parseCsvRange(path, plan.header, 0, plan.mid, options);
  const second = pool.receive<Extract<WorkerReply, { type: 'csv-range' }>>().table;
  const joined = first !== null && second !== null ? joinTables(first, second) : null;
  return joined ?? readCsvFile(path, options);
}
