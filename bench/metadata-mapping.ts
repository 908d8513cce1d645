/**
 * Maps and validates generated term-enrollment records through the metadata layer
 * (compileMapping + streaming validator) and derives outcomes; prints records/s and heap.
 * Run: npx tsx bench/metadata-mapping.ts [records=200000]
 */
import { compileMapping, parseMappingSpec } from '../server/services/metadata/mapping';
import { deriveOutcomes } from '../server/services/metadata/outcomes';
import { createValidator } from '../server/services/metadata/validate';

const n = Number(process.argv[2] ?? 200_000);
const header = ['SPRIDEN_ID', 'SFRSTCR_TERM_CODE', 'FT', 'ATT', 'EARNED', 'GPA', 'LEVL'];
const spec = parseMappingSpec({
  kind: 'term_enrollments',
  version: 1,
  assignments: [
    { field: 'student_key', column: 'SPRIDEN_ID' },
    { field: 'term', column: 'SFRSTCR_TERM_CODE', transform: { kind: 'termCode', preset: 'banner-yyyyss' } },
    { field: 'full_time', column: 'FT', transform: { kind: 'cast', to: 'boolean' } },
    { field: 'credits_attempted', column: 'ATT', transform: { kind: 'cast', to: 'decimal' } },
    { field: 'credits_earned', column: 'EARNED', transform: { kind: 'cast', to: 'decimal' } },
    { field: 'term_gpa', column: 'GPA', transform: { kind: 'scale', from: { min: 0, max: 100 }, to: { min: 0, max: 4 } } },
    { field: 'level', column: 'LEVL', transform: { kind: 'crosswalk', map: { UG: 'undergraduate', GR: 'graduate' } } },
  ],
});
const codes = ['202180', '202210', '202280', '202310'];
const students = Math.ceil(n / codes.length);
const compiled = compileMapping(spec, header);
const validator = createValidator('term_enrollments', { knownStudents: new Set(Array.from({ length: students }, (_, i) => `S${i}`)), knownTerms: new Set(codes) });
const rows: { student_key: string; term: string; credits_attempted: number | null; credits_earned: number | null; term_gpa: number | null }[] = [];
const t0 = performance.now();
for (let i = 0; i < n; i++) {
  const record = [`S${i % students}`, codes[Math.floor(i / students) % codes.length] ?? '202180', i % 3 ? 'Y' : 'N', '12', String(6 + (i % 7)), String(50 + (i % 50)), 'UG'];
  const { row, errors } = compiled.apply(record);
  validator.add(row, i + 1, errors);
  rows.push(row as (typeof rows)[number]);
}
const report = validator.finish();
const t1 = performance.now();
const outcomes = deriveOutcomes(
  {
    students: Array.from({ length: students }, (_, i) => ({ student_key: `S${i}`, cohort_term: '202180', first_time: true, degree_seeking: true })),
    enrollments: rows,
    awards: [],
    terms: [
      { term_code: '202180', academic_year: 2021, season: 'fall', start: '2021-08-23', end: '2021-12-15', census_date: '2021-09-03' },
      { term_code: '202210', academic_year: 2021, season: 'spring', start: '2022-01-10', end: '2022-05-06', census_date: '2022-01-21' },
      { term_code: '202280', academic_year: 2022, season: 'fall', start: '2022-08-22', end: '2022-12-14', census_date: '2022-09-02' },
      { term_code: '202310', academic_year: 2022, season: 'spring', start: '2023-01-09', end: '2023-05-05', census_date: '2023-01-20' },
    ],
  },
  { normalTimeYears: { bachelor: 4 } },
);
const t2 = performance.now();
console.log(`map+validate ${n} records: ${((t1 - t0) / 1000).toFixed(2)} s (${Math.round(n / ((t1 - t0) / 1000)).toLocaleString()} records/s), rules failed: ${report.length}`);
console.log(`outcomes for ${outcomes.length} students from ${rows.length} enrollments: ${((t2 - t1) / 1000).toFixed(2)} s`);
console.log(`heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB (includes the ${n} retained rows for outcomes)`);
