import { describe, expect, it } from 'vitest';
import { addMonths, deriveOutcomes, type OutcomeInput, type StudentOutcome } from './outcomes';

// A two-year college on a semester calendar; Banner codes (10 spring, 50 summer, 80 fall).
const terms: OutcomeInput['terms'] = [
  { term_code: '202180', academic_year: 2021, season: 'fall', start: '2021-08-23', census_date: '2021-09-03', end: '2021-12-15' },
  { term_code: '202210', academic_year: 2021, season: 'spring', start: '2022-01-10', census_date: '2022-01-21', end: '2022-05-06' },
  { term_code: '202250', academic_year: 2021, season: 'summer', start: '2022-05-16', census_date: '2022-05-20', end: '2022-08-05' },
  { term_code: '202280', academic_year: 2022, season: 'fall', start: '2022-08-22', census_date: '2022-09-02', end: '2022-12-14' },
  { term_code: '202310', academic_year: 2022, season: 'spring', start: '2023-01-09', census_date: '2023-01-20', end: '2023-05-05' },
  { term_code: '202380', academic_year: 2023, season: 'fall', start: '2023-08-21', census_date: '2023-09-01', end: '2023-12-13' },
];
const yes = { first_time: true, degree_seeking: true };
const input: OutcomeInput = {
  terms,
  students: [
    { student_key: 'S1', cohort_term: '202180', ...yes },
    { student_key: 'S2', cohort_term: '202180', ...yes },
    { student_key: 'S3', cohort_term: '202180', ...yes },
    { student_key: 'S4', cohort_term: '202180', first_time: false, degree_seeking: true },
    { student_key: 'S5', cohort_term: '202210', ...yes },
    { student_key: 'S6', cohort_term: '202180', ...yes, exclusion_reason: 'deceased' },
    { student_key: 'S7', cohort_term: '209980', ...yes },
  ],
  enrollments: [
    { student_key: 'S1', term: '202180', enrolled_at_census: true, credits_attempted: 12, credits_earned: 12, term_gpa: 3.0 },
    { student_key: 'S1', term: '202210', enrolled_at_census: true, credits_attempted: 15, credits_earned: 12, term_gpa: 2.0 },
    { student_key: 'S1', term: '202250', credits_attempted: 3, credits_earned: 3, term_gpa: 4.0 },
    { student_key: 'S1', term: '202280', enrolled_at_census: true, credits_attempted: 12, credits_earned: 12, term_gpa: 3.0 },
    { student_key: 'S2', term: '202180', enrolled_at_census: true, credits_attempted: 12, credits_earned: 6, term_gpa: 1.5 },
    { student_key: 'S2', term: '202210', enrolled_at_census: false, credits_attempted: 12, credits_earned: 0, term_gpa: null },
    { student_key: 'S3', term: '202180', enrolled_at_census: true, credits_attempted: 12, credits_earned: 12, term_gpa: 3.5 },
    { student_key: 'S3', term: '202210', enrolled_at_census: true, credits_attempted: 12, credits_earned: 12, term_gpa: 3.5 },
    { student_key: 'S4', term: '202180', enrolled_at_census: true, credits_attempted: 9, credits_earned: 9, term_gpa: 2.5 },
    { student_key: 'S4', term: '202280', enrolled_at_census: true, credits_attempted: 9, credits_earned: 9, term_gpa: 2.5 },
    { student_key: 'S5', term: '202210', enrolled_at_census: true, credits_attempted: 12, credits_earned: 12, term_gpa: 3.0 },
    { student_key: 'S5', term: '202250', enrolled_at_census: true, credits_attempted: 6, credits_earned: 6, term_gpa: 4.0 },
    { student_key: 'S5', term: '202280', enrolled_at_census: true, credits_attempted: 12, credits_earned: 10, term_gpa: 2.0 },
    { student_key: 'S5', term: '202310', enrolled_at_census: true, credits_attempted: 12, credits_earned: 12, term_gpa: 1.0 },
  ],
  awards: [
    { student_key: 'S1', award_level: 'associate', award_date: '2023-05-12' },
    { student_key: 'S3', award_level: 'certificate_1_to_2_years', award_date: '2022-08-01' },
  ],
};
const options = { normalTimeYears: { associate: 2, certificate_1_to_2_years: 1 }, observedThrough: '2024-12-31' };
const byKey = (outcomes: StudentOutcome[]) => Object.fromEntries(outcomes.map((o) => [o.student_key, o]));

