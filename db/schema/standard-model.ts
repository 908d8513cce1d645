/**
 * The standard model (PRODUCT.md; CEDS-aligned, IPEDS definitions). Every row carries its
 * tenant, the dataset version and row it came from, and the mapping that produced it. Rows refer
 * to each other by the institution's natural keys (student_key, term_code), which the loader
 * validates, so a whole file can be bulk-loaded with COPY and swapped in one transaction.
 */
import { tenants } from './tenancy';
import { bigint, boolean, date, index, integer, numeric, pgEnum, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const termSeason = pgEnum('term_season', ['fall', 'winter', 'spring', 'summer']);

/*
 * The bulk tables (one row per student, enrollment, … — millions per tenant) carry no row-level
 * foreign keys on tenant_id and the lineage columns: PostgreSQL checks those one row at a time
 * (measured: 17 µs a row, 100 s of a 1M-student load). The loader writes these columns itself,
 * in the transaction that created the dataset version, so they are right by construction, and
 * it removes a version's rows when the version is replaced. Row-level security still applies.
 */
const tenantId = () => uuid('tenant_id').notNull();
const lineage = () => ({
  sourceVersionId: uuid('source_version_id').notNull(),
  sourceRow: bigint('source_row', { mode: 'number' }).notNull(),
  mappingId: uuid('mapping_id'),
});

export const academicPeriods = pgTable(
  'academic_periods',
  {
    tenantId: tenantId(),
    termCode: text('term_code').notNull(),
    academicYear: integer('academic_year').notNull(),
    season: termSeason('season').notNull(),
    startDate: date('start_date'),
    endDate: date('end_date'),
    censusDate: date('census_date'),
    ...lineage(),
  },
  (t) => [uniqueIndex('academic_periods_tenant_term_idx').on(t.tenantId, t.termCode)],
);

export const students = pgTable(
  'students',
  {
    tenantId: tenantId(),
    studentKey: text('student_key').notNull(),
    birthYear: integer('birth_year'),
    sex: text('sex'),
    raceEthnicity: text('race_ethnicity'),
    firstGeneration: boolean('first_generation'),
    residency: text('residency'),
    hsGpa: real('hs_gpa'),
    testScore: real('test_score'),
    pellEligibleAtEntry: boolean('pell_eligible_at_entry'),
    /** Cohort fields (IPEDS): entry term and status at entry. */
    cohortTerm: text('cohort_term'),
    firstTime: boolean('first_time'),
    degreeSeeking: boolean('degree_seeking'),
    fullTimeAtEntry: boolean('full_time_at_entry'),
    transferIn: boolean('transfer_in'),
    exclusionReason: text('exclusion_reason'),
    ...lineage(),
  },
  (s) => [uniqueIndex('students_tenant_key_idx').on(s.tenantId, s.studentKey)],
);

export const termEnrollments = pgTable(
  'term_enrollments',
  {
    tenantId: tenantId(),
    studentKey: text('student_key').notNull(),
    termCode: text('term_code').notNull(),
    level: text('level'),
    fullTime: boolean('full_time'),
    /** Null: the export is a census-date snapshot, so the row counts as enrolled at census. */
    enrolledAtCensus: boolean('enrolled_at_census'),
    creditsAttempted: real('credits_attempted'),
    creditsEarned: real('credits_earned'),
    termGpa: real('term_gpa'),
    cumulativeGpa: real('cumulative_gpa'),
    academicStanding: text('academic_standing'),
    programme: text('programme'),
    ...lineage(),
  },
  (e) => [uniqueIndex('term_enrollments_tenant_student_term_idx').on(e.tenantId, e.studentKey, e.termCode)],
);

export const awards = pgTable(
  'awards',
  {
    tenantId: tenantId(),
    studentKey: text('student_key').notNull(),
    awardLevel: text('award_level').notNull(),
    cip: text('cip'),
    awardDate: date('award_date').notNull(),
    ...lineage(),
  },
  (a) => [index('awards_tenant_student_idx').on(a.tenantId, a.studentKey)],
);

export const participations = pgTable(
  'participations',
  {
    tenantId: tenantId(),
    studentKey: text('student_key').notNull(),
    intervention: text('intervention').notNull(),
    termCode: text('term_code').notNull(),
    participated: boolean('participated').notNull(),
    eligible: boolean('eligible'),
    dose: real('dose'),
    ...lineage(),
  },
  (p) => [uniqueIndex('participations_tenant_student_intervention_term_idx').on(p.tenantId, p.studentKey, p.intervention, p.termCode)],
);

export const interventions = pgTable(
  'interventions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: text('kind'),
    startTerm: text('start_term'),
    endTerm: text('end_term'),
    costPerStudent: numeric('cost_per_student', { precision: 12, scale: 2 }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (i) => [uniqueIndex('interventions_tenant_name_idx').on(i.tenantId, i.name)],
);

/** Derived after loading (server/services/metadata/outcomes.ts); replaced on every load. */
export const studentOutcomes = pgTable(
  'student_outcomes',
  {
    tenantId: tenantId(),
    studentKey: text('student_key').notNull(),
    cohortTerm: text('cohort_term').notNull(),
    retainedFallToFall: boolean('retained_fall_to_fall'),
    persistedNextTerm: boolean('persisted_next_term'),
    graduated100: boolean('graduated_100'),
    graduated150: boolean('graduated_150'),
    graduated200: boolean('graduated_200'),
    firstYearGpa: real('first_year_gpa'),
    creditsEarnedFirstYear: real('credits_earned_first_year'),
    derivedAt: timestamp('derived_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (o) => [uniqueIndex('student_outcomes_tenant_student_cohort_idx').on(o.tenantId, o.studentKey, o.cohortTerm)],
);
