import { AppError } from '../../errors/app-error';

/**
 * RFC 4180 tokenizer, fed text in pieces of any size (a stream's chunks) and emitting one
 * record at a time. Pure: no I/O; the stream plumbing lives in csv-records.ts.
 *
 * - Fields may be quoted; a quoted field may hold the delimiter, CR, LF and doubled quotes ("").
 * - Records end at CRLF, LF or a lone CR (old Mac exports); a CRLF split across two pieces is
 *   still one line break.
 * - A quote inside an unquoted field (5'10") and text after a closing quote ("a"b) are kept
 *   literally, as spreadsheet programs do, rather than rejected.
 * - Blank lines (nothing between two line breaks) are skipped; a line holding only `""` is a
 *   record with one empty field.
 * - Memory is bounded: only the record being read is held, and one longer than `maxRecordChars`
 *   is an error naming the line it starts on.
 *
 * `line` is the 1-based physical line on which a record starts (line breaks inside quoted
 * fields count), so messages can point at what a text editor shows.
 */
export interface CsvTokenizerOptions {
  /** One character: `,` `;` tab or `|`. */
  delimiter: string;
  /** Longest record accepted, in characters (≈ bytes for the ASCII-heavy data we see). */
  maxRecordChars: number;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteSeen,
}

export const formatBytes = (n: number): string =>
  n >= 1024 ** 3 ? `${+(n / 1024 ** 3).toFixed(1)} GB` : n >= 1024 ** 2 ? `${+(n / 1024 ** 2).toFixed(1)} MB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} KB` : `${n} bytes`;

export class CsvTokenizer {
  private readonly delim: number;
  private readonly maxChars: number;
  private state = State.FieldStart;
  private fields: string[] = [];
  private field = '';
  private recordChars = 0;
  private quotedAny = false;
  private pendingCR = false;
  private quotedLastCR = false;
  private quoteLine = 0;
  private recordLine = 1;
  /** Physical line the reader is on (1-based). */
  line = 1;

  constructor(
    options: CsvTokenizerOptions,
    private readonly onRecord: (fields: string[], line: number) => void,
  ) {
    if (options.delimiter.length !== 1 || options.delimiter === '"' || options.delimiter === '\n' || options.delimiter === '\r') {
      throw new AppError('BAD_REQUEST', `“${options.delimiter}” cannot be used as a CSV delimiter.`);
    }
    this.delim = options.delimiter.charCodeAt(0);
    this.maxChars = options.maxRecordChars;
  }

  /** True while the input ends inside an open quoted field. */
  get inQuotedField(): boolean {
    return this.state === State.Quoted;
  }

  push(s: string): void {
    const n = s.length;
    const d = this.delim;
    let i = 0;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (n > 0 && s.charCodeAt(0) === LF) i = 1;
    }
    while (i < n) {
      switch (this.state) {
        case State.FieldStart: {
          if (s.charCodeAt(i) === QUOTE) {
            this.state = State.Quoted;
            this.quoteLine = this.line;
            this.quotedAny = true;
            this.quotedLastCR = false;
            i++;
            break;
          }
          this.state = State.Unquoted;
          break;
        }
        case State.Unquoted: {
          let j = i;
          let c = 0;
          while (j < n) {
            c = s.charCodeAt(j);
            if (c === d || c === LF || c === CR) break;
            j++;
          }
          if (j > i) this.append(s, i, j);
          if (j === n) {
            i = n;
            break;
          }
          i = this.afterFieldEnd(s, j, c);
          break;
        }
        case State.Quoted: {
          const q = s.indexOf('"', i);
          const end = q === -1 ? n : q;
          this.countQuotedLines(s, i, end);
          if (end > i) this.append(s, i, end);
          if (q === -1) {
            i = n;
            break;
          }
          this.state = State.QuoteSeen;
          i = q + 1;
          break;
        }
        case State.QuoteSeen: {
          const c = s.charCodeAt(i);
          if (c === QUOTE) {
            this.append('"', 0, 1);
            this.state = State.Quoted;
            i++;
          } else if (c === d || c === LF || c === CR) {
            i = this.afterFieldEnd(s, i, c);
          } else {
            this.state = State.Unquoted;
          }
          break;
        }
      }
    }
  }

  /** Flushes the last record. Throws when the input ends inside a quoted field. */
  end(): void {
    if (this.state === State.Quoted) {
      throw new AppError('BAD_REQUEST', `A quote opened on line ${this.quoteLine} is never closed. Check that field for a stray double quote (").`, {
        line: this.quoteLine,
      });
    }
    if (this.state !== State.FieldStart || this.fields.length > 0) {
      this.fields.push(this.field);
      this.field = '';
      this.endRecord();
    }
    this.state = State.FieldStart;
  }

  /** Handles the delimiter or line break at `j` (char `c`); returns the next index. */
  private afterFieldEnd(s: string, j: number, c: number): number {
    this.fields.push(this.field);
    this.field = '';
    this.state = State.FieldStart;
    if (c === this.delim) return j + 1;
    this.endRecord();
    this.line++;
    this.recordLine = this.line;
    if (c === CR) {
      if (j + 1 < s.length) {
        if (s.charCodeAt(j + 1) === LF) return j + 2;
      } else {
        this.pendingCR = true;
      }
    }
    return j + 1;
  }

  private endRecord(): void {
    const fields = this.fields;
    this.fields = [];
    this.recordChars = 0;
    const blank = fields.length === 1 && fields[0] === '' && !this.quotedAny;
    this.quotedAny = false;
    if (!blank) this.onRecord(fields, this.recordLine);
  }

  private append(s: string, from: number, to: number): void {
    this.recordChars += to - from;
    if (this.recordChars > this.maxChars) {
      const limit = formatBytes(this.maxChars);
      const details = { line: this.recordLine, maxRecordChars: this.maxChars };
      throw new AppError(
        'BAD_REQUEST',
        this.state === State.Quoted
          ? `The record starting on line ${this.recordLine} is longer than ${limit}: a quote opened on line ${this.quoteLine} is probably never closed. Check that field for a stray double quote (").`
          : `The record starting on line ${this.recordLine} is longer than ${limit}. Check that the file has one record per line.`,
        details,
      );
    }
    const piece = from === 0 && to === s.length ? s : s.slice(from, to);
    this.field = this.field === '' ? piece : this.field + piece;
  }

  /** Line breaks inside a quoted field still advance the physical line count. */
  private countQuotedLines(s: string, from: number, to: number): void {
    let lastCR = this.quotedLastCR;
    for (let k = from; k < to; k++) {
      const c = s.charCodeAt(k);
      if (c === CR) {
        this.line++;
        lastCR = true;
      } else {
        if (c === LF && !lastCR) this.line++;
        lastCR = false;
      }
    }
    if (to > from) this.quotedLastCR = lastCR;
  }
}

/** Tokenizes a complete string (tests, samples). */
export function tokenizeCsv(text: string, delimiter: string, maxRecordChars = Number.MAX_SAFE_INTEGER): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  const t = new CsvTokenizer({ delimiter, maxRecordChars }, (fields, line) => out.push({ line, fields }));
  t.push(text);
  t.end();
  return out;
}
