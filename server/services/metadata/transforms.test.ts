import { describe, expect, it } from 'vitest';
import { applyTransform, expandYear, parseTermCode, termPresets, transformSpec, type TransformSpec } from './transforms';

const ok = (spec: TransformSpec, raw: string) => {
  const r = applyTransform(spec, raw);
  if (!r.ok) throw new Error(`expected ok for ${raw}: ${r.error}`);
  return r.value;
};
const err = (spec: TransformSpec, raw: string) => {
  const r = applyTransform(spec, raw);
  if (r.ok) throw new Error(`expected an error for ${raw}, got ${JSON.stringify(r.value)}`);
  return r.error;
};

describe('text', () => {
  const text = transformSpec.parse({ kind: 'text' });
  it('trims and keeps formula-looking values verbatim', () => {
    expect(ok(text, '  A123 ')).toBe('A123');
    expect(ok(text, '=HYPERLINK("x")')).toBe('=HYPERLINK("x")');
    expect(ok(text, '@SUM(A1)')).toBe('@SUM(A1)');
    expect(ok(text, '')).toBeNull();
  });
  it('changes case on request', () => {
    expect(ok({ kind: 'text', case: 'upper' }, 'fa')).toBe('FA');
  });
});

describe('cast', () => {
  it('reads integers, accepting 3.0 but not 3.5', () => {
    const int: TransformSpec = { kind: 'cast', to: 'integer' };
    expect(ok(int, '42')).toBe(42);
    expect(ok(int, '3.0')).toBe(3);
    expect(ok(int, '-7')).toBe(-7);
    expect(err(int, '3.5')).toBe('“3.5” is not a whole number.');
    expect(err(int, 'abc')).toBe('“abc” is not a number.');
  });
  it('reads decimals and never evaluates formulas', () => {
    const dec: TransformSpec = { kind: 'cast', to: 'decimal' };
    expect(ok(dec, ' 3.25 ')).toBe(3.25);
    expect(ok(dec, '.5')).toBe(0.5);
    expect(err(dec, '=1+2')).toBe('“=1+2” is not a number.');
    expect(err(dec, '+5')).toBe('“+5” is not a number.');
    expect(err(dec, '1e3')).toContain('not a number');
    expect(err(dec, '1,234')).toContain('not a number');
  });
  it('reads booleans with default and configured tokens', () => {
    const b: TransformSpec = { kind: 'cast', to: 'boolean' };
    expect(ok(b, 'Y')).toBe(true);
    expect(ok(b, 'n')).toBe(false);
    expect(ok(b, '1')).toBe(true);
    expect(ok(b, 'FALSE')).toBe(false);
    expect(err(b, 'maybe')).toBe('“maybe” is not a yes/no value; expected one of Y, YES, T, TRUE, 1, N, NO, F, FALSE, 0.');
    const load: TransformSpec = { kind: 'cast', to: 'boolean', trueTokens: ['F'], falseTokens: ['P', 'H'] };
    expect(ok(load, 'f')).toBe(true);
    expect(ok(load, 'H')).toBe(false);
    expect(err(load, 'Y')).toContain('expected one of F, P, H');
  });
});

