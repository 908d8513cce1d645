import { AppError } from '../../errors/app-error';
import { CsvTokenizer } from './csv-tokenizer';
import { DEFAULT_SAMPLE_BYTES, decoderFor, detectFormat, emptyFile, type Delimiter, type DetectedFormat, type TextEncodingName } from './detect-format';

/**
 * Streaming CSV reading: bytes in (a Node Readable or any async iterable of Buffers), records
 * out, one at a time, never holding more than one record plus one chunk.
 *
 * - `readCsvRecords` decodes and tokenizes: every record, header included, as `{ line, fields }`.
 * - `openCsvTable` is what ingestion uses: it sniffs the format from the first 64 KB (unless
 *   given), checks the header, and yields data rows, checking each row's width. Recoverable
 *   problems (ragged rows, empty or duplicate column names) go to `onProblem` when one is given
 *   and reading goes on, so a validation report can list them all; without it the first problem
 *   throws. Problems that end reading (unclosed quote, oversized record, bad encoding, empty file,
 *   no data rows) always throw `AppError('BAD_REQUEST')`.
 */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface CsvRecord {
  /** 1-based physical line the record starts on. */
  line: number;
  fields: string[];
}

export interface CsvRow extends CsvRecord {
  /** 1-based data row number (the header is not counted). */
  row: number;
}

export type CsvProblemCode = 'ragged-row' | 'empty-header' | 'duplicate-header';

export interface CsvProblem {
  code: CsvProblemCode;
  message: string;
  row?: number;
  line?: number;
  /** 1-based column number, for header problems. */
  column?: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

export interface ReadCsvRecordsOptions {
  delimiter: Delimiter;
  encoding: TextEncodingName;
  /** Longest record accepted (characters); default 1 MB. */
  maxRecordBytes?: number;
}

/** Decodes and tokenizes a byte stream. A BOM is dropped; UTF-8 must be valid throughout. */
export async function* readCsvRecords(source: ByteSource, options: ReadCsvRecordsOptions): AsyncGenerator<CsvRecord, void, undefined> {
  for await (const batch of readCsvRecordBatches(source, options)) yield* batch;
}

/**
 * The same records in arrays, one per input chunk: a consumer doing little per record (the
 * profiler) saves an async-generator hop per record. Each array holds at most one chunk's records.
 */
export async function* readCsvRecordBatches(source: ByteSource, options: ReadCsvRecordsOptions): AsyncGenerator<CsvRecord[], void, undefined> {
  const decoder = decoderFor(options.encoding, true);
  let batch: CsvRecord[] = [];
  const tokenizer = new CsvTokenizer(
    { delimiter: options.delimiter, maxRecordChars: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES },
    (fields, line) => batch.push({ line, fields }),
  );
  const decode = (chunk: Uint8Array | undefined): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new AppError(
        'BAD_REQUEST',
        `The file is not valid UTF-8 after line ${tokenizer.line}: it mixes text encodings. Export it again as UTF-8 (or all of it as Latin-1).`,
        { line: tokenizer.line },
      );
    }
  };
  for await (const chunk of source) {
    tokenizer.push(decode(chunk));
    if (batch.length > 0) {
      const out = batch;
      batch = [];
      yield out;
    }
  }
  tokenizer.push(decode(undefined));
  tokenizer.end();
  if (batch.length > 0) yield batch;
}

export interface OpenCsvTableOptions {
  /** Skip detection for what the caller already knows (e.g. the user chose the delimiter). */
  format?: Partial<Pick<DetectedFormat, 'encoding' | 'delimiter'>>;
  maxRecordBytes?: number;
  sampleBytes?: number;
  /** Collect recoverable problems instead of failing on the first. */
  onProblem?: (problem: CsvProblem) => void;
}

export interface CsvTableStats {
  /** Data records read so far, ragged ones included. */
  rows: number;
  /** Rows skipped because their width differs from the header's. */
  skippedRows: number;
  problems: number;
}

export interface CsvTable {
  format: DetectedFormat;
  /** Column names, trimmed; in collecting mode empty names become `column_N` and repeats get `_2`, `_3`. */
  header: string[];
  /** Data rows of the header's width; ends by throwing when the file has none. */
  rows: AsyncGenerator<CsvRow, void, undefined>;
  /** The same rows in arrays (one per input chunk). Iterate either `rows` or `batches`, not both. */
  batches: AsyncGenerator<CsvRow[], void, undefined>;
  stats: CsvTableStats;
}

/**
 * Opens a CSV/TSV byte stream as a table. The header row is required (SIS exports have one); a
 * file whose first row looks like data is still read with that row as header, and
 * `format.hasHeader` tells the caller to warn.
 */
