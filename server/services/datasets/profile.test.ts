import { describe, expect, it } from 'vitest';
import { HyperLogLog, murmur3 } from './hyperloglog';
import { profileCsv } from './profile-csv';
import { DatasetProfiler, datasetProfileSchema, type ColumnProfile } from './profile';
import { TopValues } from './top-values';
import { matchDates, matchTermCode } from './value-patterns';

const FIXTURE = [
  'student_id,term,strm,entry_date,birth,banner_dt,pell,first_gen,hs_gpa,credits,major,note,season_term',
  '1001,202180,1218,2021-08-23,03/14/2003,15-AUG-21,Y,1,3.50,12,Biology,=HYPERLINK("x"),2021FA',
  '1002,202180,1218,2021-08-23,11/02/2002,15-AUG-21,N,0,3.9,15,Biology,ok,2021FA',
  '1003,202210,1222,2022-01-10,07/30/2003,10-JAN-22,Y,0,NA,9,Chemistry,-5,2022SP',
  '1004,202210,1222,2022-01-10,01/01/2001,10-JAN-22,N,1,2.75,,"Business, Management",@SUM(A1),2022SP',
  '1005,202180,1218,2021-08-23,12/31/2002,15-AUG-21,N,0,.,12,Biology,+ok,2021FA',
  '1006,202220,1224,2022-05-16,02/29/2004,16-MAY-22,Y,1,4.0,6,NULL,,2022SU',
].join('\n');

const col = (cols: ColumnProfile[], name: string): ColumnProfile => cols.find((c) => c.name === name)!;

describe('profile of a small fixture', async () => {
  const result = await profileCsv([new TextEncoder().encode(FIXTURE)]);
  const cols = result.profile.columns;

  it('is valid against the exported schema and JSON round-trips', () => {
    expect(datasetProfileSchema.parse(JSON.parse(JSON.stringify(result.profile)))).toEqual(result.profile);
    expect(result.profile.rowCount).toBe(6);
    expect(result.profile.columnCount).toBe(13);
  });

  it('infers every type', () => {
    const types = Object.fromEntries(cols.map((c) => [c.name, [c.inferredType, c.format]]));
    expect(types).toEqual({
      student_id: ['integer', null],
      term: ['term-code', 'yyyyTT'],
      strm: ['term-code', 'STRM'],
      entry_date: ['date', 'yyyy-mm-dd'],
      birth: ['date', 'mm/dd/yyyy'],
      banner_dt: ['date', 'dd-MON-yy'],
      pell: ['boolean', 'Y/N'],
      first_gen: ['boolean', '1/0'],
      hs_gpa: ['decimal', null],
      credits: ['integer', null],
      major: ['text', null],
      note: ['text', null],
      season_term: ['term-code', 'yyyySS'],
    });
  });

  it('reports missing rate, distinct counts, min/max and lengths', () => {
    const gpa = col(cols, 'hs_gpa');
    expect(gpa).toMatchObject({ count: 6, missingCount: 2, missingRate: 2 / 6, min: 2.75, max: 4, distinct: { count: 4, exact: true }, conformance: 1 });
    expect(col(cols, 'credits')).toMatchObject({ missingCount: 1, min: 6, max: 15, distinct: { count: 4, exact: true } });
    expect(col(cols, 'student_id')).toMatchObject({ min: 1001, max: 1006, distinct: { count: 6, exact: true }, minLength: 4, maxLength: 4 });
    expect(col(cols, 'birth')).toMatchObject({ min: '2001-01-01', max: '2004-02-29' });
    expect(col(cols, 'banner_dt')).toMatchObject({ min: '2021-08-15', max: '2022-05-16' });
    expect(col(cols, 'term')).toMatchObject({ min: '202180', max: '202220' });
    expect(col(cols, 'major')).toMatchObject({ missingCount: 1, distinct: { count: 3, exact: true }, min: null, max: null });
  });

  it('reports top values with counts and examples', () => {
    expect(col(cols, 'major').topValues).toEqual([
      { value: 'Biology', count: 3 },
      { value: 'Business, Management', count: 1 },
      { value: 'Chemistry', count: 1 },
    ]);
    expect(col(cols, 'major').topValuesExact).toBe(true);
    expect(col(cols, 'term').topValues).toEqual([
      { value: '202180', count: 3 },
      { value: '202210', count: 2 },
      { value: '202220', count: 1 },
    ]);
    expect(col(cols, 'student_id').examples).toEqual(['1001', '1002', '1003', '1004', '1005']);
  });

  it('counts formula-like values that are not numbers', () => {
    // =HYPERLINK, @SUM and +ok count; -5 is a number.
    expect(col(cols, 'note').formulaLike).toEqual({ count: 3, share: 3 / 5 });
    expect(col(cols, 'hs_gpa').formulaLike.count).toBe(0);
  });
});

