import { AppError } from '../../errors/app-error';
import { CsvTokenizer } from './csv-tokenizer';

/**
 * Works out how a CSV/TSV export is written from its first bytes (64 KB is plenty): text
 * encoding, delimiter and whether the first row is a header. Pure: the caller reads the sample.
 *
 * Encoding: a UTF-8 byte-order mark → 'utf-8-bom'; bytes that decode as strict UTF-8 → 'utf-8';
 * anything else → 'latin-1'. 'latin-1' files are decoded as Windows-1252, the superset of
 * ISO-8859-1 that Windows exports actually use (the WHATWG Encoding Standard maps the label
 * "latin1" to it too); it differs only in 0x80–0x9F, which ISO-8859-1 leaves as control codes.
 * Binary: NUL bytes, a known binary signature (ZIP/XLSX, XLS, PDF, gzip, UTF-16) or more than
 * 2% control characters is rejected with a message asking for a CSV or TSV export.
 */
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'latin-1';
export type Delimiter = ',' | ';' | '\t' | '|';
export const DELIMITERS: readonly Delimiter[] = [',', '\t', ';', '|'];

export interface DetectedFormat {
  encoding: TextEncodingName;
  delimiter: Delimiter;
  /** True when the first record looks like column names rather than data. */
  hasHeader: boolean;
  /** Fields of the first record of the sample (header names when `hasHeader`). */
  firstRow: string[];
  /** Share of complete sample records with the modal field count (1 = perfectly regular). */
  consistency: number;
}

export const DEFAULT_SAMPLE_BYTES = 64 * 1024;

const BINARY_HINT = 'not CSV. Export the data as CSV or TSV.';
const binary = (what: string, details: Record<string, unknown> = {}): AppError =>
  new AppError('BAD_REQUEST', `This looks like a binary file (${what}), ${BINARY_HINT}`, details);

const startsWith = (b: Uint8Array, sig: readonly number[]): boolean => sig.every((v, i) => b[i] === v);

/** Throws for binary content; returns the encoding otherwise. */
export function detectEncoding(sample: Uint8Array, options: { truncated?: boolean } = {}): TextEncodingName {
  if (startsWith(sample, [0x50, 0x4b, 0x03, 0x04])) binaryThrow('a ZIP archive or Excel .xlsx workbook');
  if (startsWith(sample, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) binaryThrow('an Excel .xls workbook');
  if (startsWith(sample, [0x25, 0x50, 0x44, 0x46, 0x2d])) binaryThrow('a PDF document');
  if (startsWith(sample, [0x1f, 0x8b])) binaryThrow('a gzip archive');
  if (startsWith(sample, [0xff, 0xfe]) || startsWith(sample, [0xfe, 0xff])) binaryThrow('UTF-16 text; save it as UTF-8');
  const bom = startsWith(sample, [0xef, 0xbb, 0xbf]);
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b === 0) throw binary('it contains NUL bytes', { offset: i });
    // Tab, LF, CR and form feed appear in text exports; other C0 codes and DEL do not.
    if ((b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12) || b === 0x7f) controls++;
  }
  if (sample.length > 0 && controls / sample.length > 0.02) {
    throw binary(`${((100 * controls) / sample.length).toFixed(0)}% of its bytes are control characters`);
  }
  return isUtf8(sample, options.truncated ?? false) ? (bom ? 'utf-8-bom' : 'utf-8') : 'latin-1';
}

function binaryThrow(what: string): never {
  throw binary(what);
}

/** Strict UTF-8 check; a multi-byte character cut at the end of a truncated sample is allowed. */
export function isUtf8(bytes: Uint8Array, truncated: boolean): boolean {
  let end = bytes.length;
  if (truncated) {
    // Drop an incomplete trailing sequence (at most 3 bytes) before validating.
    for (let k = 1; k <= 3 && end - k >= 0; k++) {
      const b = bytes[end - k]!;
      if ((b & 0xc0) === 0x80) continue;
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (need > k) end -= k;
      break;
    }
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

export function decoderFor(encoding: TextEncodingName, fatal: boolean): TextDecoder {
  return encoding === 'latin-1' ? new TextDecoder('windows-1252') : new TextDecoder('utf-8', { fatal });
}

/**
 * Picks the delimiter whose quote-aware field counts are most consistent across the sample's
 * records (the last record is ignored when the sample was cut mid-file). Ties go to the candidate
 * giving more fields, then to the order , tab ; |. A file where no candidate splits the header is
 * read as one column with ','.
 */
export function detectDelimiter(text: string, options: { truncated?: boolean } = {}): { delimiter: Delimiter; consistency: number; firstRow: string[] } {
  let best: { delimiter: Delimiter; consistency: number; fields: number; firstRow: string[] } | null = null;
  for (const delimiter of DELIMITERS) {
    const records = sampleRecords(text, delimiter, options.truncated ?? false);
    const first = records[0];
    if (!first || first.length < 2) continue;
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    let modeCount = 0;
    for (const c of counts.values()) modeCount = Math.max(modeCount, c);
    // The header's own count must be the mode: otherwise this delimiter splits the data by accident.
    const consistency = counts.get(first.length) === modeCount ? modeCount / records.length : (0.5 * modeCount) / records.length;
    const better =
      !best || consistency > best.consistency + 1e-9 || (Math.abs(consistency - best.consistency) <= 1e-9 && first.length > best.fields);
    if (better) best = { delimiter, consistency, fields: first.length, firstRow: first };
  }
  if (best) return { delimiter: best.delimiter, consistency: best.consistency, firstRow: best.firstRow };
  const records = sampleRecords(text, ',', options.truncated ?? false);
  return { delimiter: ',', consistency: 1, firstRow: records[0] ?? [] };
}

function sampleRecords(text: string, delimiter: Delimiter, truncated: boolean): string[][] {
  const out: string[][] = [];
  const t = new CsvTokenizer({ delimiter, maxRecordChars: Number.MAX_SAFE_INTEGER }, (fields) => {
    if (out.length < 1000) out.push(fields);
  });
  t.push(text);
  // A truncated sample ends mid-record: leave that record out rather than count it as ragged.
  if (!truncated && !t.inQuotedField) t.end();
  return out;
}

const DATA_LIKE = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}-[A-Za-z]{3}-\d{2,4}|true|false)$/i;

/**
 * A first row is a header when every cell is non-empty, unique, and none looks like data (a
 * number, a date, true/false). SIS exports nearly always have one; the check guards against a
 * headerless extract being read as if its first student were column names.
 */
export function looksLikeHeader(firstRow: readonly string[]): boolean {
  if (firstRow.length === 0) return false;
  const seen = new Set<string>();
  for (const raw of firstRow) {
    const cell = raw.trim();
    if (cell === '' || DATA_LIKE.test(cell)) return false;
    const key = cell.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}

/**
 * Detects encoding, delimiter and header from the first bytes of a file. `truncated` says the
 * sample is not the whole file (so its last line may be cut). Throws for an empty or binary file.
 */
export function detectFormat(sample: Uint8Array, options: { truncated?: boolean } = {}): DetectedFormat {
  const encoding = detectEncoding(sample, options);
  const text = decoderFor(encoding, false).decode(sample);
  if (text.trim() === '') throw emptyFile();
  const { delimiter, consistency, firstRow } = detectDelimiter(text, options);
  return { encoding, delimiter, hasHeader: looksLikeHeader(firstRow), firstRow, consistency };
}

export const emptyFile = (): AppError =>
  new AppError('BAD_REQUEST', 'The file is empty. Export the data again with a header row and at least one data row.');
