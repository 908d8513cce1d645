/**
 * Outcomes derived after loading, one per student × cohort (PRODUCT.md, "outcome (derived)"):
 * fall-to-fall retention, next-term persistence, graduation within 100/150/200% of normal time,
 * first-year GPA and first-year credits earned.
 *
 * Census rule: a student counts as enrolled in a term when a term-enrollment row exists for it
 * with `enrolled_at_census` true or absent (an absent flag means the export is a census-date
 * snapshot); `enrolled_at_census = false` (dropped before census) does not count. IPEDS counts
 * enrollment "as of the institution's official fall reporting date" (IPEDS Fall Enrollment
 * instructions, "Enrollment as of the census date").
 *
 * Censoring: an outcome whose window ends after `observedThrough` is unknown (null), not "no".
 * Pure function: no clock; the caller passes `observedThrough` (default: the latest end date of
 * a term that has enrollment rows, or the latest award date if later).
 */
import { AppError } from '../../errors/app-error';
import type { AwardLevel, Season } from './standard-model';

export interface OutcomeStudent {
  student_key: string;
  cohort_term: string;
  first_time: boolean | null;
  degree_seeking: boolean | null;
  exclusion_reason?: string | null;
}

export interface OutcomeEnrollment {
  student_key: string;
  term: string;
  enrolled_at_census?: boolean | null;
  credits_attempted?: number | null;
  credits_earned?: number | null;
  term_gpa?: number | null;
}

export interface OutcomeAward {
  student_key: string;
  award_level: string;
  award_date: string;
}

export interface OutcomeTerm {
  term_code: string;
  academic_year: number;
  season: Season;
  start: string;
  end: string;
  census_date?: string | null;
}

export interface OutcomeOptions {
  /** The institution's normal time to completion in years, per award level (e.g. bachelor 4, associate 2). */
  normalTimeYears: Partial<Record<AwardLevel, number>>;
  /**
   * Normal time (years) that bounds the graduation window of a student with no qualifying award,
   * i.e. the programme the cohort is seeking. Default: the longest normal time given.
   */
  cohortNormalTimeYears?: number;
  /** Semester calendars persist into fall/spring; quarter calendars also into winter. Default semester. */
  calendar?: 'semester' | 'quarter';
  /** Date the data are complete through (ISO). */
  observedThrough?: string;
  /**
   * `cohort-start` (default): award date ≤ cohort term start + k × normal time.
   * `ipeds-august-31`: award date ≤ August 31 of (cohort academic year + ⌈k × normal time⌉), the
   * IPEDS Graduation Rates status date (e.g. fall 2015 bachelor's cohort, 150% → 31 August 2021).
   */
  graduationDeadline?: 'cohort-start' | 'ipeds-august-31';
}

export interface StudentOutcome {
  student_key: string;
  cohort_term: string;
  retained_fall_to_fall: boolean | null;
  persisted_next_term: boolean | null;
  graduated_100: boolean | null;
  graduated_150: boolean | null;
  graduated_200: boolean | null;
  first_year_gpa: number | null;
  credits_earned_first_year: number | null;
  /** Why an outcome is null (not in its cohort, not yet observed, term missing). */
  notes: string[];
}

export interface OutcomeInput {
  students: readonly OutcomeStudent[];
  enrollments: readonly OutcomeEnrollment[];
  awards: readonly OutcomeAward[];
  terms: readonly OutcomeTerm[];
}

const SEASON_ORDER: Record<Season, number> = { fall: 0, winter: 1, spring: 2, summer: 3 };

/** Adds whole months to an ISO date (day clamped to the month's end). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

export function deriveOutcomes(input: OutcomeInput, options: OutcomeOptions): StudentOutcome[] {
  const deriver = createOutcomeDeriver(input.terms, options);
  const enrollmentsOf = groupBy(input.enrollments, (e) => e.student_key);
  const awardsOf = groupBy(input.awards, (a) => a.student_key);

  let observedThrough = options.observedThrough;
  if (observedThrough === undefined) observedThrough = deriver.observedThrough(new Set(input.enrollments.map((e) => e.term)), input.awards);
  const through = observedThrough;
  const none: never[] = [];
  return input.students.map((student) =>
    deriver.derive(student, enrollmentsOf.get(student.student_key) ?? none, awardsOf.get(student.student_key) ?? none, through),
  );
}

export interface OutcomeDeriver {
  /** The terms in calendar order (start date, then academic year and season). */
  readonly terms: readonly OutcomeTerm[];
  /** The default `observedThrough`: the latest end of a term with enrollments, or the latest award date if later. */
  observedThrough(enrolledTerms: ReadonlySet<string>, awards: Iterable<OutcomeAward>): string;
  /** One student's outcomes from that student's enrollments and awards. */
  derive(student: OutcomeStudent, enrollments: readonly OutcomeEnrollment[], awards: readonly OutcomeAward[], observedThrough: string): StudentOutcome;
}

