import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error';
import { openCsvTable, readCsvRecords, type CsvProblem, type CsvRow } from './csv-records';
import { tokenizeCsv } from './csv-tokenizer';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
/** Splits bytes into pieces of `size` so every chunk boundary is exercised. */
const chunked = (bytes: Uint8Array, size: number): Uint8Array[] => {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
};
const rowsOf = async (table: { rows: AsyncIterable<CsvRow> }): Promise<CsvRow[]> => {
  const out: CsvRow[] = [];
  for await (const r of table.rows) out.push(r);
  return out;
};
const rejection = async (p: Promise<unknown>): Promise<AppError> => {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a rejection');
};
const readAll = async (text: string | Uint8Array, options: Parameters<typeof openCsvTable>[1] = {}) => {
  const table = await openCsvTable([typeof text === 'string' ? utf8(text) : text], options);
  return { table, rows: await rowsOf(table) };
};

describe('CSV tokenizer (RFC 4180)', () => {
  it('handles quoted delimiters, embedded newlines and doubled quotes', () => {
    const text = 'id,name,note\r\n1,"Smith, Ann","said ""hi""\r\nthen left"\r\n2,Bo,\r\n';
    expect(tokenizeCsv(text, ',')).toEqual([
      { line: 1, fields: ['id', 'name', 'note'] },
      { line: 2, fields: ['1', 'Smith, Ann', 'said "hi"\r\nthen left'] },
      { line: 4, fields: ['2', 'Bo', ''] },
    ]);
  });

  it('accepts LF, CRLF and lone CR line breaks, and a missing final break', () => {
    const expected = [['a', 'b'], ['1', '2'], ['3', '4']];
    for (const eol of ['\n', '\r\n', '\r']) {
      const records = tokenizeCsv(['a,b', '1,2', '3,4'].join(eol), ',');
      expect(records.map((r) => r.fields)).toEqual(expected);
      expect(records.map((r) => r.line)).toEqual([1, 2, 3]);
    }
  });

  it('skips blank lines but keeps a quoted empty field', () => {
    expect(tokenizeCsv('a\n\n1\n""\n\n', ',').map((r) => r.fields)).toEqual([['a'], ['1'], ['']]);
  });

  it('keeps stray quotes inside unquoted fields literally', () => {
    expect(tokenizeCsv('h,w\n5\'10",x\n', ',')[1]!.fields).toEqual(['5\'10"', 'x']);
  });

  it('gives the same records whatever the chunking', async () => {
    const text = 'id;name;note\r\n1;"Smith; Ann";"line one\r\nline two"\r\n2;"Zoë ""Z""";ñ\r3;x;y\n';
    const whole = await collect(readCsvRecords([utf8(text)], { delimiter: ';', encoding: 'utf-8' }));
    for (const size of [1, 2, 3, 7]) {
      const pieces = await collect(readCsvRecords(chunked(utf8(text), size), { delimiter: ';', encoding: 'utf-8' }));
      expect(pieces).toEqual(whole);
    }
    expect(whole.map((r) => r.line)).toEqual([1, 2, 4, 5]);
    expect(whole[2]!.fields).toEqual(['2', 'Zoë "Z"', 'ñ']);
  });
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('openCsvTable', () => {
  it('detects the format, strips the BOM and yields numbered rows', async () => {
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('id\tname\n1\tZoë\n2\t"Lee\tBo"\n')]);
    const { table, rows } = await readAll(bytes);
    expect(table.format).toMatchObject({ encoding: 'utf-8-bom', delimiter: '\t', hasHeader: true });
    expect(table.header).toEqual(['id', 'name']);
    expect(rows).toEqual([
      { row: 1, line: 2, fields: ['1', 'Zoë'] },
      { row: 2, line: 3, fields: ['2', 'Lee\tBo'] },
    ]);
  });

  it('decodes Latin-1 (é, ñ) correctly, also through a Node Readable', async () => {
    const bytes = Buffer.from('id,name,city\n1,José Muñoz,Bogotá\n2,Renée,Köln\n', 'latin1');
    const table = await openCsvTable(Readable.from(chunked(bytes, 5).map((c) => Buffer.from(c))));
    expect(table.format.encoding).toBe('latin-1');
    expect((await rowsOf(table)).map((r) => r.fields[1])).toEqual(['José Muñoz', 'Renée']);
  });

  it('reports a ragged row with row and line numbers', async () => {
    const lines = ['a,b,c,d,e,f', ...Array.from({ length: 16 }, (_, i) => `${i},1,2,3,4,5`), '16,1,2,3,4', '17,1,2,3,4,5'];
    const e = await rejection(readAll(lines.join('\n')));
    expect(e.message).toBe('Row 17 (line 18) has 5 fields; the header has 6.');
    expect(e.details).toMatchObject({ code: 'ragged-row', row: 17, line: 18 });
  });

  it('counts lines inside quoted fields in that message', async () => {
    const e = await rejection(readAll('a,b\n1,"two\nlines"\n2\n'));
    expect(e.message).toBe('Row 2 (line 4) has 1 field; the header has 2.');
  });

  it('collects every problem when asked, and skips ragged rows', async () => {
    const problems: CsvProblem[] = [];
    const { table, rows } = await readAll('id,,ID\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n', { onProblem: (p) => problems.push(p) });
    expect(table.header).toEqual(['id', 'column_2', 'ID_2']);
    expect(problems.map((p) => p.message)).toEqual([
      'Column 2 has no name in the header row. Give every column a name.',
      'The header names “ID” twice (columns 1 and 3). Give every column a unique name.',
      'Row 2 (line 3) has 2 fields; the header has 3.',
      'Row 3 (line 4) has 4 fields; the header has 3.',
    ]);
    expect(rows.map((r) => r.row)).toEqual([1, 4]);
    expect(table.stats).toEqual({ rows: 4, skippedRows: 2, problems: 4 });
  });

  it('fails fast on header problems without a collector', async () => {
    expect((await rejection(readAll('id,name,id\n1,a,2\n'))).message).toBe('The header names “id” twice (columns 1 and 3). Give every column a unique name.');
    expect((await rejection(readAll('id,,x\n1,2,3\n'))).message).toBe('Column 2 has no name in the header row. Give every column a name.');
  });

  it('reports an unbalanced quote with the line it opened on', async () => {
    const lines = ['id,note', ...Array.from({ length: 38 }, (_, i) => `${i},ok`), '39,"never closed', '40,x', '41,y'];
    const e = await rejection(readAll(lines.join('\n')));
    expect(e.message).toBe('A quote opened on line 40 is never closed. Check that field for a stray double quote (").');
  });

  it('stops a record longer than the limit, naming its line', async () => {
    const big = `id,note\n1,ok\n2,"${'x'.repeat(5000)}\n3,z\n`;
    const e = await rejection(readAll(big, { maxRecordBytes: 1000 }));
    expect(e.message).toBe(
      'The record starting on line 3 is longer than 1000 bytes: a quote opened on line 3 is probably never closed. Check that field for a stray double quote (").',
    );
    const e2 = await rejection(readAll(`id,note\n1,${'y'.repeat(3000)}\n`, { maxRecordBytes: 2048 }));
    expect(e2.message).toBe('The record starting on line 2 is longer than 2 KB. Check that the file has one record per line.');
  });

  it('rejects an empty file, a blank file and a header-only file', async () => {
    const empty = 'The file is empty. Export the data again with a header row and at least one data row.';
    expect((await rejection(openCsvTable([]))).message).toBe(empty);
    expect((await rejection(openCsvTable([new Uint8Array(0)]))).message).toBe(empty);
    expect((await rejection(readAll('\n\n'))).message).toBe(empty);
    const headerOnly = 'The file has a header row but no data rows. Export it again with the data included.';
    expect((await rejection(readAll('id,name\n'))).message).toBe(headerOnly);
    expect((await rejection(readAll('id,name'))).message).toBe(headerOnly);
  });

  it('rejects a binary file before reading further, and closes the source', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]);
        yield utf8('more');
      } finally {
        closed = true;
      }
    }
    const e = await rejection(openCsvTable(source()));
    expect(e.message).toBe('This looks like a binary file (a ZIP archive or Excel .xlsx workbook), not CSV. Export the data as CSV or TSV.');
    expect(closed).toBe(true);
  });

  it('rejects invalid UTF-8 found after the sample', async () => {
    const head = utf8(`id,name\n${'1,Ann\n'.repeat(20)}`);
    const tail = Buffer.from('2,José\n', 'latin1');
    const table = await openCsvTable([head, tail], { sampleBytes: head.length });
    expect(table.format.encoding).toBe('utf-8');
    const e = await rejection(rowsOf(table));
    expect(e.message).toBe('The file is not valid UTF-8 after line 22: it mixes text encodings. Export it again as UTF-8 (or all of it as Latin-1).');
  });

  it('takes the delimiter from the caller when given', async () => {
    const { table, rows } = await readAll('a;b\n1;2\n', { format: { delimiter: ',' } });
    expect(table.header).toEqual(['a;b']);
    expect(rows[0]!.fields).toEqual(['1;2']);
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield utf8('id\n');
        for (let i = 0; i < 1_000; i++) yield utf8(`${i}\n`);
      } finally {
        closed = true;
      }
    }
    const table = await openCsvTable(source(), { sampleBytes: 16 });
    for await (const r of table.rows) if (r.row === 3) break;
    expect(closed).toBe(true);
  });
});
