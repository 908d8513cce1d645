import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error';
import { toStandardKind } from './standard-model';
import { applyMapping, compileMapping, mappingSignature, parseMappingSpec, previewMapping, type MappingSpecInput } from './mapping';

const header = ['SPRIDEN_ID', 'SFRSTCR_TERM_CODE', 'FT_IND', 'HRS_ATT', 'HRS_EARNED', 'TERM_GPA_100', 'LEVL'];
const specInput: MappingSpecInput = {
  kind: 'term_enrollments',
  version: 3,
  assignments: [
    { field: 'student_key', column: 'SPRIDEN_ID' },
    { field: 'term', column: 'SFRSTCR_TERM_CODE', transform: { kind: 'termCode', preset: 'banner-yyyyss' } },
    { field: 'full_time', column: 'FT_IND', transform: { kind: 'cast', to: 'boolean' } },
    { field: 'credits_attempted', column: 'HRS_ATT', transform: { kind: 'cast', to: 'decimal' } },
    { field: 'credits_earned', column: 'HRS_EARNED', transform: { kind: 'cast', to: 'decimal' } },
    { field: 'term_gpa', column: 'TERM_GPA_100', transform: { kind: 'scale', from: { min: 0, max: 100 }, to: { min: 0, max: 4 } } },
    { field: 'level', column: 'LEVL', transform: { kind: 'crosswalk', map: { UG: 'undergraduate', GR: 'graduate' } } },
    { field: 'enrolled_at_census', constant: true },
  ],
};
const spec = parseMappingSpec(specInput);

describe('applyMapping', () => {
  it('maps a clean record into a typed standard-model row', () => {
    const { row, errors } = applyMapping(spec, header, ['A001', '202180', 'Y', '15', '12', '87.5', 'ug']);
    expect(errors).toEqual([]);
    expect(row).toEqual({
      student_key: 'A001',
      term: '202180',
      level: 'undergraduate',
      full_time: true,
      enrolled_at_census: true,
      credits_attempted: 15,
      credits_earned: 12,
      term_gpa: 3.5,
      cumulative_gpa: null,
      academic_standing: null,
      programme: null,
    });
  });

  it('reports each bad cell with field, column, raw value and message; null tokens are missing', () => {
    const { row, errors } = applyMapping(spec, header, ['A002', '202120', 'maybe', 'NULL', '=1+2', '87.5', 'XX']);
    expect(row.student_key).toBe('A002');
    expect(row.credits_attempted).toBeNull();
    expect(errors).toEqual([
      { field: 'term', column: 'SFRSTCR_TERM_CODE', value: '202120', message: 'Term code “202120”: suffix “20” is not in the season table (10, 50, 80); add it to the term rule.' },
      { field: 'full_time', column: 'FT_IND', value: 'maybe', message: '“maybe” is not a yes/no value; expected one of Y, YES, T, TRUE, 1, N, NO, F, FALSE, 0.' },
      { field: 'credits_earned', column: 'HRS_EARNED', value: '=1+2', message: '“=1+2” is not a number.' },
      { field: 'level', column: 'LEVL', value: 'XX', message: '“XX” is not in the crosswalk (known: “UG”, “GR”); add it to the mapping.' },
    ]);
  });

  it('checks transformed values against the field type', () => {
    const textSpec = parseMappingSpec({
      kind: 'students',
      version: 1,
      assignments: [
        { field: 'student_key', column: 'id' },
        { field: 'race_ethnicity', column: 'race' },
        { field: 'birth_year', column: 'yob' },
      ],
    });
    const good = applyMapping(textSpec, ['id', 'race', 'yob'], ['1', 'White', '2003']);
    expect(good.row).toMatchObject({ race_ethnicity: 'white', birth_year: 2003 });
    const bad = applyMapping(textSpec, ['id', 'race', 'yob'], ['1', 'Caucasian', '2003.5']);
    expect(bad.errors.map((e) => e.field)).toEqual(['race_ethnicity', 'birth_year']);
    expect(bad.errors[0]?.message).toContain('“Caucasian” is not a race_ethnicity category; use one of us_nonresident');
    expect(bad.errors[1]?.message).toBe('“2003.5” is not a whole number (birth_year).');
  });

  it('resolves columns by normalised name and names a missing column', () => {
    expect(applyMapping(spec, header.map((h) => h.toLowerCase()), ['A1', '202180', 'N', '3', '3', '50', 'GR']).row.term_gpa).toBe(2);
    expect(() => compileMapping(spec, ['SPRIDEN_ID'])).toThrow(AppError);
    expect(() => compileMapping(spec, ['SPRIDEN_ID'])).toThrow(/The column “SFRSTCR_TERM_CODE” mapped to term is not in the file/);
  });

  it('derives academic year and season from a term code in the terms dataset', () => {
    const terms = parseMappingSpec({
      kind: 'terms',
      version: 1,
      assignments: [
        { field: 'term_code', column: 'STRM', transform: { kind: 'termCode', preset: 'peoplesoft-cyyt' } },
        { field: 'start', column: 'BEGIN', transform: { kind: 'date', format: 'yyyy-mm-dd' } },
        { field: 'end', column: 'END', transform: { kind: 'date', format: 'yyyy-mm-dd' } },
      ],
    });
    const compiled = compileMapping(terms, ['STRM', 'BEGIN', 'END']);
    expect(compiled.unmappedRequired).toEqual([]);
    expect(compiled.apply(['1222', '2022-01-10', '2022-05-06']).row).toEqual({
      term_code: '1222',
      academic_year: 2021,
      season: 'spring',
      start: '2022-01-10',
      end: '2022-05-06',
      census_date: null,
    });
  });
});