/**
 * The per-student half of `deriveOutcomes`, for callers that stream students with their own
 * enrollments (the load job, over millions of rows) instead of holding every row as an object.
 */
export function createOutcomeDeriver(inputTerms: readonly OutcomeTerm[], options: OutcomeOptions): OutcomeDeriver {
  const normalTimes = Object.entries(options.normalTimeYears).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0);
  if (normalTimes.length === 0) {
    throw new AppError('BAD_REQUEST', 'Set the institution’s normal time to completion (in years) for at least one award level, e.g. bachelor 4.');
  }
  const normalTimeOf = new Map(normalTimes);
  const cohortNormalTime = options.cohortNormalTimeYears ?? Math.max(...normalTimes.map((e) => e[1]));
  const persistenceSeasons = new Set<Season>(options.calendar === 'quarter' ? ['fall', 'winter', 'spring'] : ['fall', 'spring']);

  // Terms in calendar order: by start date, then academic year and season for equal starts.
  const terms = [...inputTerms].sort(
    (a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0) || a.academic_year - b.academic_year || SEASON_ORDER[a.season] - SEASON_ORDER[b.season],
  );
  const termIndex = new Map<string, number>();
  terms.forEach((t, i) => {
    if (termIndex.has(t.term_code)) throw new AppError('BAD_REQUEST', `Term ${t.term_code} appears twice in the terms data.`, { term: t.term_code });
    termIndex.set(t.term_code, i);
  });
  const fallOf = new Map<number, OutcomeTerm>();
  for (const t of terms) if (t.season === 'fall' && !fallOf.has(t.academic_year)) fallOf.set(t.academic_year, t);
  const censusOf = (t: OutcomeTerm) => t.census_date ?? t.start;

  // Per cohort term: what the rules look up, computed once instead of once per student.
  interface CohortPlan {
    nextFall: OutcomeTerm | undefined;
    next: OutcomeTerm | undefined;
    firstYearCodes: Set<string>;
    lastEnd: string;
    deadlines: Map<number, string>;
  }
  const plans = new Map<number, CohortPlan>();
  const planOf = (cohortIndex: number, cohort: OutcomeTerm): CohortPlan => {
    let plan = plans.get(cohortIndex);
    if (plan) return plan;
    const anniversary = terms.slice(cohortIndex + 1).find((t) => t.season === cohort.season && t.academic_year > cohort.academic_year);
    const yearEnd = anniversary?.start ?? addMonths(cohort.start, 12);
    const firstYear = terms.filter((t, i) => i >= cohortIndex && t.start < yearEnd);
    plan = {
      nextFall: fallOf.get(cohort.academic_year + 1),
      next: terms.slice(cohortIndex + 1).find((t) => persistenceSeasons.has(t.season)),
      firstYearCodes: new Set(firstYear.map((t) => t.term_code)),
      lastEnd: firstYear.reduce((m, t) => (t.end > m ? t.end : m), cohort.end),
      deadlines: new Map(),
    };
    plans.set(cohortIndex, plan);
    return plan;
  };

  return {
    terms,
    observedThrough(enrolledTerms, awards) {
      let observed = '';
      for (const t of terms) if (enrolledTerms.has(t.term_code) && t.end > observed) observed = t.end;
      for (const a of awards) if (a.award_date > observed) observed = a.award_date;
      return observed;
    },
    derive(student, enrollments, allAwards, through): StudentOutcome {
      const notes: string[] = [];
      const out: StudentOutcome = {
        student_key: student.student_key,
        cohort_term: student.cohort_term,
        retained_fall_to_fall: null,
        persisted_next_term: null,
        graduated_100: null,
        graduated_150: null,
        graduated_200: null,
        first_year_gpa: null,
        credits_earned_first_year: null,
        notes,
      };
      const cohortIndex = termIndex.get(student.cohort_term);
      const cohort = cohortIndex === undefined ? undefined : terms[cohortIndex];
      if (cohortIndex === undefined || !cohort) {
        notes.push(`Cohort term ${student.cohort_term} is not in the terms data.`);
        return out;
      }
      if (student.exclusion_reason) {
        // IPEDS GR and EF Part E: allowable exclusions leave the cohort, so no outcome is counted.
        notes.push(`Excluded from the cohort (${student.exclusion_reason}, an IPEDS allowable exclusion).`);
        return out;
      }
      const plan = planOf(cohortIndex, cohort);
      const awards = allAwards.length === 0 ? allAwards : allAwards.filter((a) => a.award_date >= cohort.start);
      const enrolledAtCensus = (term: OutcomeTerm) => enrollments.some((e) => e.term === term.term_code && e.enrolled_at_census !== false);
      const completedBy = (date: string) => awards.some((a) => a.award_date <= date);

      // Fall-to-fall retention. IPEDS Fall Enrollment Part E / glossary "Retention rate": the share of
      // first-time degree/certificate-seeking students of the previous fall cohort who re-enrolled or
      // successfully completed their programme by the current fall (census date).
      if (cohort.season !== 'fall' || student.first_time !== true || student.degree_seeking !== true) {
        notes.push('Not in an IPEDS retention cohort (needs a first-time, degree-seeking fall entrant).');
      } else {
        const nextFall = plan.nextFall;
        if (!nextFall) notes.push(`The fall of ${cohort.academic_year + 1} is not in the terms data: retention unknown.`);
        else if (censusOf(nextFall) > through) notes.push(`Retention not yet observed (next fall census ${censusOf(nextFall)}).`);
        else out.retained_fall_to_fall = enrolledAtCensus(nextFall) || completedBy(censusOf(nextFall));
      }

      // Next-term persistence (not an IPEDS measure; the National Student Clearinghouse "persistence"
      // idea at term grain): enrolled at census in the next fall or spring term — winter too on a
      // quarter calendar — after the cohort term, summer skipped; completing an award by then counts.
      const next = plan.next;
      if (!next) notes.push('No later fall/spring term in the terms data: persistence unknown.');
      else if (censusOf(next) > through) notes.push(`Persistence not yet observed (next term census ${censusOf(next)}).`);
      else out.persisted_next_term = enrolledAtCensus(next) || completedBy(censusOf(next));

      // Graduation within 100/150/200% of normal time. IPEDS Graduation Rates (GR) and GR200: completers
      // of a degree or certificate within 150% (GR) and 100%/200% (GR200) of the normal time for the
      // award; IPEDS restricts GR to first-time full-time degree-seekers, a filter the study's cohort applies.
      if (student.degree_seeking === false) notes.push('Not degree-seeking: no graduation outcome.');
      else {
        const deadline = (years: number) => {
          let d = plan.deadlines.get(years);
          if (d === undefined) {
            d =
              options.graduationDeadline === 'ipeds-august-31'
                ? `${cohort.academic_year + Math.ceil(years - 1e-9)}-08-31`
                : addMonths(cohort.start, Math.round(years * 12));
            plan.deadlines.set(years, d);
          }
          return d;
        };
        const within = (k: number): boolean | null => {
          const done = awards.some((a) => {
            const t = normalTimeOf.get(a.award_level);
            return t !== undefined && a.award_date <= deadline(k * t);
          });
          if (done) return true;
          return deadline(k * cohortNormalTime) <= through ? false : null;
        };
        out.graduated_100 = within(1);
        out.graduated_150 = within(1.5);
        out.graduated_200 = within(2);
        if (out.graduated_200 === null) notes.push('Graduation window not yet fully observed.');
      }

      // First year: the cohort term and the terms before its anniversary (the next term of the same
      // season), i.e. for a fall cohort its academic year — fall, winter, spring, summer; for a
      // spring cohort spring, summer and fall. Without an anniversary term in the data, twelve
      // months from the cohort start. GPA is the mean of term GPAs weighted by credits attempted;
      // credits earned are summed.
      if (plan.lastEnd > through) notes.push('First year not yet complete.');
      else {
        const codes = plan.firstYearCodes;
        let points = 0;
        let weight = 0;
        let earned = 0;
        for (const e of enrollments) {
          if (!codes.has(e.term)) continue;
          earned += e.credits_earned ?? 0;
          const w = e.credits_attempted ?? 0;
          if (e.term_gpa !== null && e.term_gpa !== undefined && w > 0) {
            points += e.term_gpa * w;
            weight += w;
          }
        }
        out.first_year_gpa = weight > 0 ? Math.round((points / weight) * 1e6) / 1e6 : null;
        out.credits_earned_first_year = earned;
      }
      return out;
    },
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
