/**
 * Re-derives every student's outcomes after a load, inside the load's transaction, from the
 * tenant's students, term enrollments, awards and terms (rules in metadata/outcomes.ts). Until
 * students, enrollments and terms are all loaded there is nothing to derive and the outcomes
 * table is emptied, so it never holds outcomes of data that was replaced.
 */
import { once } from 'node:events';
import type { TransactionSql } from 'postgres';
import { logger } from '../../logger';
import { copyValue as cell } from './copy-text';
import { deriveOutcomes, type OutcomeAward, type OutcomeEnrollment, type OutcomeStudent, type OutcomeTerm } from '../metadata/outcomes';


export async function deriveTenantOutcomes(sql: TransactionSql, tenantId: string): Promise<number> {
  await sql`delete from student_outcomes where tenant_id = ${tenantId}`;
  const [counts] = await sql`select
      (select count(*) from students where tenant_id = ${tenantId})::int as students,
      (select count(*) from term_enrollments where tenant_id = ${tenantId})::int as enrollments,
      (select count(*) from academic_periods where tenant_id = ${tenantId})::int as terms`;
  if (!counts || counts.students === 0 || counts.enrollments === 0 || counts.terms === 0) return 0;

  const [settings] = await sql`select coalesce(s.normal_time_years, '{"certificate": 1, "associate": 2, "bachelor": 4}'::jsonb) as normal_time,
      t.calendar from tenants t left join institution_settings s on s.tenant_id = t.id where t.id = ${tenantId}`;
  const t0 = performance.now();
  const students: OutcomeStudent[] = [];
  await sql`select student_key, cohort_term, first_time, degree_seeking, exclusion_reason from students
    where tenant_id = ${tenantId} and cohort_term is not null`.cursor(20_000, (rows) => {
    for (const r of rows) students.push(r as unknown as OutcomeStudent);
  });
  const enrollments: OutcomeEnrollment[] = [];
  await sql`select student_key, term_code as term, enrolled_at_census, credits_attempted, credits_earned, term_gpa
    from term_enrollments where tenant_id = ${tenantId}`.cursor(50_000, (rows) => {
    for (const r of rows) enrollments.push(r as unknown as OutcomeEnrollment);
  });
  const awards = (await sql`select student_key, award_level, award_date::text as award_date from awards
    where tenant_id = ${tenantId}`) as unknown as OutcomeAward[];
  const terms = (await sql`select term_code, academic_year, season, start_date::text as start, end_date::text as "end",
    census_date::text as census_date from academic_periods where tenant_id = ${tenantId}`) as unknown as OutcomeTerm[];

  const t1 = performance.now();
  const outcomes = deriveOutcomes(
    { students, enrollments, awards, terms },
    { normalTimeYears: settings?.normal_time as Record<string, number>, calendar: settings?.calendar ?? 'semester' },
  );

  const t2 = performance.now();
  await sql`create temp table outcome_stage (like student_outcomes including defaults) on commit drop`;
  const writable = await sql`copy outcome_stage (tenant_id, student_key, cohort_term, retained_fall_to_fall, persisted_next_term,
    graduated_100, graduated_150, graduated_200, first_year_gpa, credits_earned_first_year) from stdin`.writable();
  let buffer = '';
  for (const o of outcomes) {
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
  logger.debug('outcomes derived', { tenantId, outcomes: outcomes.length, readMs: Math.round(t1 - t0), deriveMs: Math.round(t2 - t1), writeMs: Math.round(performance.now() - t2) });
  return outcomes.length;
}
