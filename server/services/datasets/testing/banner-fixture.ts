/**
 * A tiny Banner-style institution for tests: terms, students and term enrollments with
 * outcomes worked out by hand.
 *
 * Fall 2021 cohort (term 202180). First-time degree-seeking: S1–S4. S5 is a transfer student.
 *   S1: enrolled fall 2021, spring 2022, fall 2022  → retained (fall→fall) yes, persisted (next term) yes
 *   S2: fall 2021, spring 2022                      → retained no,  persisted yes
 *   S3: fall 2021 only                              → retained no,  persisted no
 *   S4: fall 2021, fall 2022 (skipped spring)       → retained yes, persisted no
 * Retention among the first-time cohort: 2 of 4.
 */
export const bannerTerms = [
  'STVTERM_CODE,STVTERM_DESC,STVTERM_START_DATE,STVTERM_END_DATE,STVTERM_CENSUS_DATE',
  '202180,Fall 2021,2021-08-23,2021-12-15,2021-09-07',
  '202210,Spring 2022,2022-01-10,2022-05-10,2022-01-24',
  '202250,Summer 2022,2022-05-20,2022-08-10,2022-06-01',
  '202280,Fall 2022,2022-08-22,2022-12-14,2022-09-06',
  '202310,Spring 2023,2023-01-09,2023-05-09,2023-01-23',
].join('\n');

export const bannerStudents = [
  'SPRIDEN_ID,SGBSTDN_TERM_CODE_ADMIT,SGBSTDN_STYP_CODE,DEGREE_SEEKING_IND,SPBPERS_SEX,FIRST_GEN_IND,HS_GPA,PELL_IND',
  'S1,202180,F,Y,F,Y,3.6,Y',
  'S2,202180,F,Y,M,N,2.9,N',
  'S3,202180,F,Y,F,N,3.1,Y',
  'S4,202180,F,Y,M,Y,3.4,N',
  'S5,202180,T,Y,F,N,3.0,N',
].join('\n');

export const bannerEnrollments = [
  'SPRIDEN_ID,SFRSTCR_TERM_CODE,SHRTGPA_HOURS_ATTEMPTED,SHRTGPA_HOURS_EARNED,SHRTGPA_GPA',
  'S1,202180,15,15,3.5',
  'S1,202210,15,12,3.0',
  'S1,202280,15,15,3.2',
  'S2,202180,12,12,2.5',
  'S2,202210,12,9,2.0',
  'S3,202180,15,6,1.5',
  'S4,202180,12,12,3.8',
  'S4,202280,12,12,3.6',
  'S5,202180,15,15,3.3',
  'S5,202210,15,15,3.4',
  'S5,202280,15,15,3.5',
].join('\n');

/** Summer Bridge in summer 2021 (202150) for S1 and S4; S2 was eligible but did not take part. */
export const bannerParticipation = [
  'SPRIDEN_ID,PROGRAM_NAME,TERM_CODE,PARTICIPATED,ELIGIBLE,SESSIONS',
  'S1,Summer Bridge,202150,Y,Y,12',
  'S2,Summer Bridge,202150,N,Y,0',
  'S4,Summer Bridge,202150,Y,Y,9',
].join('\n');

export const bannerTermsWithSummer = `${bannerTerms}\n202150,Summer 2021,2021-05-24,2021-08-06,2021-06-01`;
