/**
 * Builds the analysis frame of a study from the standard model: one row per student of the
 * cohort, with the treatment (took part in the programme between the summer before the cohort
 * term and the end of that term), the outcome (derived outcomes) and covariates measured at
 * entry — never after the treatment. Students whose outcome is not yet observable are left out
 * and counted. Refuses, with a message, a cohort without participants or comparison students.
 */
import type { TransactionSql } from 'postgres';
import { categoricalColumn, numericColumn, type Column, type Frame } from '../../../workers/causal/data/frame';
import { AppError } from '../../errors/app-error';
import { outcomeLabels, type StudySpec } from './study-spec';

export interface AnalysisFrame {
  frame: Frame;
  studentKeys: string[];
  /** The study's covariates that carry information in this cohort (used by the analysis). */
  covariates: StudySpec['covariates'];
  /** Covariates left out because no student has a value, or all have the same one. */
  dropped: { covariate: string; reason: string }[];
  counts: { cohort: number; participants: number; comparison: number; outcomeNotObservable: number };
}

const bool = (value: unknown): number => (value === null || value === undefined ? Number.NaN : value ? 1 : 0);
const num = (value: unknown): number => (value === null || value === undefined ? Number.NaN : Number(value));

/** Treatment window: participation in a term that starts up to 6 months before the cohort term begins and before it ends. */
export async function buildAnalysisFrame(sql: TransactionSql, tenantId: string, spec: StudySpec): Promise<AnalysisFrame> {
  const rows = await sql`
    select s.student_key, s.hs_gpa, s.test_score, s.pell_eligible_at_entry, s.first_generation, s.sex, s.race_ethnicity,
           s.residency, s.full_time_at_entry, ct.academic_year - s.birth_year as age_at_entry,
           o.${sql(spec.outcome)} as outcome,
           exists (
             select 1 from participations p join academic_periods pt on pt.tenant_id = p.tenant_id and pt.term_code = p.term_code
             where p.tenant_id = ${tenantId} and p.student_key = s.student_key and p.intervention = ${spec.intervention}
               and p.participated and pt.start_date <= ct.end_date and pt.start_date >= ct.start_date - interval '6 months'
           ) as treated
    from students s
    join academic_periods ct on ct.tenant_id = s.tenant_id and ct.term_code = s.cohort_term
    left join student_outcomes o on o.tenant_id = s.tenant_id and o.student_key = s.student_key and o.cohort_term = s.cohort_term
    where s.tenant_id = ${tenantId}
      and s.degree_seeking is true
      and (${spec.cohort.entryTerms.length === 0} or s.cohort_term = any(${spec.cohort.entryTerms}))
      and (${spec.cohort.studentType === 'all'} or s.first_time = ${spec.cohort.studentType === 'first_time'})
      and (${spec.cohort.load === 'all'} or s.full_time_at_entry = ${spec.cohort.load === 'full_time'})
    order by s.student_key`;

  const cohort = rows.length;
  const observed = rows.filter((r) => r.outcome !== null && r.outcome !== undefined);
  const participants = observed.filter((r) => r.treated).length;
  const comparison = observed.length - participants;
  const outcome = outcomeLabels[spec.outcome];
  if (cohort === 0) throw new AppError('BAD_REQUEST', 'No students match the cohort filter. Check the entry terms, student type and load, and that students are loaded.');
  if (observed.length === 0) {
    throw new AppError(
      'BAD_REQUEST',
      `The outcome (${outcome.label}) is not available for any student of this cohort: it is not yet observable (choose earlier entry terms), or it is not defined for these students (retention counts first-time degree-seeking students).`,
    );
  }
  if (participants === 0) throw new AppError('BAD_REQUEST', `No student of this cohort took part in ${spec.intervention} (with an observable outcome). Check the programme and the entry terms.`);
  if (comparison === 0) throw new AppError('BAD_REQUEST', `Every student of this cohort took part in ${spec.intervention}: there is no comparison group.`);

  const columns: Column[] = [
    numericColumn('treated', observed.map((r) => (r.treated ? 1 : 0))),
    numericColumn('outcome', observed.map((r) => (typeof r.outcome === 'boolean' ? (r.outcome ? 1 : 0) : num(r.outcome)))),
  ];
  const numeric: Record<string, (r: (typeof rows)[number]) => number> = {
    hs_gpa: (r) => num(r.hs_gpa),
    test_score: (r) => num(r.test_score),
    pell_eligible_at_entry: (r) => bool(r.pell_eligible_at_entry),
    first_generation: (r) => bool(r.first_generation),
    full_time_at_entry: (r) => bool(r.full_time_at_entry),
    age_at_entry: (r) => num(r.age_at_entry),
  };
  const needed = new Set<string>([...spec.covariates, ...spec.subgroups, ...(spec.negativeControl ? [spec.negativeControl] : [])]);
  for (const name of needed) {
    const read = numeric[name];
    columns.push(read ? numericColumn(name, observed.map(read)) : categoricalColumn(name, observed.map((r) => (r[name] as string | null) ?? null)));
  }
  const dropped: AnalysisFrame['dropped'] = [];
  const covariates = spec.covariates.filter((name) => {
    const column = columns.find((c) => c.name === name)!;
    const present = column.kind === 'numeric' ? [...column.values].filter((v) => !Number.isNaN(v)) : [...column.codes].filter((c) => c >= 0);
    if (present.length === 0) dropped.push({ covariate: name, reason: 'no student in the cohort has a value (not loaded or not mapped)' });
    else if (new Set(present).size === 1) dropped.push({ covariate: name, reason: 'every student in the cohort has the same value' });
    else return true;
    return false;
  });
  if (covariates.length === 0) {
    throw new AppError('BAD_REQUEST', `None of the chosen covariates has information for this cohort (${dropped.map((d) => d.covariate).join(', ')}). Map and load them, or choose others.`);
  }
  return {
    frame: { rows: observed.length, columns },
    studentKeys: observed.map((r) => r.student_key as string),
    covariates,
    dropped,
    counts: { cohort, participants, comparison, outcomeNotObservable: cohort - observed.length },
  };
}
