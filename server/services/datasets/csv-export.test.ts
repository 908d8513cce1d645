import { describe, expect, it } from 'vitest';
import { csvLine, escapeCsvCell, toCsv } from './csv-export';
import { tokenizeCsv } from './csv-tokenizer';

describe('escapeCsvCell', () => {
  it('leaves plain cells alone and quotes as RFC 4180 requires', () => {
    expect(escapeCsvCell('Biology')).toBe('Biology');
    expect(escapeCsvCell('Business, Management')).toBe('"Business, Management"');
    expect(escapeCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(escapeCsvCell('two\nlines')).toBe('"two\nlines"');
    expect(escapeCsvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(escapeCsvCell('a;b')).toBe('a;b');
    expect(escapeCsvCell('a;b', { delimiter: ';' })).toBe('"a;b"');
    expect(escapeCsvCell('')).toBe('');
  });

  it.each([
    ['=1+1', `"'=1+1"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+SUM(A1)', `"'+SUM(A1)"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
    ['-', `"'-"`],
    ['+', `"'+"`],
  ])('neutralises the formula %j', (input, expected) => {
    expect(escapeCsvCell(input)).toBe(expected);
  });

  it('keeps plain numbers numeric', () => {
    for (const n of ['-12', '+3.5', '-0.25', '-1e3', '42']) expect(escapeCsvCell(n)).toBe(n);
    expect(escapeCsvCell(-12.5)).toBe('-12.5');
  });

  it('writes other types', () => {
    expect(escapeCsvCell(null)).toBe('');
    expect(escapeCsvCell(undefined)).toBe('');
    expect(escapeCsvCell(Number.NaN)).toBe('');
    expect(escapeCsvCell(true)).toBe('true');
    expect(escapeCsvCell(10n)).toBe('10');
    expect(escapeCsvCell(new Date(Date.UTC(2021, 7, 23)))).toBe('2021-08-23T00:00:00.000Z');
  });
});

describe('toCsv', () => {
  it('streams a header and rows, with CRLF and an optional BOM', async () => {
    async function* rows(): AsyncGenerator<(string | number | null)[]> {
      yield [1, 'Smith, Ann', '=cmd|x'];
      yield [2, null, 'ok'];
    }
    const parts: string[] = [];
    for await (const line of toCsv(rows(), { header: ['id', 'name', 'note'], bom: true })) parts.push(line);
    expect(parts).toEqual(['\uFEFFid,name,note\r\n', `1,"Smith, Ann","'=cmd|x"\r\n`, '2,,ok\r\n']);
  });

  it('round-trips through the reader (apart from the formula prefix)', () => {
    const cells = ['a,b', 'q"q', 'multi\r\nline', '', 'plain'];
    const parsed = tokenizeCsv(csvLine(cells), ',');
    expect(parsed[0]!.fields).toEqual(cells);
    expect(csvLine(['x', 'y'], { delimiter: '\t', eol: '\n' })).toBe('x\ty\n');
  });
});
