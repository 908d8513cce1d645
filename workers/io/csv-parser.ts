/**
 * Incremental CSV parser over bytes (RFC 4180): quoted fields with "" escapes and embedded
 * delimiters or newlines, CRLF / LF / CR line ends, a UTF-8 byte-order mark, and a delimiter
 * detected among , ; tab | from the header line. Empty fields and NA-like tokens are missing.
 *
 * Why bytes and not strings: a 240 MB file as one JS string costs ~480 MB and a second pass to
 * split it. Here each chunk is scanned once; numbers are parsed straight from the bytes (Clinger's
 * exact fast path when the decimal mantissa has ≤ 15 digits and |exponent| ≤ 22, otherwise V8's
 * correctly rounded `Number()` on that one field), so every value equals `Number(text)` exactly.
 * Only fields that are not numbers become strings, and only once per distinct level.
 *
 * Column types: a column stays numeric while its values parse as numbers; the first non-numeric
 * value starts a string dictionary beside the numbers. `finish()` then decides: all non-missing
 * values non-numeric (or mostly) → categorical (levels sorted like R's `factor()`); a few stray
 * strings in a numeric column → numeric, with the count and first offending row recorded so the
 * pipeline can name them if the column is used.
 */
import { CausalInputError } from '../causal/errors';
import type { Frame } from '../causal/data/frame';

export interface CsvNumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  /** NaN where missing (or non-numeric: see `nonNumeric`). */
  readonly values: Float64Array;
  readonly missing: number;
  /** Count of non-missing values that are not numbers (treated as missing in `values`). */
  readonly nonNumeric: number;
  /** First non-numeric value (1-based data row and text), when any. */
  readonly firstNonNumeric: { readonly row: number; readonly value: string } | null;
}

export interface CsvCategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  /** Index into `levels`, -1 where missing. */
  readonly codes: Int32Array;
  readonly levels: readonly string[];
  readonly missing: number;
}

export type CsvColumn = CsvNumericColumn | CsvCategoricalColumn;

/** A parsed file; it is a `Frame` (workers/causal/data/frame) with CSV facts added. */
export interface CsvTable extends Frame {
  readonly header: readonly string[];
  readonly columns: readonly CsvColumn[];
  readonly rowCount: number;
  readonly delimiter: string;
}

export interface CsvParseOptions {
  /** Force a delimiter instead of detecting it from the header line. */
  readonly delimiter?: string;
  /** Tokens read as missing (besides the empty field). Default: NA, N/A, NaN, null, NULL, ".". */
  readonly naStrings?: readonly string[];
  /** Capacity hint for the number of data rows (avoids regrowing the column arrays). */
  readonly expectedRows?: number;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const DEFAULT_NA = ['NA', 'N/A', 'NaN', 'null', 'NULL', '.', '#N/A'];
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));


class ColumnBuilder {
  values: Float64Array;
  codes: Int32Array | null = null;
  readonly dict = new Map<string, number>();
  readonly levelTexts: string[] = [];
  numericCount = 0;
  textCount = 0;
  missing = 0;
  firstTextRow = 0;

  constructor(
    readonly name: string,
    capacity: number,
  ) {
    this.values = new Float64Array(capacity);
  }

  grow(capacity: number): void {
    const values = new Float64Array(capacity);
    values.set(this.values);
    this.values = values;
    if (this.codes) {
      const codes = new Int32Array(capacity).fill(-1);
      codes.set(this.codes);
      this.codes = codes;
    }
  }

  addText(row: number, text: string, capacity: number): void {
    if (!this.codes) {
      this.codes = new Int32Array(capacity).fill(-1);
      this.firstTextRow = row + 1;
    }
    let code = this.dict.get(text);
    if (code === undefined) {
      code = this.levelTexts.length;
      this.dict.set(text, code);
      this.levelTexts.push(text);
    }
    this.codes[row] = code;
    this.values[row] = Number.NaN;
    this.textCount++;
  }
}

export class CsvParser {
  private readonly naSet: Set<string>;
  private readonly forcedDelimiter: number | null;
  private delimiter = 0x2c;
  private leftover: Uint8Array | null = null;
  private header: string[] | null = null;
  private columns: ColumnBuilder[] = [];
  private capacity: number;
  private rows = 0;
  /** 1-based line number of the next record's first line (header is line 1). */
  private line = 1;
  private first = true;
  private finished = false;
  private fieldStart = new Int32Array(64);
  private fieldEnd = new Int32Array(64);
  /** Text fields of the current record: column index, and 1 when quoted with "" escapes, 2 when unquoted. */
  private fieldKindCol = new Int32Array(64);
  private fieldQuotedEscapes = new Uint8Array(64);
  private readonly decoder = new TextDecoder('utf-8');