describe('deriveOutcomes on a hand-computed fixture', () => {
  const out = byKey(deriveOutcomes(input, options));
  // Graduation deadlines for the fall 2021 cohort (start 2021-08-23), cohort normal time 2 years:
  // 100% → 2023-08-23, 150% → 2024-08-23 (both ≤ observedThrough 2024-12-31), 200% → 2025-08-23 (not yet observed).

  it('S1: retained, persisted, graduated within 100%, first-year GPA 2.6 on 27 credits', () => {
    // Enrolled at census in fall 2022 → retained. Spring 2022 is the next fall/spring term → persisted.
    // Associate on 2023-05-12 ≤ 2023-08-23 → graduated_100/150/200.
    // First year = fall 21, spring 22, summer 22 (before the fall 2022 anniversary):
    // GPA = (3.0×12 + 2.0×15 + 4.0×3) / (12+15+3) = 78/30 = 2.6; credits = 12+12+3 = 27.
    expect(out.S1).toMatchObject({
      retained_fall_to_fall: true,
      persisted_next_term: true,
      graduated_100: true,
      graduated_150: true,
      graduated_200: true,
      first_year_gpa: 2.6,
      credits_earned_first_year: 27,
    });
  });

  it('S2: dropped before the spring census, never returned', () => {
    // Spring row has enrolled_at_census = false → not persisted; no fall 2022 row → not retained.
    // No award: 100% and 150% windows closed → false; 200% window open → null.
    // GPA: only fall has a GPA: 1.5 (spring GPA empty is skipped); credits = 6 + 0 = 6.
    expect(out.S2).toMatchObject({
      retained_fall_to_fall: false,
      persisted_next_term: false,
      graduated_100: false,
      graduated_150: false,
      graduated_200: null,
      first_year_gpa: 1.5,
      credits_earned_first_year: 6,
    });
  });

  it('S3: completed a one-year certificate before the next fall census → retained by completion', () => {
    // Certificate 2022-08-01 ≤ fall 2022 census 2022-09-02 → retained (IPEDS: "or completed").
    // Normal time of the certificate is 1 year: 100% deadline 2022-08-23 ≥ 2022-08-01 → all true.
    // GPA (3.5×12 + 3.5×12)/24 = 3.5; credits 24.
    expect(out.S3).toMatchObject({
      retained_fall_to_fall: true,
      persisted_next_term: true,
      graduated_100: true,
      graduated_150: true,
      graduated_200: true,
      first_year_gpa: 3.5,
      credits_earned_first_year: 24,
    });
  });

  it('S4: a transfer-in is outside the IPEDS retention cohort but has persistence and graduation', () => {
    // Not first-time → retention null. No spring 2022 row → not persisted. Degree-seeking, no award → false/false/null.
    expect(out.S4).toMatchObject({
      retained_fall_to_fall: null,
      persisted_next_term: false,
      graduated_100: false,
      graduated_150: false,
      graduated_200: null,
      first_year_gpa: 2.5,
      credits_earned_first_year: 9,
    });
    expect(out.S4?.notes).toContain('Not in an IPEDS retention cohort (needs a first-time, degree-seeking fall entrant).');
  });

  it('S5: a spring entrant persists into fall (summer skipped); first year is spring, summer, fall', () => {
    // Next fall/spring term after spring 2022, skipping summer 2022, is fall 2022: enrolled → persisted.
    // First year ends at the spring 2023 anniversary: spring 22, summer 22, fall 22.
    // GPA = (3×12 + 4×6 + 2×12) / 30 = 84/30 = 2.8; credits = 12 + 6 + 10 = 28 (spring 2023 excluded).
    // Graduation: start 2022-01-10; 100% → 2024-01-10 closed → false; 150% → 2025-01-10 open → null.
    expect(out.S5).toMatchObject({
      retained_fall_to_fall: null,
      persisted_next_term: true,
      graduated_100: false,
      graduated_150: null,
      graduated_200: null,
      first_year_gpa: 2.8,
      credits_earned_first_year: 28,
    });
  });

  it('S6 (allowable exclusion) and S7 (unknown cohort term) get no outcomes, with a note', () => {
    for (const key of ['S6', 'S7']) {
      expect(out[key]).toMatchObject({ retained_fall_to_fall: null, persisted_next_term: null, graduated_150: null, first_year_gpa: null });
    }
    expect(out.S6?.notes[0]).toContain('IPEDS allowable exclusion');
    expect(out.S7?.notes[0]).toBe('Cohort term 209980 is not in the terms data.');
  });

  it('cohort retention rate over the fixture: 2 of 3 eligible students', () => {
    // Eligible: S1, S2, S3 (S4 transfer, S5 spring, S6 excluded, S7 unknown term) → retained S1, S3.
    const eligible = Object.values(out).filter((o) => o.retained_fall_to_fall !== null);
    expect(eligible.map((o) => o.student_key)).toEqual(['S1', 'S2', 'S3']);
    expect(eligible.filter((o) => o.retained_fall_to_fall).length).toBe(2);
  });
});

