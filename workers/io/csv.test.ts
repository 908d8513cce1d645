import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CausalInputError } from '../causal/errors';
import { CsvParser, parseCsv, readCsvFile, type CsvColumn, type CsvTable } from './csv';

const col = (t: CsvTable, name: string): CsvColumn => t.columns.find((c) => c.name === name)!;
const nums = (t: CsvTable, name: string): number[] => {
  const c = col(t, name);
  if (c.kind !== 'numeric') throw new Error(`${name} is not numeric`);
  return Array.from(c.values);
};
const cat = (t: CsvTable, name: string): (string | null)[] => {
  const c = col(t, name);
  if (c.kind !== 'categorical') throw new Error(`${name} is not categorical`);
  return Array.from(c.codes, (k) => (k < 0 ? null : c.levels[k]!));
};
const errorOf = (fn: () => unknown): CausalInputError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof CausalInputError) return err;
    throw err;
  }
  throw new Error('expected a CausalInputError');
};

describe('parseCsv: dialect', () => {
  it('reads numbers, missing values and a categorical column', () => {
    const t = parseCsv('id,x,grp\n1,2.5,b\n2,,a\n3,NA,b\n4,-1e-3,NA\n');
    expect(t.rowCount).toBe(4);
    expect(t.header).toEqual(['id', 'x', 'grp']);
    expect(nums(t, 'x')).toEqual([2.5, NaN, NaN, -0.001]);
    expect(col(t, 'x').missing).toBe(2);
    expect(cat(t, 'grp')).toEqual(['b', 'a', 'b', null]);
    const grp = col(t, 'grp');
    expect(grp.kind === 'categorical' ? grp.levels : null).toEqual(['a', 'b']);
  });

  it('handles RFC 4180 quotes: delimiters, doubled quotes and newlines inside fields', () => {
    const t = parseCsv('name,note,v\n"Smith, J","said ""hi""",1\n"multi\nline","",2\n');
    expect(cat(t, 'name')).toEqual(['Smith, J', 'multi\nline']);
    expect(cat(t, 'note')).toEqual(['said "hi"', null]);
    expect(nums(t, 'v')).toEqual([1, 2]);
  });

  it('reads quoted numbers as numbers (like read.csv) and quoted header names', () => {
    const t = parseCsv('"index","treat","re78"\n1,"1","9930.046"\n2,"0",0\n');
    expect(nums(t, 'treat')).toEqual([1, 0]);
    expect(nums(t, 're78')).toEqual([9930.046, 0]);
  });

  it('accepts CRLF, a UTF-8 BOM, a missing final newline and trailing blank lines', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const body = new TextEncoder().encode('a,b\r\n1,2\r\n3,4\r\n\r\n');
    const bytes = new Uint8Array(bom.length + body.length);
    bytes.set(bom);
    bytes.set(body, 3);
    const t = parseCsv(bytes);
    expect(t.header).toEqual(['a', 'b']);
    expect(nums(t, 'b')).toEqual([2, 4]);
    expect(nums(parseCsv('a,b\n1,2\n3,4'), 'b')).toEqual([2, 4]);
    expect(nums(parseCsv('a,b\r1,2\r3,4\r'), 'a')).toEqual([1, 3]);
  });

  it('detects ; tab and | delimiters, and a forced delimiter wins', () => {
    expect(parseCsv('a;b\n1,5;2\n').delimiter).toBe(';');
    const semi = parseCsv('a;b\n"1,5";2\n');
    expect(cat(semi, 'a')).toEqual(['1,5']);
    expect(nums(parseCsv('a\tb\n1\t2\n'), 'b')).toEqual([2]);
    expect(nums(parseCsv('a|b|c\n1|2|3\n'), 'c')).toEqual([3]);
    expect(parseCsv('a;b\n1;2\n', { delimiter: ',' }).header).toEqual(['a;b']);
  });

  it('decodes UTF-8 text levels', () => {
    const t = parseCsv('campus,v\nZürich,1\nSão Paulo,2\nZürich,3\n');
    expect(cat(t, 'campus')).toEqual(['Zürich', 'São Paulo', 'Zürich']);
  });

  it('parses every number exactly like Number(), including 16–19 digit and exponent forms', () => {
    const texts = ['0', '-0', '1.', '.5', '+3', '1e5', '1.5E-3', '2.2250738585072014e-308', '0.1', '0.30000000000000004',
      '-0.029387807930026856', '123456789012345678', '1234567890123456789012', '9007199254740993', '1e400', '0.000001234567890123456789'];
    const t = parseCsv(`v\n${texts.join('\n')}\n`);
    expect(nums(t, 'v').map((v) => Object.is(v, -0) ? '-0' : v)).toEqual(texts.map((x) => (Object.is(Number(x), -0) ? '-0' : Number(x))));
  });

  it('keeps a mostly numeric column numeric and reports the stray text with its row', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i},${i === 17 ? '12,5' : i * 2}`);
    const t = parseCsv(`id;income\n${rows.map((r) => r.replace(',', ';')).join('\n')}\n`);
    const income = col(t, 'income');
    expect(income.kind).toBe('numeric');
    if (income.kind === 'numeric') {
      expect(income.nonNumeric).toBe(1);
      expect(income.firstNonNumeric).toEqual({ row: 18, value: '12,5' });
    }
  });

  it('gives the same table whatever the chunk boundaries', () => {
    const text = 'id,"q",x\n1,"a,""b""\nc",1.25\n2,plain,-3.5e2\r\n3,,7\n';
    const whole = parseCsv(text);
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const p = new CsvParser();
      p.push(bytes.subarray(0, cut));
      p.push(bytes.subarray(cut));
      const t = p.finish();
      expect(cat(t, 'q')).toEqual(cat(whole, 'q'));
      expect(nums(t, 'x')).toEqual(nums(whole, 'x'));
    }
    const oneByOne = new CsvParser();
    for (const b of bytes) oneByOne.push(new Uint8Array([b]));
    expect(nums(oneByOne.finish(), 'x')).toEqual([1.25, -350, 7]);
  });
});

describe('parseCsv: malformed input names the row', () => {
  it('too few or too many fields', () => {
    const e = errorOf(() => parseCsv('a,b,c\n1,2,3\n4,5\n'));
    expect(e.message).toBe('Malformed CSV: data row 2 (line 3) has 2 fields, expected 3 like the header.');
    expect(e.detail).toMatchObject({ row: 2, line: 3, fields: 2, expected: 3 });
    expect(errorOf(() => parseCsv('a,b\n1,2,3\n')).message).toContain('data row 1 (line 2) has 3 fields, expected 2');
  });

  it('counts lines inside quoted fields', () => {
    const e = errorOf(() => parseCsv('a,b\n"x\ny",1\n1\n'));
    expect(e.message).toContain('data row 2 (line 4) has 1 field, expected 2');
  });

  it('an unterminated quote', () => {
    const e = errorOf(() => parseCsv('a,b\n1,2\n3,"oops\n4,5\n'));
    expect(e.message).toBe('Malformed CSV: unterminated quote in line 3 (data row 2), field 2: a field opens with " and never closes.');
  });

  it('text after a closing quote', () => {
    expect(errorOf(() => parseCsv('a,b\n"x"y,1\n')).message).toContain('unexpected character after a closing quote');
  });

  it('an empty file and a duplicated header name', () => {
    expect(errorOf(() => parseCsv('')).message).toContain('empty');
    expect(errorOf(() => parseCsv('a,b,a\n1,2,3\n')).message).toContain('names column "a" twice');
  });
});

describe('readCsvFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'causeway-csv-'));

  it('reads plain and gzip files with the same result', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},${(i * 0.37).toFixed(5)},${i % 3 === 0 ? 'x' : 'y'}`);
    const text = `id,v,g\n${rows.join('\n')}\n`;
    writeFileSync(path.join(dir, 'd.csv'), text);
    writeFileSync(path.join(dir, 'd.csv.gz'), gzipSync(text));
    const plain = await readCsvFile(path.join(dir, 'd.csv'));
    const gz = await readCsvFile(path.join(dir, 'd.csv.gz'));
    expect(plain.rowCount).toBe(5000);
    expect(nums(gz, 'v')).toEqual(nums(plain, 'v'));
    expect(cat(gz, 'g')).toEqual(cat(plain, 'g'));
    expect(nums(plain, 'v')[4999]).toBe(Number((4999 * 0.37).toFixed(5)));
  });

  it('a missing file is a clear input error', async () => {
    await expect(readCsvFile(path.join(dir, 'nope.csv'))).rejects.toThrow(/Cannot read the data file .*nope\.csv": no such file/);
  });

  it('a corrupt gzip file is a clear input error', async () => {
    writeFileSync(path.join(dir, 'bad.csv.gz'), Buffer.from([0x1f, 0x8b, 1, 2, 3, 4]));
    await expect(readCsvFile(path.join(dir, 'bad.csv.gz'))).rejects.toThrow(/Cannot decompress/);
  });
});
