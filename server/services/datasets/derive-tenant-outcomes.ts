/**
 * Re-derives every student's outcomes after a load, inside the load's transaction, from the
 * tenant's students, term enrollments, awards and terms (rules in metadata/outcomes.ts). Until
 * students, enrollments and terms are all loaded there is nothing to derive and the outcomes
 * table is emptied, so it never holds outcomes of data that was replaced.
 *
 * Scale: a million students with five million enrollments. Enrollments are read with a cursor
 * into typed arrays (an enrollment is a student index, a term index,
 * a census flag and three numbers), grouped by student, and each student's outcome is derived
 * from a handful of short-lived objects and written straight into the COPY of the result.
 */
import { once } from 'node:events';
import type { TransactionSql } from 'postgres';
import { logger } from '../../logger';
import { copyValue as cell } from './copy-text';
import { createOutcomeDeriver, type OutcomeAward, type OutcomeEnrollment, type OutcomeStudent, type OutcomeTerm } from '../metadata/outcomes';

const orNull = (n: number): number | null => (Number.isNaN(n) ? null : n);
const UNKNOWN_TERM = '\u0000';

export async function deriveTenantOutcomes(sql: TransactionSql, tenantId: string): Promise<number> {
  await sql`delete from student_outcomes where tenant_id = ${tenantId}`;
  const [counts] = await sql`select
      (select count(*) from students where tenant_id = ${tenantId})::int as students,
      (select count(*) from term_enrollments where tenant_id = ${tenantId})::int as enrollments,
      (select count(*) from academic_periods where tenant_id = ${tenantId})::int as terms`;
  if (!counts || counts.students === 0 || counts.enrollments === 0 || counts.terms === 0) return 0;

  const t0 = performance.now();
  const [settings] = await sql`select coalesce(s.normal_time_years, '{"certificate": 1, "associate": 2, "bachelor": 4}'::jsonb) as normal_time,
      t.calendar from tenants t left join institution_settings s on s.tenant_id = t.id where t.id = ${tenantId}`;
  const awards = (await sql`select student_key, award_level, award_date::text as award_date from awards
    where tenant_id = ${tenantId}`) as unknown as OutcomeAward[];
  const inputTerms = (await sql`select term_code, academic_year, season, start_date::text as start, end_date::text as "end",
    census_date::text as census_date from academic_periods where tenant_id = ${tenantId}`) as unknown as OutcomeTerm[];
  const deriver = createOutcomeDeriver(inputTerms, {
    normalTimeYears: settings?.normal_time as Record<string, number>,
    calendar: settings?.calendar ?? 'semester',
  });
  const terms = deriver.terms;
  const termIndex = new Map(terms.map((t, i) => [t.term_code, i]));

  // Students with a cohort: their keys index everything else.
  const students: OutcomeStudent[] = [];
  const studentIndex = new Map<string, number>();
  await sql`select student_key, cohort_term, first_time, degree_seeking, exclusion_reason from students
    where tenant_id = ${tenantId} and cohort_term is not null`.cursor(20_000, (rows) => {
    for (const r of rows) {
      const key = r.student_key as string;
      if (!studentIndex.has(key)) studentIndex.set(key, students.length);
      students.push(r as unknown as OutcomeStudent);
    }
  });

  // Enrollments of those students, as columns.
  let capacity = Math.max(16, counts.enrollments as number);
  let size = 0;
  let owner = new Int32Array(capacity);
  let term = new Int16Array(capacity);
  let census = new Int8Array(capacity);
  let attempted = new Float64Array(capacity);
  let earned = new Float64Array(capacity);
  let gpa = new Float64Array(capacity);
  const grow = () => {
    capacity *= 2;
    const copy = <T extends Int32Array | Int16Array | Int8Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
    owner = copy(owner, new Int32Array(capacity));
    term = copy(term, new Int16Array(capacity));
    census = copy(census, new Int8Array(capacity));
    attempted = copy(attempted, new Float64Array(capacity));
    earned = copy(earned, new Float64Array(capacity));
    gpa = copy(gpa, new Float64Array(capacity));
  };
  const enrolledTerms = new Set<string>();
  let lastKey = '';
  let lastOwner = -1;
  let lastTermCode = '';
  let lastTerm = -1;
  await sql`select student_key, term_code, enrolled_at_census, credits_attempted, credits_earned, term_gpa
    from term_enrollments where tenant_id = ${tenantId}`.cursor(50_000, (rows) => {
    for (const r of rows) {
      const key = r.student_key as string;
      if (key !== lastKey) {
        lastKey = key;
        lastOwner = studentIndex.get(key) ?? -1;
      }
      const code = r.term_code as string;
      if (code !== lastTermCode) {
        lastTermCode = code;
        enrolledTerms.add(code);
        lastTerm = termIndex.get(code) ?? -1;
      }
      if (lastOwner < 0) continue;
      if (size === capacity) grow();
      owner[size] = lastOwner;
      term[size] = lastTerm;
      const c = r.enrolled_at_census as boolean | null;
      census[size] = c === null ? -1 : c ? 1 : 0;
      attempted[size] = (r.credits_attempted as number | null) ?? Number.NaN;
      earned[size] = (r.credits_earned as number | null) ?? Number.NaN;
      gpa[size] = (r.term_gpa as number | null) ?? Number.NaN;
      size += 1;
    }
  });

  // Group by student (counting sort, stable: each student's rows keep their order).
  const start = new Int32Array(students.length + 1);
  for (let i = 0; i < size; i++) {
    const s = (owner[i] as number) + 1;
    start[s] = (start[s] as number) + 1;
  }
  for (let s = 0; s < students.length; s++) start[s + 1] = (start[s + 1] as number) + (start[s] as number);
  const next = start.slice(0, students.length);
  const order = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const s = owner[i] as number;
    const at = next[s] as number;
    order[at] = i;
    next[s] = at + 1;
  }

  const awardsOf = new Map<string, OutcomeAward[]>();
  for (const a of awards) {
    const list = awardsOf.get(a.student_key);
    if (list) list.push(a);
    else awardsOf.set(a.student_key, [a]);
  }
  const through = deriver.observedThrough(enrolledTerms, awards);
  const t1 = performance.now();

  await sql`create temp table outcome_stage (like student_outcomes including defaults) on commit drop`;
  const writable = await sql`copy outcome_stage (tenant_id, student_key, cohort_term, retained_fall_to_fall, persisted_next_term,
    graduated_100, graduated_150, graduated_200, first_year_gpa, credits_earned_first_year) from stdin`.writable();
  let buffer = '';
  const none: OutcomeAward[] = [];
  for (let s = 0; s < students.length; s++) {
    const student = students[s] as OutcomeStudent;
    const enrollments: OutcomeEnrollment[] = [];
    for (let k = start[s] as number, end = start[s + 1] as number; k < end; k++) {
      const i = order[k] as number;
      const t = term[i] as number;
      const c = census[i] as number;
      enrollments.push({
        student_key: student.student_key,
        term: t < 0 ? UNKNOWN_TERM : (terms[t] as OutcomeTerm).term_code,
        enrolled_at_census: c < 0 ? null : c === 1,
        credits_attempted: orNull(attempted[i] as number),
        credits_earned: orNull(earned[i] as number),
        term_gpa: orNull(gpa[i] as number),
      });
    }
    const o = deriver.derive(student, enrollments, awardsOf.get(student.student_key) ?? none, through);
    buffer += `${tenantId}\t${cell(o.student_key)}\t${cell(o.cohort_term)}\t${cell(o.retained_fall_to_fall)}\t${cell(o.persisted_next_term)}\t${cell(
      o.graduated_100,
    )}\t${cell(o.graduated_150)}\t${cell(o.graduated_200)}\t${cell(o.first_year_gpa)}\t${cell(o.credits_earned_first_year)}\n`;
    if (buffer.length > 1 << 16) {
      if (!writable.write(buffer)) await once(writable, 'drain');
      buffer = '';
    }
  }
  writable.end(buffer);
  await once(writable, 'finish');
  await sql`insert into student_outcomes select * from outcome_stage`;
  logger.debug('outcomes derived', { tenantId, outcomes: students.length, enrollments: size, readMs: Math.round(t1 - t0), deriveAndWriteMs: Math.round(performance.now() - t1) });
  return students.length;
}
