import { isPlainNumber } from './value-patterns';

/**
 * CSV writing for every export (validation reports, results, crosswalks).
 *
 * Formula injection ("CSV injection", OWASP: https://owasp.org/www-community/attacks/CSV_Injection):
 * a cell beginning with `=`, `+`, `-`, `@`, tab (0x09) or carriage return (0x0D) may be run as a
 * formula by Excel, LibreOffice or Google Sheets. Following OWASP, such a cell is prefixed with a
 * single quote (') so the spreadsheet shows it as text, and the cell is then quoted. Plain
 * numbers (-12, +3.5, -1e3) are left alone: they cannot carry a formula and analysts need them
 * numeric. Quoting follows RFC 4180: a cell containing the delimiter, a double quote, CR or LF is
 * wrapped in double quotes with inner quotes doubled.
 */
export type CsvCell = string | number | bigint | boolean | Date | null | undefined;

export interface CsvWriteOptions {
  delimiter?: ',' | ';' | '\t' | '|';
  /** Line ending; RFC 4180 says CRLF. */
  eol?: '\r\n' | '\n';
}

export function escapeCsvCell(value: CsvCell, options: CsvWriteOptions = {}): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  const delimiter = options.delimiter ?? ',';
  let s = value;
  let quote = false;
  if (s.length > 0) {
    const c = s.charCodeAt(0);
    const trigger = c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
    if (trigger && !isPlainNumber(s)) {
      s = `'${s}`;
      quote = true;
    }
  }
  if (quote || s.includes('"') || s.includes(delimiter) || s.includes('\n') || s.includes('\r')) {
    return `"${s.replace(/"/g, '""')}"`;
  }
  return s;
}

/** One CSV line, ending with the line break. */
export function csvLine(cells: readonly CsvCell[], options: CsvWriteOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) out += delimiter;
    out += escapeCsvCell(cells[i], options);
  }
  return out + (options.eol ?? '\r\n');
}

/**
 * Streams rows as CSV text, one line per yielded string (wrap with `Readable.from(...)` to pipe
 * into a response). `bom: true` starts with U+FEFF so Excel opens the UTF-8 correctly.
 */
export async function* toCsv(
  rows: AsyncIterable<readonly CsvCell[]> | Iterable<readonly CsvCell[]>,
  options: CsvWriteOptions & { header?: readonly string[]; bom?: boolean } = {},
): AsyncGenerator<string, void, undefined> {
  let prefix = options.bom ? '\uFEFF' : '';
  if (options.header) {
    yield prefix + csvLine(options.header, options);
    prefix = '';
  }
  for await (const row of rows) {
    yield prefix + csvLine(row, options);
    prefix = '';
  }
}
