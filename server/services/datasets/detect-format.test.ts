import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error';
import { detectDelimiter, detectEncoding, detectFormat, isUtf8, looksLikeHeader } from './detect-format';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const latin1 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
const BINARY = 'not CSV. Export the data as CSV or TSV.';

const errorOf = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an error');
};

describe('detectEncoding', () => {
  it('reads plain ASCII and UTF-8 as utf-8', () => {
    expect(detectEncoding(utf8('id,name\n1,Ana\n'))).toBe('utf-8');
    expect(detectEncoding(utf8('id,name\n1,José Muñoz\n'))).toBe('utf-8');
  });

  it('recognises the UTF-8 byte-order mark', () => {
    expect(detectEncoding(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('id,name\n1,Zoë\n')]))).toBe('utf-8-bom');
  });

  it('falls back to latin-1 for é and ñ written as single bytes', () => {
    const bytes = latin1('id,name\n1,José Muñoz\n');
    expect(bytes.includes(0xe9)).toBe(true);
    expect(bytes.includes(0xf1)).toBe(true);
    expect(detectEncoding(bytes)).toBe('latin-1');
    expect(detectFormat(bytes).firstRow).toEqual(['id', 'name']);
  });

  it('accepts a UTF-8 character cut at the end of a truncated sample', () => {
    const whole = utf8('name\nJosé\n');
    const cut = whole.subarray(0, whole.indexOf(0xc3) + 1);
    expect(isUtf8(cut, false)).toBe(false);
    expect(isUtf8(cut, true)).toBe(true);
    expect(detectEncoding(cut, { truncated: true })).toBe('utf-8');
  });

  it('rejects NUL bytes as binary', () => {
    const e = errorOf(() => detectEncoding(Uint8Array.from([0x69, 0x64, 0x00, 0x2c, 0x78])));
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.message).toBe(`This looks like a binary file (it contains NUL bytes), ${BINARY}`);
  });

  it('rejects UTF-16 (which is full of NUL bytes) with its name', () => {
    const bytes = Uint8Array.from([0xff, 0xfe, ...Buffer.from('id,name\n', 'utf16le')]);
    expect(errorOf(() => detectEncoding(bytes)).message).toBe(`This looks like a binary file (UTF-16 text; save it as UTF-8), ${BINARY}`);
    // Without a BOM the NUL bytes give it away.
    expect(errorOf(() => detectEncoding(Uint8Array.from(Buffer.from('id,name\n', 'utf16le')))).message).toContain('NUL bytes');
  });

  it('names Excel workbooks, PDFs and gzip archives', () => {
    expect(errorOf(() => detectEncoding(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).message).toBe(
      `This looks like a binary file (a ZIP archive or Excel .xlsx workbook), ${BINARY}`,
    );
    expect(errorOf(() => detectEncoding(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x41]))).message).toContain('Excel .xls workbook');
    expect(errorOf(() => detectEncoding(utf8('%PDF-1.7\n'))).message).toContain('a PDF document');
    expect(errorOf(() => detectEncoding(Uint8Array.from([0x1f, 0x8b, 0x08, 0x41])))).toBeInstanceOf(AppError);
  });

  it('rejects a high share of control characters', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 0x01 : 0x61));
    expect(errorOf(() => detectEncoding(bytes)).message).toBe(`This looks like a binary file (10% of its bytes are control characters), ${BINARY}`);
    // A few stray control characters in a text export are tolerated.
    const few = Uint8Array.from({ length: 1000 }, (_, i) => (i === 500 ? 0x1a : 0x61));
    expect(detectEncoding(few)).toBe('utf-8');
  });
});

describe('detectDelimiter', () => {
  const table = (d: string): string => ['id|term|gpa|major'.replaceAll('|', d), ['1', '202180', '3.5', 'BIO'].join(d), ['2', '202210', '2.9', 'CHEM'].join(d), ''].join('\n');

  it.each([
    [',', 'comma'],
    [';', 'semicolon'],
    ['\t', 'tab'],
    ['|', 'pipe'],
  ] as const)('detects %j (%s)', (d, _name) => {
    const r = detectDelimiter(table(d));
    expect(r.delimiter).toBe(d);
    expect(r.firstRow).toEqual(['id', 'term', 'gpa', 'major']);
    expect(r.consistency).toBe(1);
  });

  it('ignores delimiters inside quoted fields', () => {
    // Commas only appear inside quotes; the semicolon is the delimiter.
    const text = 'id;name;major\n1;"Smith, Ann";"Business, Management"\n2;"Lee, Bo";"Art, History"\n';
    expect(detectDelimiter(text).delimiter).toBe(';');
    // Semicolons inside quotes in a comma file.
    const text2 = 'id,note,gpa\n1,"a;b;c",3.1\n2,"x;y",2.0\n3,"p;q;r;s",3.9\n';
    expect(detectDelimiter(text2).delimiter).toBe(',');
  });

  it('prefers the candidate whose field counts agree across lines', () => {
    // A European export: ';' delimits and ',' is the decimal mark.
    const text = 'id;gpa;credits\n1;3,5;12\n2;2,75;15,5\n3;4;9\n';
    expect(detectDelimiter(text).delimiter).toBe(';');
  });

  it('reads a single-column file with a comma', () => {
    expect(detectDelimiter('student_id\n1\n2\n')).toEqual({ delimiter: ',', consistency: 1, firstRow: ['student_id'] });
  });

  it('ignores the cut last line of a truncated sample', () => {
    const text = 'a,b,c\n1,2,3\n4,5,6\n7,"unfinished';
    expect(detectDelimiter(text, { truncated: true }).consistency).toBe(1);
  });
});

describe('header detection', () => {
  it('accepts names and rejects data-like rows', () => {
    expect(looksLikeHeader(['SPRIDEN_ID', 'TERM_CODE', 'GPA'])).toBe(true);
    expect(looksLikeHeader(['1001', 'Ann', '3.5'])).toBe(false);
    expect(looksLikeHeader(['name', '2021-08-15'])).toBe(false);
    expect(looksLikeHeader(['id', ''])).toBe(false);
    expect(looksLikeHeader(['id', 'ID'])).toBe(false);
  });

  it('is part of detectFormat', () => {
    expect(detectFormat(utf8('id,gpa\n1,3.5\n'))).toMatchObject({ encoding: 'utf-8', delimiter: ',', hasHeader: true });
    expect(detectFormat(utf8('1,3.5\n2,3.9\n'))).toMatchObject({ hasHeader: false, firstRow: ['1', '3.5'] });
  });

  it('calls an empty or blank sample empty', () => {
    const message = 'The file is empty. Export the data again with a header row and at least one data row.';
    expect(errorOf(() => detectFormat(new Uint8Array(0))).message).toBe(message);
    expect(errorOf(() => detectFormat(utf8('\r\n \n'))).message).toBe(message);
    expect(errorOf(() => detectFormat(Uint8Array.from([0xef, 0xbb, 0xbf]))).message).toBe(message);
  });
});