  constructor(options: CsvParseOptions = {}) {
    this.naSet = new Set(options.naStrings ?? DEFAULT_NA);
    this.capacity = Math.max(16, options.expectedRows ?? 1024);
    if (options.delimiter !== undefined) {
      if (options.delimiter.length !== 1) throw new CausalInputError(`The delimiter must be one character, got "${options.delimiter}".`);
      this.forcedDelimiter = options.delimiter.charCodeAt(0);
    } else this.forcedDelimiter = null;
  }

  /** Feeds the next chunk of bytes (copied where needed: the caller may reuse its buffer). */
  push(chunk: Uint8Array): void {
    let buf: Uint8Array;
    if (this.leftover && this.leftover.length > 0) {
      buf = new Uint8Array(this.leftover.length + chunk.length);
      buf.set(this.leftover, 0);
      buf.set(chunk, this.leftover.length);
    } else buf = chunk;
    const consumed = this.consume(buf, false);
    // Uint8Array.prototype.slice copies (Buffer#slice would be a view into the reused buffer).
    this.leftover = consumed < buf.length ? Uint8Array.prototype.slice.call(buf, consumed) : null;
  }

  /**
   * Zero-copy form of `push` for readers that manage their own buffer: parses the complete
   * records at the start of `buf` and returns how many bytes were consumed. The caller must pass
   * the unconsumed tail again at the front of the next call; `final` marks the end of input.
   */
  consume(buf: Uint8Array, final: boolean): number {
    if (this.finished) throw new Error('CsvParser used after finish');
    let skip = 0;
    if (this.first) {
      if (!final && buf.length < 3) return 0;
      this.first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) skip = 3;
    }
    return skip + this.parse(skip ? buf.subarray(skip) : buf, final);
  }

  /** Parses what is left and returns the table. */
  finish(): CsvTable {
    if (this.finished) throw new Error('CsvParser.finish called twice');
    if (this.leftover && this.leftover.length > 0) this.consume(this.leftover, true);
    else if (this.header === null || this.first) this.consume(new Uint8Array(0), true);
    this.finished = true;
    if (!this.header) throw new CausalInputError('The CSV file is empty (no header line).');
    return this.build();
  }

  private detectDelimiter(buf: Uint8Array): number {
    if (this.forcedDelimiter !== null) return this.forcedDelimiter;
    const candidates = [0x2c, 0x3b, 0x09, 0x7c];
    const counts = [0, 0, 0, 0];
    let quoted = false;
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i]!;
      if (c === QUOTE) quoted = !quoted;
      else if (!quoted) {
        if (c === LF || c === CR) break;
        const k = candidates.indexOf(c);
        if (k >= 0) counts[k]!++;
      }
    }
    let best = 0;
    for (let k = 1; k < 4; k++) if (counts[k]! > counts[best]!) best = k;
    return candidates[best]!;
  }

  private ensureFieldSlots(n: number): void {
    if (n < this.fieldStart.length) return;
    const size = this.fieldStart.length * 2;
    const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T, ctor: new (n: number) => T): T => {
      const b = new ctor(size);
      b.set(a);
      return b;
    };
    this.fieldStart = grow(this.fieldStart, Int32Array);
    this.fieldEnd = grow(this.fieldEnd, Int32Array);
    this.fieldKindCol = grow(this.fieldKindCol, Int32Array);
    this.fieldQuotedEscapes = grow(this.fieldQuotedEscapes, Uint8Array);
  }

  /**
   * Parses complete records from `buf` and returns the number of bytes consumed (the start of
   * the first incomplete record). With `final`, the end of `buf` ends the last record.
   * Numbers are written straight into the column arrays at the current row; an incomplete
   * record at the end of a chunk is parsed again (and its row overwritten) with the next chunk.
   */
  private parse(buf: Uint8Array, final: boolean): number {
    const len = buf.length;
    if (this.header === null) {
      if (!this.headerComplete(buf, final)) return 0;
      this.delimiter = this.detectDelimiter(buf);
      const end = this.parseHeader(buf, final);
      if (end < 0) return 0;
      if (this.header === null) return len;
      return end + this.parse(buf.subarray(end), final);
    }
    const delim = this.delimiter;
    const ncol = this.columns.length;
    let values = this.columns.map((c) => c.values);
    const textStart = this.fieldStart;
    let pos = 0;
    for (;;) {
      const recordStart = pos;
      const recordLine = this.line;
      let linesInRecord = 0;
      let nf = 0;
      let nText = 0;
      let atEof = false;
      const row = this.rows;
      if (row >= this.capacity) {
        this.capacity = Math.ceil(this.capacity * 1.6);
        for (const col of this.columns) col.grow(this.capacity);
        values = this.columns.map((c) => c.values);
      }
      for (;;) {
        if (pos >= len) {
          if (!final) return recordStart;
          // A record that ends exactly at EOF after a delimiter has one more (empty) field.
          if (nf < ncol) values[nf]![row] = Number.NaN;
          nf++;
          atEof = true;
          break;
        }
        let c = buf[pos]!;
        if (c === QUOTE) {
          const start = pos + 1;
          let i = start;
          let escapes = 0;
          let closed = false;
          while (i < len) {
            const q = buf[i]!;
            if (q === QUOTE) {
              if (i + 1 < len && buf[i + 1] === QUOTE) {
                escapes = 1;
                i += 2;
                continue;
              }
              if (i + 1 >= len && !final) break;
              closed = true;
              break;
            }
            if (q === LF) linesInRecord++;
            else if (q === CR && buf[i + 1] !== LF) linesInRecord++;
            i++;
          }
          if (!closed) {
            if (!final) return recordStart;
            throw new CausalInputError(
              `Malformed CSV: unterminated quote in line ${recordLine} (data row ${row + 1}), field ${nf + 1}: a field opens with " and never closes.`,
              { line: recordLine, row: row + 1, field: nf + 1 },
            );
          }
          pos = i + 1;
          if (pos < len) {
            c = buf[pos]!;
            if (c !== delim && c !== LF && c !== CR) {
              throw new CausalInputError(
                `Malformed CSV: line ${recordLine + linesInRecord} (data row ${row + 1}), field ${nf + 1}: unexpected character after a closing quote (a quote inside a quoted field must be doubled: "").`,
                { line: recordLine + linesInRecord, row: row + 1, field: nf + 1 },
              );
            }
          }
          if (nText >= textStart.length) this.ensureFieldSlots(nText + 1);
          this.fieldStart[nText] = start;
          this.fieldEnd[nText] = i;
          this.fieldKindCol[nText] = nf;
          this.fieldQuotedEscapes[nText] = escapes;
          nText++;
          if (nf < ncol) values[nf]![row] = Number.NaN;
          nf++;
        } else {
          // Unquoted field: scan and parse a decimal number in the same pass. The significand's
          // first 15 significant digits go to `hi`, the next 4 to `lo` (both exact in a double);
          // value = significand × 10^(−scale). Tight loops per part keep branches out of the
          // per-byte path.
          const start = pos;
          let hi = 0;
          let lo = 0;
          let loDigits = 0;
          let digits = 0;
          let scale = 0;
          let neg = false;
          let seenDigit = false;
          let isNumber = true;
          if (c === 0x2d) {
            neg = true;
            pos++;
          } else if (c === 0x2b) pos++;
          while (pos < len && buf[pos] === 0x30) {
            pos++;
            seenDigit = true;
          }
          for (; pos < len; pos++) {
            const d = buf[pos]! - 0x30;
            if (d < 0 || d > 9) break;
            if (digits < 15) hi = hi * 10 + d;
            else if (digits < 19) {
              lo = lo * 10 + d;
              loDigits++;
            }
            digits++;
          }
          if (digits > 0) seenDigit = true;
          if (pos < len && buf[pos] === 0x2e) {
            pos++;
            if (digits === 0) {
              while (pos < len && buf[pos] === 0x30) {
                pos++;
                scale++;
                seenDigit = true;
              }
            }
            for (; pos < len; pos++) {
              const d = buf[pos]! - 0x30;
              if (d < 0 || d > 9) break;
              if (digits < 15) hi = hi * 10 + d;
              else if (digits < 19) {
                lo = lo * 10 + d;
                loDigits++;
              }
              digits++;
              scale++;
              seenDigit = true;
            }
          }
          if (pos < len && (buf[pos] === 0x65 || buf[pos] === 0x45) && seenDigit) {
            pos++;
            let expNeg = false;
            if (pos < len && (buf[pos] === 0x2d || buf[pos] === 0x2b)) expNeg = buf[pos++] === 0x2d;
            let exponent = 0;
            let expDigits = 0;
            for (; pos < len; pos++) {
              const d = buf[pos]! - 0x30;
              if (d < 0 || d > 9) break;
              exponent = exponent * 10 + d;
              expDigits++;
            }
            if (expDigits === 0) isNumber = false;
            scale -= expNeg ? -exponent : exponent;
          }
          if (pos < len) {
            c = buf[pos]!;
            if (c !== delim && c !== LF && c !== CR) {
              isNumber = false;
              while (pos < len) {
                c = buf[pos]!;
                if (c === delim || c === LF || c === CR) break;
                pos++;
              }
            }
          }
          if (pos >= len && !final) return recordStart;
          const end = pos;
          if (nf < ncol) {
            if (end === start) values[nf]![row] = Number.NaN;
            else if (isNumber && seenDigit) {
              // Beyond 19 significant digits, V8's correctly rounded parser decides.
              const exact = digits <= 19 ? decimalToDouble(hi, lo, loDigits, scale) : Number.NaN;
              const v = exact === exact ? (neg ? -exact : exact) : Number(latin1(buf, start, end));
              values[nf]![row] = v;
            } else {
              values[nf]![row] = Number.NaN;
              if (nText >= textStart.length) this.ensureFieldSlots(nText + 1);
              this.fieldStart[nText] = start;
              this.fieldEnd[nText] = end;
              this.fieldKindCol[nText] = nf;
              this.fieldQuotedEscapes[nText] = 2;
              nText++;
            }
          }
          nf++;
        }
        if (pos >= len) {
          if (!final) return recordStart;
          atEof = true;
          break;
        }
        c = buf[pos]!;
        if (c === delim) {
          pos++;
          continue;
        }
        // Line end: CRLF, LF or CR.
        if (c === CR && pos + 1 >= len && !final) return recordStart;
        pos += c === CR && buf[pos + 1] === LF ? 2 : 1;
        break;
      }
      this.line = recordLine + linesInRecord + (atEof ? 0 : 1);
      if (nf !== ncol) {
        // Blank line: one empty field. Skipped (common at the end of files).
        if (nf === 1 && nText === 0 && Number.isNaN(values[0]![row]!)) {
          if (atEof) return len;
          continue;
        }
        throw new CausalInputError(
          `Malformed CSV: data row ${row + 1} (line ${recordLine}) has ${nf} field${nf === 1 ? '' : 's'}, expected ${ncol} like the header.`,
          { row: row + 1, line: recordLine, fields: nf, expected: ncol },
        );
      }
      for (let t = 0; t < nText; t++) this.commitText(buf, t, row);
      this.rows = row + 1;
      if (atEof) return len;
    }
  }

  private headerComplete(buf: Uint8Array, final: boolean): boolean {
    if (final) return true;
    let quoted = false;
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i]!;
      if (c === QUOTE) quoted = !quoted;
      else if (!quoted && (c === LF || c === CR)) return i + 1 < buf.length;
    }
    return false;
  }

  private fieldText(buf: Uint8Array, k: number): string {
    const s = this.fieldStart[k]!;
    const e = this.fieldEnd[k]!;
    const text = isAscii(buf, s, e) ? latin1(buf, s, e) : this.decoder.decode(buf.subarray(s, e));
    return this.fieldQuotedEscapes[k] === 1 ? text.replaceAll('""', '"') : text;
  }

  /** Splits the header line (known to be complete); returns the offset just after it. */
  private parseHeader(buf: Uint8Array, final: boolean): number {
    const delim = this.delimiter;
    const len = buf.length;
    let pos = 0;
    // Leading blank lines are skipped.
    while (pos < len && (buf[pos] === LF || buf[pos] === CR)) {
      pos++;
      this.line++;
    }
    if (pos >= len) return final ? len : -1;
    const names: string[] = [];
    let nf = 0;
    for (;;) {
      this.ensureFieldSlots(nf + 1);
      let end: number;
      if (buf[pos] === QUOTE) {
        let i = pos + 1;
        let escapes = 0;
        while (i < len && !(buf[i] === QUOTE && buf[i + 1] !== QUOTE)) {
          if (buf[i] === QUOTE) {
            escapes = 1;
            i++;
          }
          i++;
        }
        if (i >= len) throw new CausalInputError('Malformed CSV: unterminated quote in the header (line 1).', { line: 1 });
        this.fieldStart[nf] = pos + 1;
        this.fieldEnd[nf] = i;
        this.fieldQuotedEscapes[nf] = escapes;
        end = i + 1;
      } else {
        let i = pos;
        while (i < len && buf[i] !== delim && buf[i] !== LF && buf[i] !== CR) i++;
        this.fieldStart[nf] = pos;
        this.fieldEnd[nf] = i;
        this.fieldQuotedEscapes[nf] = 2;
        end = i;
      }
      names.push(this.fieldText(buf, nf));
      nf++;
      if (end < len && buf[end] === delim) {
        pos = end + 1;
        continue;
      }
      pos = end < len ? (buf[end] === CR && buf[end + 1] === LF ? end + 2 : end + 1) : len;
      break;
    }
    this.line++;
    this.setHeader(names);
    return pos;
  }

  private setHeader(raw: string[]): void {
    const header: string[] = [];
    const seen = new Set<string>();
    raw.forEach((text, k) => {
      let name = text.trim();
      if (name === '') name = k === 0 ? 'row_names' : `V${k + 1}`;
      if (seen.has(name)) {
        throw new CausalInputError(`Malformed CSV: the header names column "${name}" twice (columns ${header.indexOf(name) + 1} and ${k + 1}).`, {
          column: name,
        });
      }
      seen.add(name);
      header.push(name);
    });
    this.header = header;
    this.columns = header.map((name) => new ColumnBuilder(name, this.capacity));
  }

  /** A text field of a complete record: NA token, a quoted or padded number, or a level. */
  private commitText(buf: Uint8Array, t: number, row: number): void {
    const col = this.columns[this.fieldKindCol[t]!]!;
    const text = this.fieldText(buf, t);
    const trimmed = text.trim();
    if (trimmed === '' || this.naSet.has(trimmed)) return;
    // Quoted numbers ("12.5") and padded ones (" 12") are numbers too, as in R's read.csv.
    const asNumber = parseNumberText(trimmed);
    if (!Number.isNaN(asNumber)) col.values[row] = asNumber;
    else col.addText(row, text, this.capacity);
  }

  private build(): CsvTable {
    const n = this.rows;
    const columns: CsvColumn[] = this.columns.map((col) => {
      const values = col.values.length === n ? col.values : col.values.slice(0, n);
      let nan = 0;
      for (let i = 0; i < n; i++) if (values[i] !== values[i]) nan++;
      col.missing = nan - col.textCount;
      col.numericCount = n - nan;
      if (col.textCount === 0) {
        return { kind: 'numeric', name: col.name, values, missing: col.missing, nonNumeric: 0, firstNonNumeric: null };
      }
      // Mostly text → categorical. A few stray strings in a numeric column → keep it numeric
      // and report them, so "12,5" or "unknown" in an income column is named, not turned into
      // a factor with thousands of levels.
      const categorical = col.textCount >= col.numericCount || col.numericCount < 0.9 * (col.numericCount + col.textCount);
      if (!categorical) {
        const codes = col.codes!;
        let firstText = '';
        for (let i = 0; i < n; i++) {
          if (codes[i]! >= 0) {
            firstText = col.levelTexts[codes[i]!]!;
            break;
          }
        }
        return {
          kind: 'numeric',
          name: col.name,
          values,
          missing: col.missing,
          nonNumeric: col.textCount,
          firstNonNumeric: { row: col.firstTextRow, value: firstText },
        };
      }
      return toCategorical(col, n);
    });
    const delimiter = String.fromCharCode(this.delimiter);
    return { header: this.header!, columns, rows: n, rowCount: n, delimiter };
  }
}