describe('missing values', () => {
  it('reads the profiler’s missing spellings as empty, unless a crosswalk names them', () => {
    const s = parseMappingSpec({
      kind: 'students',
      version: 1,
      assignments: [
        { field: 'student_key', column: 'id' },
        { field: 'race_ethnicity', column: 'race', transform: { kind: 'crosswalk', map: { NA: 'american_indian_alaska_native' } } },
        { field: 'hs_gpa', column: 'gpa', transform: { kind: 'cast', to: 'decimal' } },
      ],
    });
    const { row, errors } = applyMapping(s, ['id', 'race', 'gpa'], ['1', 'NA', 'N/A']);
    expect(errors).toEqual([]);
    expect(row).toMatchObject({ race_ethnicity: 'american_indian_alaska_native', hs_gpa: null });
    expect(toStandardKind('term-enrollments')).toBe('term_enrollments');
    expect(toStandardKind('grades')).toBeUndefined();
  });
});

describe('parseMappingSpec', () => {
  it('rejects unknown and doubly mapped fields, and column+constant together', () => {
    const run = (assignments: unknown[]) => () => parseMappingSpec({ kind: 'students', version: 1, assignments });
    expect(run([{ field: 'shoe_size', column: 'x' }])).toThrow(/“shoe_size” is not a field of students/);
    expect(run([{ field: 'sex', column: 'a' }, { field: 'sex', column: 'b' }])).toThrow(/The field sex is mapped twice/);
    expect(run([{ field: 'sex', column: 'a', constant: 'female' }])).toThrow(/either a source column or a constant/);
  });
});

describe('previewMapping', () => {
  it('shows mapped sample rows with per-cell errors, including row rules', () => {
    const preview = previewMapping(specInput, header, [
      ['A001', '202180', 'Y', '15', '12', '87.5', 'UG'],
      ['', '202180', 'Y', '12', '15', '250', 'UG'],
      ['A003', 'FALL21', 'Q', '12', '12', '90', 'UG'],
    ], { firstRowNumber: 2 });
    expect(preview.rows.map((r) => r.rowNumber)).toEqual([2, 3, 4]);
    expect(preview.rows[0]?.errors).toEqual({});
    expect(preview.rows[0]?.values.term_gpa).toBe(3.5);
    expect(preview.rows[1]?.errors).toEqual({
      term_gpa: ['“250” is outside the source scale 0–100.'],
      student_key: ['student_key is required and empty.'],
      credits_earned: ['15 credits earned but only 12 attempted.'],
    });
    expect(Object.keys(preview.rows[2]?.errors ?? {})).toEqual(['term', 'full_time']);
    expect(preview.rowsWithErrors).toBe(2);
    expect(preview.cellErrors).toBe(5);
    expect(preview.unmappedRequired).toEqual([]);
    expect(preview.fields.find((f) => f.field === 'term')).toEqual({ field: 'term', column: 'SFRSTCR_TERM_CODE', type: 'term', required: true, derived: false });
    expect(preview.fields.find((f) => f.field === 'programme')?.column).toBeNull();
  });

  it('lists unmapped required fields once instead of an error per row', () => {
    const preview = previewMapping({ kind: 'awards', version: 1, assignments: [{ field: 'student_key', column: 'ID' }] }, ['ID'], [['1'], ['2']]);
    expect(preview.unmappedRequired).toEqual(['award_level', 'award_date']);
    expect(preview.cellErrors).toBe(0);
  });
});

describe('mappingSignature', () => {
  it('is stable under order, case and separators, and differs for other columns', () => {
    const a = mappingSignature(['SPRIDEN_ID', 'Term Code', 'GPA']);
    expect(a).toMatch(/^cols1:[0-9a-f]{64}$/);
    expect(mappingSignature(['gpa', 'spriden_id', 'termCode'])).toBe(a);
    expect(mappingSignature(['SPRIDEN_ID', 'TERM.CODE', 'GPA', 'GPA'])).toBe(a);
    expect(mappingSignature(['SPRIDEN_ID', 'Term Code'])).not.toBe(a);
  });
});
