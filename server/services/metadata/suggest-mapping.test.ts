import { describe, expect, it } from 'vitest';
import { normaliseName, compactName } from './synonyms';
import { suggestMapping, type ColumnProfile } from './suggest-mapping';

const columnsOf = (s: ReturnType<typeof suggestMapping>) => Object.fromEntries(s.fields.filter((f) => f.column).map((f) => [f.field, f.column]));
const profile = (column: string, examples: string[]): ColumnProfile => ({ column, examples });

describe('name normalisation', () => {
  it('ignores case, spaces, dots, underscores and camelCase', () => {
    expect(normaliseName('STUDENTS.ID')).toBe('students_id');
    expect(normaliseName('studentId')).toBe('student_id');
    expect(normaliseName('Student ID')).toBe('student_id');
    expect(normaliseName('  SFRSTCR_TERM_CODE ')).toBe('sfrstcr_term_code');
    expect(normaliseName('HSGPAValue')).toBe('hsgpa_value');
    expect(compactName('Academic_Period')).toBe(compactName('academicPeriod'));
  });
});

describe('suggestMapping', () => {
  it('Banner term-enrollment export', () => {
    const headers = ['SPRIDEN_ID', 'SFRSTCR_TERM_CODE', 'SGBSTDN_LEVL_CODE', 'SGBSTDN_FULL_PART_IND', 'SHRTGPA_HOURS_ATTEMPTED', 'SHRTGPA_HOURS_EARNED', 'SHRTGPA_GPA', 'SHRLGPA_GPA', 'SGBSTDN_MAJR_CODE_1', 'SPRIDEN_LAST_NAME'];
    const s = suggestMapping('term_enrollments', headers, [
      profile('SFRSTCR_TERM_CODE', ['202180', '202210', '202250']),
      profile('SGBSTDN_LEVL_CODE', ['UG', 'GR']),
      profile('SGBSTDN_FULL_PART_IND', ['F', 'P']),
      profile('SHRTGPA_GPA', ['3.25', '2.9', '4.0']),
    ]);
    expect(columnsOf(s)).toEqual({
      student_key: 'SPRIDEN_ID',
      term: 'SFRSTCR_TERM_CODE',
      level: 'SGBSTDN_LEVL_CODE',
      full_time: 'SGBSTDN_FULL_PART_IND',
      credits_attempted: 'SHRTGPA_HOURS_ATTEMPTED',
      credits_earned: 'SHRTGPA_HOURS_EARNED',
      term_gpa: 'SHRTGPA_GPA',
      cumulative_gpa: 'SHRLGPA_GPA',
      programme: 'SGBSTDN_MAJR_CODE_1',
    });
    const by = Object.fromEntries(s.fields.map((f) => [f.field, f]));
    expect(by.student_key?.confidence).toBeGreaterThanOrEqual(0.95);
    expect(by.student_key?.reason).toBe('“SPRIDEN_ID” is the Banner name SPRIDEN_ID.');
    expect(by.term?.transform).toEqual({ kind: 'termCode', preset: 'banner-yyyyss' });
    expect(by.level?.transform).toEqual({ kind: 'crosswalk', map: { UG: 'undergraduate', GR: 'graduate' }, caseSensitive: false, unknown: 'error' });
    expect(by.full_time?.transform).toMatchObject({ kind: 'cast', to: 'boolean', trueTokens: expect.arrayContaining(['F']), falseTokens: expect.arrayContaining(['P']) });
    expect(by.term_gpa?.transform).toEqual({ kind: 'cast', to: 'decimal' });
    expect(s.unmappedRequired).toEqual([]);
    expect(s.unmappedColumns).toEqual(['SPRIDEN_LAST_NAME']);
    expect(s.spec.assignments).toHaveLength(9);
  });

  it('PeopleSoft term export, with a GPA on a 100-point scale', () => {
    const headers = ['EMPLID', 'STRM', 'ACAD_CAREER', 'UNT_TAKEN_PRGRSS', 'UNT_PASSD_PRGRSS', 'CUR_GPA', 'CUM_GPA', 'ACAD_PROG', 'ACADEMIC_LOAD'];
    const s = suggestMapping('term_enrollments', headers, [
      profile('STRM', ['1218', '1222', '1226']),
      profile('ACAD_CAREER', ['UGRD', 'GRAD', 'LAW']),
      profile('CUR_GPA', ['88.5', '92', '71.25']),
      profile('ACADEMIC_LOAD', ['F', 'P', 'H']),
    ]);
    expect(columnsOf(s)).toEqual({
      student_key: 'EMPLID',
      term: 'STRM',
      level: 'ACAD_CAREER',
      full_time: 'ACADEMIC_LOAD',
      credits_attempted: 'UNT_TAKEN_PRGRSS',
      credits_earned: 'UNT_PASSD_PRGRSS',
      term_gpa: 'CUR_GPA',
      cumulative_gpa: 'CUM_GPA',
      programme: 'ACAD_PROG',
    });
    const by = Object.fromEntries(s.fields.map((f) => [f.field, f]));
    expect(by.term?.transform).toEqual({ kind: 'termCode', preset: 'peoplesoft-cyyt' });
    expect(by.term_gpa?.transform).toEqual({ kind: 'scale', from: { min: 0, max: 100 }, to: { min: 0, max: 4 }, clamp: true });
    expect(by.term_gpa?.transformReason).toContain('100 scale');
    expect(by.level?.transform).toMatchObject({ map: { UGRD: 'undergraduate', GRAD: 'graduate', LAW: 'professional' } });
  });

  it('Colleague students export with dotted names and local codes', () => {
    const headers = ['STUDENTS.ID', 'BIRTH.DATE', 'GENDER', 'PER.IPEDS.RACE.ETHNIC', 'STU.FIRST.GEN', 'STU.RESIDENCY.STATUS', 'STU.ENTRY.TERM', 'STU.TYPES', 'STU.DEGREE.SEEKING', 'HS.GPA'];
    const s = suggestMapping('students', headers, [
      profile('BIRTH.DATE', ['03/15/2003', '11/02/2002']),
      profile('GENDER', ['M', 'F', 'U']),
      profile('PER.IPEDS.RACE.ETHNIC', ['WH', 'BL', 'HIS', 'AS', 'NRA', 'ZZ']),
      profile('STU.FIRST.GEN', ['Y', 'N']),
      profile('STU.ENTRY.TERM', ['2021FA', '2022SP']),
      profile('STU.TYPES', ['FTIC', 'TR']),
      profile('HS.GPA', ['3.8', '4.4']),
    ]);
    expect(columnsOf(s)).toEqual({
      student_key: 'STUDENTS.ID',
      birth_year: 'BIRTH.DATE',
      sex: 'GENDER',
      race_ethnicity: 'PER.IPEDS.RACE.ETHNIC',
      first_generation: 'STU.FIRST.GEN',
      residency: 'STU.RESIDENCY.STATUS',
      cohort_term: 'STU.ENTRY.TERM',
      first_time: 'STU.TYPES',
      degree_seeking: 'STU.DEGREE.SEEKING',
      hs_gpa: 'HS.GPA',
    });
    const by = Object.fromEntries(s.fields.map((f) => [f.field, f]));
    expect(by.birth_year?.transform).toEqual({ kind: 'date', format: 'mm/dd/yyyy', pivotYear: 1920, output: 'year' });
    expect(by.sex?.transform).toMatchObject({ kind: 'crosswalk', map: { M: 'male', F: 'female', U: 'unknown' } });
    expect(by.race_ethnicity?.transform).toMatchObject({ map: { WH: 'white', BL: 'black_african_american', HIS: 'hispanic_latino', AS: 'asian', NRA: 'us_nonresident' } });
    expect(by.race_ethnicity?.transformReason).toContain('“ZZ” not recognised');
    expect(by.first_generation?.transform).toEqual({ kind: 'cast', to: 'boolean' });
    expect(by.cohort_term?.transform).toEqual({ kind: 'termCode', preset: 'yyyy-season' });
    expect(by.first_time?.transform).toEqual({ kind: 'crosswalk', map: { FTIC: true, TR: false }, caseSensitive: false, unknown: 'error' });
    expect(by.hs_gpa?.transform).toEqual({ kind: 'cast', to: 'decimal' });
    expect(s.unmappedRequired).toEqual([]);
  });

  it('Workday export with business-object names', () => {
    const headers = ['Student_ID', 'Academic_Period', 'Academic_Level', 'Academic_Load', 'Units_Attempted', 'Units_Earned', 'Term_GPA', 'Cumulative_GPA', 'Academic_Standing', 'Program_of_Study'];
    const s = suggestMapping('term_enrollments', headers, [profile('Academic_Period', ['2021 Fall Semester', '2022 Spring Semester'])]);
    expect(columnsOf(s)).toEqual({
      student_key: 'Student_ID',
      term: 'Academic_Period',
      level: 'Academic_Level',
      full_time: 'Academic_Load',
      credits_attempted: 'Units_Attempted',
      credits_earned: 'Units_Earned',
      term_gpa: 'Term_GPA',
      cumulative_gpa: 'Cumulative_GPA',
      academic_standing: 'Academic_Standing',
      programme: 'Program_of_Study',
    });
    expect(s.fields.find((f) => f.field === 'term')?.transform).toEqual({ kind: 'termCode', preset: 'yyyy-season' });
  });

  it('hand-made headers: camelCase, spaces, partial names', () => {
    const s = suggestMapping('awards', ['studentId', 'Degree Level', 'CIP Code', 'Date Conferred', 'Notes'], [profile('Date Conferred', ['15-MAY-22', '20-DEC-21'])]);
    expect(columnsOf(s)).toMatchObject({ student_key: 'studentId', award_level: 'Degree Level', cip: 'CIP Code' });
    // “Date Conferred” is no synonym; the field stays open for the admin and is listed.
    expect(s.unmappedRequired).toEqual(['award_date']);
    const withDate = suggestMapping('awards', ['studentId', 'Degree Level', 'Graduation Date'], [profile('Graduation Date', ['15-MAY-22', '20-DEC-21'])]);
    expect(withDate.fields.find((f) => f.field === 'award_date')).toMatchObject({
      column: 'Graduation Date',
      transform: { kind: 'date', format: 'dd-MON-yy' },
    });
  });

  it('never maps one column to two fields, and prefers the better claim', () => {
    // "TERM_CODE" names both term_code and (by value) nothing else; GPA is claimed by cumulative only once.
    const s = suggestMapping('term_enrollments', ['ID', 'TERM', 'GPA', 'CUM_GPA']);
    const cols = s.fields.filter((f) => f.column).map((f) => f.column);
    expect(new Set(cols).size).toBe(cols.length);
    expect(columnsOf(s)).toMatchObject({ student_key: 'ID', term: 'TERM', term_gpa: 'GPA', cumulative_gpa: 'CUM_GPA' });
  });

  it('lists required fields left unmapped, and values can find a term column', () => {
    const s = suggestMapping('participation', ['EMPLID', 'Cohort Code X', 'Attended'], [profile('Cohort Code X', ['1218', '1222'])]);
    expect(columnsOf(s)).toEqual({ student_key: 'EMPLID', term: 'Cohort Code X', participated: 'Attended' });
    expect(s.fields.find((f) => f.field === 'term')?.confidence).toBeLessThan(0.5);
    expect(s.unmappedRequired).toEqual(['intervention']);
  });

  it('terms dataset: season and academic year derive from the term code', () => {
    const s = suggestMapping('terms', ['STVTERM_CODE', 'STVTERM_START_DATE', 'STVTERM_END_DATE', 'SOBPTRM_CENSUS_DATE'], [
      profile('STVTERM_CODE', ['202180', '202210']),
      profile('STVTERM_START_DATE', ['23-AUG-21', '10-JAN-22']),
    ]);
    expect(columnsOf(s)).toEqual({ term_code: 'STVTERM_CODE', start: 'STVTERM_START_DATE', end: 'STVTERM_END_DATE', census_date: 'SOBPTRM_CENSUS_DATE' });
    expect(s.unmappedRequired).toEqual([]);
    expect(s.fields.find((f) => f.field === 'season')?.reason).toBe('Derived from the term code.');
  });

  it('accepts the datasets profiler’s column profiles (name, format, term-code type)', () => {
    // Shape of server/services/datasets/profile.ts ColumnProfile (fields suggestion does not read omitted).
    const s = suggestMapping('awards', ['PIDM', 'SHRDGMR_DEGC_CODE', 'SHRDGMR_GRAD_DATE'], [
      { name: 'SHRDGMR_GRAD_DATE', inferredType: 'date', format: 'dd/mm/yyyy', examples: ['03/05/2022', '14/12/2021'], min: '2021-12-14', max: '2022-05-03', topValues: [] },
      { name: 'SHRDGMR_DEGC_CODE', inferredType: 'text', format: null, examples: ['BA', 'AAS'], topValues: [{ value: 'BA', count: 80 }, { value: 'AAS', count: 20 }] },
    ]);
    expect(columnsOf(s)).toEqual({ student_key: 'PIDM', award_level: 'SHRDGMR_DEGC_CODE', award_date: 'SHRDGMR_GRAD_DATE' });
    const by = Object.fromEntries(s.fields.map((f) => [f.field, f]));
    expect(by.award_date?.transform).toMatchObject({ kind: 'date', format: 'dd/mm/yyyy' });
    expect(by.award_level?.transform).toMatchObject({ map: { BA: 'bachelor', AAS: 'associate' } });
  });

  it('a column whose values do not fit loses confidence', () => {
    const s = suggestMapping('term_enrollments', ['STUDENT_ID', 'TERM_GPA'], [profile('TERM_GPA', ['A', 'B+', 'C'])]);
    const gpa = s.fields.find((f) => f.field === 'term_gpa');
    expect(gpa?.confidence).toBeLessThan(0.5);
    expect(gpa?.reason).toContain('its values are not numbers');
  });
});

describe('student-type codes', () => {
  it('reads Banner STYP codes F/T as first-time/transfer, not as false/true flags', () => {
    const s = suggestMapping('students', ['SPRIDEN_ID', 'SGBSTDN_STYP_CODE', 'FIRST_GEN_IND'], [
      { column: 'SGBSTDN_STYP_CODE', examples: ['F', 'T'], topValues: [{ value: 'F', count: 9 }, { value: 'T', count: 2 }] },
      { column: 'FIRST_GEN_IND', examples: ['Y', 'N'] },
    ]);
    const by = Object.fromEntries(s.fields.map((f) => [f.field, f]));
    expect(by.first_time?.transform).toEqual({ kind: 'crosswalk', map: { F: true, T: false }, caseSensitive: false, unknown: 'error' });
    expect(by.first_generation?.transform).toEqual({ kind: 'cast', to: 'boolean' });
  });
});