describe('type inference details', () => {
  const profileOf = (values: string[]): ColumnProfile => {
    const p = new DatasetProfiler(['x']);
    for (const v of values) p.add([v]);
    return p.finish().columns[0]!;
  };

  it('tolerates up to 2% stray values and shows them', () => {
    const values = [...Array.from({ length: 99 }, (_, i) => String(i)), 'unknown'];
    expect(profileOf(values)).toMatchObject({ inferredType: 'integer', conformance: 0.99, nonConformingExamples: ['unknown'] });
    const worse = [...Array.from({ length: 95 }, (_, i) => String(i)), 'a', 'b', 'c', 'd', 'e'];
    expect(profileOf(worse).inferredType).toBe('text');
  });

  it('prefers decimal when some numbers have decimals', () => {
    expect(profileOf(['1', '2', '2.5', '3']).inferredType).toBe('decimal');
  });

  it('reads day-first dates when the day exceeds 12', () => {
    expect(profileOf(['25/12/2021', '01/02/2022', '13/01/2020'])).toMatchObject({ inferredType: 'date', format: 'dd/mm/yyyy', min: '2020-01-13', max: '2022-02-01' });
    expect(profileOf(['01/02/2022', '03/04/2021'])).toMatchObject({ format: 'mm/dd/yyyy' });
    expect(profileOf(['3/4/98', '12/1/01'])).toMatchObject({ format: 'mm/dd/yy', min: '1998-03-04', max: '2001-12-01' });
  });

  it('recognises yyyymmdd and rejects impossible dates', () => {
    expect(profileOf(['20210823', '20220110'])).toMatchObject({ inferredType: 'date', format: 'yyyymmdd' });
    expect(profileOf(['20210230', '20221340']).inferredType).toBe('integer');
  });

  it('does not mistake SAT scores for PeopleSoft terms', () => {
    expect(profileOf(['1200', '1350', '1010', '1600']).inferredType).toBe('integer');
    expect(profileOf(['1218', '1222', '1226', '1228', '1218', '1222', '1226', '1228']).inferredType).toBe('term-code');
    expect(profileOf(['1001', '1002', '1003', '1004']).inferredType).toBe('integer');
  });

  it('calls an all-missing column empty', () => {
    expect(profileOf(['', 'NA', 'null', ' . '])).toMatchObject({ inferredType: 'empty', missingRate: 1, minLength: null, distinct: { count: 0, exact: true } });
  });

  it('matches the SIS date and term shapes', () => {
    const formats = (v: string): string[] => {
      const out: string[] = [];
      matchDates(v, (f) => out.push(f));
      return out;
    };
    expect(formats('2021-08-23T10:00:00Z')).toEqual(['yyyy-mm-dd']);
    expect(formats('03/04/2021')).toEqual(['mm/dd/yyyy', 'dd/mm/yyyy']);
    expect(formats('15-aug-2021')).toEqual(['dd-MON-yyyy']);
    expect(formats('08-23-2021')).toEqual(['mm-dd-yyyy']);
    expect(formats('2021-02-29')).toEqual([]);
    expect(matchTermCode('FA2021')).toEqual({ format: 'SSyyyy', part: 'FA' });
    expect(matchTermCode('21/SP')).toEqual({ format: 'yy/SS', part: 'SP' });
    expect(matchTermCode('2021 Fall')).toEqual({ format: 'yyyySS', part: 'FALL' });
    expect(matchTermCode('123456')).toBeNull();
  });
});

describe('bounded-memory summaries', () => {
  it('estimates 1,000,000 distinct values within 2%', () => {
    const hll = new HyperLogLog(14);
    for (let i = 0; i < 1_000_000; i++) hll.add(`S${i}`);
    expect(Math.abs(hll.estimate() / 1_000_000 - 1)).toBeLessThan(0.02);
  });

  it('is accurate at small and middle cardinalities too', () => {
    for (const n of [1_000, 20_000, 60_000, 200_000]) {
      const hll = new HyperLogLog(14);
      for (let i = 0; i < n; i++) hll.add(`id-${i * 7919}`);
      expect(Math.abs(hll.estimate() / n - 1)).toBeLessThan(0.03);
    }
  });

  it('switches the profiler from exact to estimated distinct counts', () => {
    const p = new DatasetProfiler(['id', 'flag'], { exactDistinctCap: 1000 });
    for (let i = 0; i < 50_000; i++) p.add([String(100000 + i), i % 3 === 0 ? 'Y' : 'N']);
    const [id, flag] = p.finish().columns;
    expect(id!.distinct.exact).toBe(false);
    expect(Math.abs(id!.distinct.count / 50_000 - 1)).toBeLessThan(0.03);
    expect(id!.topValuesExact).toBe(false);
    expect(flag!.distinct).toEqual({ count: 2, exact: true });
    expect(flag!.topValues).toEqual([
      { value: 'N', count: 33_333 },
      { value: 'Y', count: 16_667 },
    ]);
  });

  it('keeps heavy hitters with Misra–Gries error bounds', () => {
    const top = new TopValues(100, 200);
    const truth = new Map<string, number>();
    for (let i = 0; i < 100_000; i++) {
      const v = i % 10 === 0 ? `hot${i % 50}` : `cold${i}`;
      truth.set(v, (truth.get(v) ?? 0) + 1);
      top.add(v);
    }
    expect(top.isExact).toBe(false);
    const reported = top.top(5);
    expect(reported.map((r) => r.value).sort()).toEqual(['hot0', 'hot10', 'hot20', 'hot30', 'hot40']);
    for (const r of reported) {
      expect(r.count).toBeLessThanOrEqual(truth.get(r.value)!);
      expect(r.count).toBeGreaterThanOrEqual(truth.get(r.value)! - top.maxError);
    }
  });

  it('hashes with MurmurHash3 x86_32', () => {
    // Reference values: the same function over UTF-16 code units is deterministic and spreads bits.
    expect(murmur3('')).toBe(murmur3(''));
    expect(murmur3('a')).not.toBe(murmur3('b'));
  });
});