/** Builds a categorical column; numbers mixed into it become their text (R: `as.character`). */
function toCategorical(col: ColumnBuilder, n: number): CsvCategoricalColumn {
  const texts = col.levelTexts.slice();
  const numberCodes = new Map<number, number>();
  const rawCodes = new Int32Array(n);
  const codes = col.codes!;
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    if (c >= 0) rawCodes[i] = c;
    else {
      const v = col.values[i]!;
      if (Number.isNaN(v)) rawCodes[i] = -1;
      else {
        let code = numberCodes.get(v);
        if (code === undefined) {
          const text = String(v);
          code = col.dict.get(text);
          if (code === undefined) {
            code = texts.length;
            texts.push(text);
            col.dict.set(text, code);
          }
          numberCodes.set(v, code);
        }
        rawCodes[i] = code;
      }
    }
  }
  // R's factor() sorts levels; plain code-point order keeps it locale-independent.
  const order = texts.map((_, i) => i).sort((a, b) => (texts[a]! < texts[b]! ? -1 : texts[a]! > texts[b]! ? 1 : 0));
  const remap = new Int32Array(texts.length);
  order.forEach((old, rank) => (remap[old] = rank));
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rawCodes[i]!;
    out[i] = c < 0 ? -1 : remap[c]!;
  }
  return { kind: 'categorical', name: col.name, codes: out, levels: order.map((i) => texts[i]!), missing: col.missing };
}