export async function openCsvTable(source: ByteSource, options: OpenCsvTableOptions = {}): Promise<CsvTable> {
  const iterator = toAsyncIterator(source);
  const head: Uint8Array[] = [];
  let sampled = 0;
  let done = false;
  const sampleBytes = options.sampleBytes ?? DEFAULT_SAMPLE_BYTES;
  let format: DetectedFormat;
  try {
    while (sampled < sampleBytes) {
      const r = await iterator.next();
      if (r.done) {
        done = true;
        break;
      }
      head.push(r.value);
      sampled += r.value.length;
    }
    const sample = concat(head, sampleBytes);
    if (sample.length === 0) throw emptyFile();
    const detected = detectFormat(sample, { truncated: !done || sampled > sampleBytes });
    format = { ...detected, ...options.format };
  } catch (error) {
    await iterator.return?.();
    throw error;
  }

  const records = readCsvRecordBatches(replay(head, iterator), {
    delimiter: format.delimiter,
    encoding: format.encoding,
    maxRecordBytes: options.maxRecordBytes,
  });
  const firstBatch = await records.next().catch(async (error: unknown) => {
    await records.return();
    throw error;
  });
  const first = firstBatch.done ? undefined : firstBatch.value[0];
  if (!first) throw emptyFile();

  const stats: CsvTableStats = { rows: 0, skippedRows: 0, problems: 0 };
  const report = (problem: CsvProblem): void => {
    stats.problems++;
    if (!options.onProblem) throw new AppError('BAD_REQUEST', problem.message, { ...problem });
    options.onProblem(problem);
  };
  let header: string[];
  try {
    header = checkHeader(first.fields, report);
  } catch (error) {
    await records.return();
    throw error;
  }
  const width = header.length;

  const toRows = (records: readonly CsvRecord[], from: number): CsvRow[] => {
    const out: CsvRow[] = [];
    for (let i = from; i < records.length; i++) {
      const record = records[i]!;
      const row = ++stats.rows;
      if (record.fields.length !== width) {
        stats.skippedRows++;
        report({
          code: 'ragged-row',
          message: `Row ${row} (line ${record.line}) has ${record.fields.length} ${record.fields.length === 1 ? 'field' : 'fields'}; the header has ${width}.`,
          row,
          line: record.line,
        });
        continue;
      }
      out.push({ row, line: record.line, fields: record.fields });
    }
    return out;
  };

  async function* batches(): AsyncGenerator<CsvRow[], void, undefined> {
    try {
      const head = toRows(firstBatch.value as CsvRecord[], 1);
      if (head.length > 0) yield head;
      for await (const records_ of records) {
        const out = toRows(records_, 0);
        if (out.length > 0) yield out;
      }
    } finally {
      await records.return();
    }
    if (stats.rows === 0) throw new AppError('BAD_REQUEST', 'The file has a header row but no data rows. Export it again with the data included.');
  }
  const batchGenerator = batches();

  async function* rows(): AsyncGenerator<CsvRow, void, undefined> {
    for await (const batch of batchGenerator) yield* batch;
  }

  return { format, header, rows: rows(), batches: batchGenerator, stats };
}

/** Trims names; reports empty and repeated (case-insensitive) names; makes them usable in collecting mode. */
export function checkHeader(names: readonly string[], report: (problem: CsvProblem) => void): string[] {
  const out: string[] = [];
  const firstSeen = new Map<string, number>();
  names.forEach((raw, i) => {
    let name = raw.trim();
    const column = i + 1;
    if (name === '') {
      report({ code: 'empty-header', message: `Column ${column} has no name in the header row. Give every column a name.`, line: 1, column });
      name = `column_${column}`;
    }
    const key = name.toLowerCase();
    const earlier = firstSeen.get(key);
    if (earlier !== undefined) {
      report({
        code: 'duplicate-header',
        message: `The header names “${name}” twice (columns ${earlier} and ${column}). Give every column a unique name.`,
        line: 1,
        column,
      });
      let k = 2;
      while (firstSeen.has(`${key}_${k}`)) k++;
      name = `${name}_${k}`;
    }
    firstSeen.set(name.toLowerCase(), column);
    out.push(name);
  });
  return out;
}

function toAsyncIterator(source: ByteSource): AsyncIterator<Uint8Array> {
  if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
  const it = source[Symbol.iterator]();
  return {
    next: async () => it.next(),
    return: async () => it.return?.() ?? { done: true, value: undefined },
  };
}

async function* replay(head: Uint8Array[], iterator: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  try {
    for (const chunk of head) yield chunk;
    head.length = 0;
    for (;;) {
      const r = await iterator.next();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    await iterator.return?.();
  }
}

function concat(chunks: readonly Uint8Array[], limit: number): Uint8Array {
  const total = Math.min(limit, chunks.reduce((s, c) => s + c.length, 0));
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    if (at >= total) break;
    const take = Math.min(c.length, total - at);
    out.set(c.subarray(0, take), at);
    at += take;
  }
  return out;
}