describe('date', () => {
  const d = (format: string, extra: object = {}) => transformSpec.parse({ kind: 'date', format, ...extra });
  it('reads each supported format into ISO dates', () => {
    expect(ok(d('yyyy-mm-dd'), '2021-08-23')).toBe('2021-08-23');
    expect(ok(d('yyyy-mm-dd'), '2021-08-23 00:00:00')).toBe('2021-08-23');
    expect(ok(d('mm/dd/yyyy'), '08/23/2021')).toBe('2021-08-23');
    expect(ok(d('mm/dd/yyyy'), '8/3/2021')).toBe('2021-08-03');
    expect(ok(d('dd-MON-yy'), '23-AUG-21')).toBe('2021-08-23');
    expect(ok(d('dd-MON-yy'), '01-jan-75')).toBe('1975-01-01');
    expect(ok(d('dd-MON-yyyy'), '23-Aug-2021')).toBe('2021-08-23');
    expect(ok(d('yyyymmdd'), '20210823')).toBe('2021-08-23');
    expect(ok(d('m/d/yy'), '8/23/21')).toBe('2021-08-23');
    expect(ok(d('mm-dd-yyyy'), '08-23-2021')).toBe('2021-08-23');
    expect(ok(d('dd/mm/yyyy'), '23/08/2021')).toBe('2021-08-23');
    expect(ok(d('dd/mm/yy'), '23/08/21')).toBe('2021-08-23');
  });
  it('applies the pivot year to two-digit years', () => {
    expect(ok(d('m/d/yy'), '1/2/49')).toBe('2049-01-02');
    expect(ok(d('m/d/yy'), '1/2/50')).toBe('1950-01-02');
    expect(ok(d('m/d/yy', { pivotYear: 1920 }), '1/2/19')).toBe('2019-01-02');
    expect(ok(d('m/d/yy', { pivotYear: 1920 }), '1/2/21')).toBe('1921-01-02');
    expect(expandYear(5, 1950)).toBe(2005);
  });
  it('can keep only the year (birth date → birth_year)', () => {
    expect(ok(d('mm/dd/yyyy', { output: 'year' }), '03/15/2003')).toBe(2003);
  });
  it('rejects wrong formats and impossible dates with the reason', () => {
    expect(err(d('yyyy-mm-dd'), '08/23/2021')).toBe('“08/23/2021” is not a date in the format yyyy-mm-dd.');
    expect(err(d('yyyy-mm-dd'), '2021-02-29')).toBe('“2021-02-29” is not a real calendar date.');
    expect(err(d('mm/dd/yyyy'), '13/01/2021')).toBe('“13/01/2021” is not a real calendar date.');
    expect(err(d('dd-MON-yy'), '23-XYZ-21')).toBe('“23-XYZ-21”: “XYZ” is not a month abbreviation (JAN–DEC).');
  });
});

describe('crosswalk', () => {
  const race = transformSpec.parse({ kind: 'crosswalk', map: { WH: 'white', BL: 'black_african_american', '': 'unknown' } });
  it('maps case-insensitively, including an explicit empty entry', () => {
    expect(ok(race, 'wh')).toBe('white');
    expect(ok(race, ' BL ')).toBe('black_african_american');
    expect(ok(race, '')).toBe('unknown');
  });
  it('reports unknown codes by default, or uses the default / keeps them', () => {
    expect(err(race, 'XX')).toBe('“XX” is not in the crosswalk (known: “WH”, “BL”, “”); add it to the mapping.');
    expect(ok(transformSpec.parse({ kind: 'crosswalk', map: { Y: true }, unknown: 'default', default: false }), 'Q')).toBe(false);
    expect(ok(transformSpec.parse({ kind: 'crosswalk', map: {}, unknown: 'keep' }), 'Q')).toBe('Q');
  });
  it('can be case-sensitive', () => {
    const cs = transformSpec.parse({ kind: 'crosswalk', map: { a: 1 }, caseSensitive: true });
    expect(ok(cs, 'a')).toBe(1);
    expect(applyTransform(cs, 'A').ok).toBe(false);
  });
});