/** Strict decimal number syntax (what the byte scanner accepts), for quoted or trimmed text. */
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
function parseNumberText(text: string): number {
  if (NUMBER_RE.test(text)) return Number(text);
  if (text === 'Inf' || text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number.NaN;
}

/** Veltkamp split constant for Dekker's exact product (2^27 + 1). */
const SPLIT = 134217729;

/**
 * Correctly rounded value of the decimal (hi·10^loDigits + lo) · 10^(−scale), or NaN when it
 * cannot be decided cheaply (the caller then uses `Number(text)`). hi < 10^15, lo < 10^4.
 * With ≤ 15 significant digits this is Clinger's fast path (one exact operand, one rounding).
 * With 16–19 digits the significand is held exactly as a double-double, divided, and the
 * remainder r = w − q·D (exact by Dekker's product) corrects q; the correction is accepted only
 * when a ±1e-6-ulp interval around it rounds the same way, so it never differs from `Number()`.
 */
function decimalToDouble(hi: number, lo: number, loDigits: number, scale: number): number {
  if (loDigits === 0) {
    if (scale >= 0 && scale <= 22) return hi / POW10[scale]!;
    if (scale < 0 && scale >= -22) return hi * POW10[-scale]!;
    return Number.NaN;
  }
  if (scale < 0 || scale > 22) return Number.NaN;
  // w = hi·10^loDigits + lo as (w1, w2) exactly: Dekker's product, then a two-sum with lo.
  const k = POW10[loDigits]!;
  const p1 = hi * k;
  let t = SPLIT * hi;
  let ah = t - (t - hi);
  let al = hi - ah;
  t = SPLIT * k;
  let bh = t - (t - k);
  let bl = k - bh;
  const p2 = al * bl - (p1 - ah * bh - al * bh - ah * bl);
  const w1 = p1 + lo;
  const w2 = p2 + (lo - (w1 - p1));
  if (scale === 0) return w1 + w2;
  const d = POW10[scale]!;
  const q = w1 / d;
  const m1 = q * d;
  t = SPLIT * q;
  ah = t - (t - q);
  al = q - ah;
  t = SPLIT * d;
  bh = t - (t - d);
  bl = d - bh;
  const m2 = al * bl - (m1 - ah * bh - al * bh - ah * bl);
  const r = w1 - m1 - m2 + w2;
  const delta = r / d;
  const slack = Math.abs(q) * 2.2e-22;
  const a = q + (delta - slack);
  const b = q + (delta + slack);
  return a === b ? a : Number.NaN;
}

function isAscii(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (buf[i]! >= 0x80) return false;
  return true;
}

function latin1(buf: Uint8Array, s: number, e: number): string {
  if (e - s <= 24) {
    let text = '';
    for (let i = s; i < e; i++) text += String.fromCharCode(buf[i]!);
    return text;
  }
  return String.fromCharCode.apply(null, Array.from(buf.subarray(s, e)));
}

/** Parses a whole CSV held in memory (tests, small inputs). */
export function parseCsv(input: Uint8Array | string, options: CsvParseOptions = {}): CsvTable {
  const parser = new CsvParser(options);
  parser.push(typeof input === 'string' ? new TextEncoder().encode(input) : input);
  return parser.finish();
}
