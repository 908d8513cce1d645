import { describe, expect, it } from 'vitest';
import { compileMapping, parseMappingSpec } from './mapping';
import { checkRow, createValidator, hasErrors } from './validate';

const today = '2024-06-30';

describe('checkRow', () => {
  it('required, range, allowed values and plausible birth year', () => {
    const problems = checkRow(
      'students',
      { student_key: 'S1', birth_year: 1890, sex: 'm', hs_gpa: 5.5, cohort_term: null, first_time: true, degree_seeking: true },
      { today },
    );
    expect(problems.map((p) => [p.rule, p.field])).toEqual([
      ['range', 'birth_year'],
      ['allowed_values', 'sex'],
      ['range', 'hs_gpa'],
      ['required', 'cohort_term'],
    ]);
    expect(problems[0]?.message).toBe('birth_year 1890 is outside 1900–2024.');
    expect(checkRow('students', { student_key: 'S1', birth_year: 2025, cohort_term: 'x', first_time: true, degree_seeking: true }, { today })[0]?.message).toBe(
      'birth_year 2025 is outside 1900–2024.',
    );
  });

  it('GPA within the institution’s scale', () => {
    const row = { student_key: 'S1', term: '202180', term_gpa: 4.2 };
    expect(checkRow('term_enrollments', row, { today }).map((p) => p.rule)).toEqual(['range']);
    expect(checkRow('term_enrollments', row, { today, gpaMax: 4.3 })).toEqual([]);
  });

  it('term dates: order, census within the term, plausible years', () => {
    const problems = checkRow(
      'terms',
      { term_code: '202180', academic_year: 2021, season: 'fall', start: '2021-08-23', end: '2021-08-01', census_date: '2021-09-30' },
      { today },
    );
    expect(problems.map((p) => p.rule)).toEqual(['term_dates_order', 'census_within_term']);
    const future = checkRow('awards', { student_key: 'S1', award_level: 'bachelor', award_date: '2031-05-01' }, { today });
    expect(future).toEqual([
      { rule: 'plausible_date', field: 'award_date', value: '2031-05-01', message: 'award_date 2031-05-01 is not plausible (expected 1950 to 2025-06-30).' },
    ]);
  });
});

describe('createValidator', () => {
  // A small enrollments file: one duplicate (row 3 repeats row 1), two rows of an unknown student,
  // one unknown term, one unreadable GPA, one empty key, one credits warning.
  const header = ['ID', 'TERM', 'ATT', 'EARNED', 'GPA'];
  const spec = parseMappingSpec({
    kind: 'term_enrollments',
    version: 1,
    assignments: [
      { field: 'student_key', column: 'ID' },
      { field: 'term', column: 'TERM', transform: { kind: 'termCode', preset: 'banner-yyyyss' } },
      { field: 'credits_attempted', column: 'ATT', transform: { kind: 'cast', to: 'decimal' } },
      { field: 'credits_earned', column: 'EARNED', transform: { kind: 'cast', to: 'decimal' } },
      { field: 'term_gpa', column: 'GPA', transform: { kind: 'cast', to: 'decimal' } },
    ],
  });
  const records = [
    ['S1', '202180', '12', '12', '3.2'], // row 1
    ['S2', '202180', '12', '9', '2.8'], // row 2
    ['S1', '202180', '12', '12', '3.2'], // row 3: duplicate of row 1
    ['S9', '202180', '12', '12', '3.0'], // row 4: unknown student
    ['S9', '202210', '12', '12', '3.0'], // row 5: unknown student again
    ['S2', '202150', '6', '6', 'A'], // row 6: unknown term, unreadable GPA
    ['', '202210', '12', '15', '3.0'], // row 7: empty key, earned > attempted
  ];
  const compiled = compileMapping(spec, header);

  const run = (maxExamples?: number) => {
    const validator = createValidator('term_enrollments', {
      today,
      knownStudents: new Set(['S1', 'S2', 'S3']),
      knownTerms: new Set(['202180', '202210']),
      columns: compiled.columnOf,
      maxExamples,
    });
    records.forEach((record, i) => {
      const { row, errors } = compiled.apply(record);
      validator.add(row, i + 1, errors);
    });
    return { report: validator.finish(), rows: validator.rowCount };
  };

  it('reports counts and examples per rule, errors first', () => {
    const { report, rows } = run();
    expect(rows).toBe(7);
    expect(report.map((r) => [r.rule, r.severity, r.count])).toEqual([
      ['required', 'error', 1],
      ['type', 'error', 1],
      ['duplicate_key', 'error', 1],
      ['unknown_student', 'error', 2],
      ['unknown_term', 'error', 1],
      ['credits_earned_exceed_attempted', 'warning', 1],
    ]);
    const by = Object.fromEntries(report.map((r) => [r.rule, r]));
    expect(by.duplicate_key?.examples).toEqual([
      { row: 3, column: 'ID + TERM', value: 'S1 / 202180', message: 'student_key S1, term 202180 already appears in row 1.' },
    ]);
    expect(by.unknown_student?.examples.map((e) => [e.row, e.column, e.value])).toEqual([
      [4, 'ID', 'S9'],
      [5, 'ID', 'S9'],
    ]);
    expect(by.unknown_term?.examples[0]).toEqual({ row: 6, column: 'TERM', value: '202150', message: 'Term 202150 (term) is not in the terms data.' });
    expect(by.type?.examples[0]).toEqual({ row: 6, column: 'GPA', value: 'A', message: '“A” is not a number.' });
    expect(by.required?.examples[0]).toMatchObject({ row: 7, column: 'ID', message: 'student_key is required and empty.' });
    expect(hasErrors(report)).toBe(true);
  });

  it('keeps at most maxExamples examples but counts everything', () => {
    const { report } = run(1);
    const unknown = report.find((r) => r.rule === 'unknown_student');
    expect(unknown?.count).toBe(2);
    expect(unknown?.examples).toHaveLength(1);
  });

  it('a clean dataset has an empty report', () => {
    const validator = createValidator('students', { today });
    validator.add({ student_key: 'S1', cohort_term: '202180', first_time: true, degree_seeking: true }, 1);
    validator.add({ student_key: 'S2', cohort_term: '202180', first_time: false, degree_seeking: true }, 2);
    expect(validator.finish()).toEqual([]);
    expect(hasErrors([])).toBe(false);
  });

  it('checks many rows without keeping them (bounded examples)', () => {
    const validator = createValidator('students', { today });
    for (let i = 0; i < 20_000; i++) validator.add({ student_key: `S${i % 10_000}`, cohort_term: 'T', first_time: true, degree_seeking: true }, i + 1);
    const [dup] = validator.finish();
    expect(dup).toMatchObject({ rule: 'duplicate_key', count: 10_000 });
    expect(dup?.examples).toHaveLength(5);
  });
});