describe('windows and options', () => {
  it('outcomes not yet observed are null', () => {
    const out = byKey(deriveOutcomes(input, { ...options, observedThrough: '2022-06-30' }));
    // Fall 2022 census (2022-09-02) is after 2022-06-30: retention unknown; spring 2022 census is before.
    expect(out.S1).toMatchObject({ retained_fall_to_fall: null, persisted_next_term: true, first_year_gpa: null });
    expect(out.S2).toMatchObject({ retained_fall_to_fall: null, graduated_100: null, credits_earned_first_year: null });
  });

  it('defaults observedThrough to the data: the latest enrolled term end or award', () => {
    // Latest enrolled term: spring 2023 (S5) ends 2023-05-05; latest award 2023-05-12 → observed through 2023-05-12.
    const out = byKey(deriveOutcomes(input, { normalTimeYears: options.normalTimeYears }));
    expect(out.S2?.graduated_100).toBeNull(); // deadline 2023-08-23 not reached
    expect(out.S2?.retained_fall_to_fall).toBe(false);
  });

  it('IPEDS August 31 status date', () => {
    // Fall 2021 cohort (academic year 2021), associate 2 years: 100% → 2023-08-31, 150% → ⌈3⌉ → 2024-08-31, 200% → 2025-08-31.
    const out = byKey(deriveOutcomes(input, { ...options, graduationDeadline: 'ipeds-august-31' }));
    expect(out.S1).toMatchObject({ graduated_100: true, graduated_150: true });
    expect(out.S2).toMatchObject({ graduated_100: false, graduated_150: false, graduated_200: null });
  });

  it('needs a normal time and unique term codes', () => {
    expect(() => deriveOutcomes(input, { normalTimeYears: {} })).toThrow(/normal time/);
    expect(() => deriveOutcomes({ ...input, terms: [...terms, terms[0]!] }, options)).toThrow(/Term 202180 appears twice/);
  });

  it('addMonths clamps to the month end', () => {
    expect(addMonths('2021-08-31', 6)).toBe('2022-02-28');
    expect(addMonths('2021-08-23', 18)).toBe('2023-02-23');
  });
});