describe('term codes', () => {
  const banner: TransformSpec = { kind: 'termCode', preset: 'banner-yyyyss' };
  it('banner-yyyyss: 202180 = fall 2021, 202110 = spring 2021, 202150 = summer 2021', () => {
    expect(ok(banner, '202180')).toEqual({ termCode: '202180', academicYear: 2021, season: 'fall', calendarYear: 2021 });
    expect(ok(banner, '202110')).toEqual({ termCode: '202110', academicYear: 2020, season: 'spring', calendarYear: 2021 });
    expect(ok(banner, '202150')).toEqual({ termCode: '202150', academicYear: 2020, season: 'summer', calendarYear: 2021 });
    expect(err(banner, '202120')).toBe('Term code “202120”: suffix “20” is not in the season table (10, 50, 80); add it to the term rule.');
    expect(err(banner, '2021FA')).toBe('“2021FA” is not a six-digit term code (YYYYSS, e.g. 202180).');
  });
  it('banner-yyyyss-academic: the code year ends the academic year', () => {
    const t: TransformSpec = { kind: 'termCode', preset: 'banner-yyyyss-academic' };
    expect(ok(t, '202210')).toEqual({ termCode: '202210', academicYear: 2021, season: 'fall', calendarYear: 2021 });
    expect(ok(t, '202220')).toEqual({ termCode: '202220', academicYear: 2021, season: 'spring', calendarYear: 2022 });
    expect(ok(t, '202230')).toEqual({ termCode: '202230', academicYear: 2021, season: 'summer', calendarYear: 2022 });
  });
  it('peoplesoft-cyyt: 1218 = fall 2021, 1222 = spring 2022, 0998 = fall 1999', () => {
    const ps: TransformSpec = { kind: 'termCode', preset: 'peoplesoft-cyyt' };
    expect(ok(ps, '1218')).toEqual({ termCode: '1218', academicYear: 2021, season: 'fall', calendarYear: 2021 });
    expect(ok(ps, '1222')).toEqual({ termCode: '1222', academicYear: 2021, season: 'spring', calendarYear: 2022 });
    expect(ok(ps, '1226')).toMatchObject({ academicYear: 2021, season: 'summer' });
    expect(ok(ps, '0998')).toMatchObject({ academicYear: 1999, season: 'fall' });
    expect(err(ps, '2218')).toBe('Term code “2218”: century digit 2 is not 0 (1900s) or 1 (2000s).');
    expect(err(ps, '1214')).toContain('term digit “4” is not in the season table (2, 6, 8)');
  });
  it('yyyy-season: text in either order, canonical code YYYYSS-like', () => {
    const t: TransformSpec = { kind: 'termCode', preset: 'yyyy-season' };
    for (const raw of ['2021FA', 'Fall 2021', 'FA21', '2021 Fall Semester', 'fall-2021']) {
      expect(ok(t, raw)).toEqual({ termCode: '2021FA', academicYear: 2021, season: 'fall', calendarYear: 2021 });
    }
    expect(ok(t, 'Spring 2022')).toEqual({ termCode: '2022SP', academicYear: 2021, season: 'spring', calendarYear: 2022 });
    expect(ok(t, '2022SU')).toMatchObject({ academicYear: 2021, season: 'summer' });
    expect(ok(t, 'Winter 2022')).toMatchObject({ termCode: '2022WI', academicYear: 2021, season: 'winter' });
    expect(err(t, 'Fall')).toBe('Term “Fall” has no year (expected e.g. 2021FA or Fall 2021).');
    expect(err(t, '2021XX')).toContain('has no season word');
  });
  it('custom rules: summer opening the year, academic-year-start years', () => {
    const rule = { ...termPresets['banner-yyyyss'], summerBelongsTo: 'next' as const };
    expect(parseTermCode('202150', rule)).toEqual({ ok: true, value: { termCode: '202150', academicYear: 2021, season: 'summer', calendarYear: 2021 } });
    const start = { ...termPresets['banner-yyyyss-academic'], yearIs: 'academic-year-start' as const };
    expect(parseTermCode('202120', start)).toEqual({ ok: true, value: { termCode: '202120', academicYear: 2021, season: 'spring', calendarYear: 2022 } });
  });
  it('the spec needs a preset or a rule', () => {
    expect(transformSpec.safeParse({ kind: 'termCode' }).success).toBe(false);
  });
});

describe('scale', () => {
  const from100 = transformSpec.parse({ kind: 'scale', from: { min: 0, max: 100 }, to: { min: 0, max: 4 } });
  it('converts linearly and clamps rounding noise', () => {
    expect(ok(from100, '87.5')).toBe(3.5);
    expect(ok(from100, '100')).toBe(4);
    expect(ok(from100, '103')).toBe(4);
    expect(ok(transformSpec.parse({ kind: 'scale', from: { min: 0, max: 4.3 }, to: { min: 0, max: 4 } }), '4.3')).toBe(4);
  });
  it('rejects values well outside the source scale or not numbers', () => {
    expect(err(from100, '250')).toBe('“250” is outside the source scale 0–100.');
    expect(err(from100, 'A-')).toBe('“A-” is not a number.');
    const strict = transformSpec.parse({ kind: 'scale', from: { min: 0, max: 100 }, to: { min: 0, max: 4 }, clamp: false });
    expect(err(strict, '101')).toBe('“101” is outside the source scale 0–100.');
  });
  it('rejects an empty scale', () => {
    expect(transformSpec.safeParse({ kind: 'scale', from: { min: 0, max: 0 }, to: { min: 0, max: 4 } }).success).toBe(false);
  });
});

it('specs round-trip through JSON', () => {
  const spec = transformSpec.parse({ kind: 'termCode', rule: { format: 'yyyyss', seasons: { '40': 'fall' } } });
  expect(transformSpec.parse(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
});
