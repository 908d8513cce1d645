/**
 * The catalogue of Causeway's standard model (PRODUCT.md, "The standard model"): for each kind of
 * dataset an institution uploads, the fields a mapping can fill, their types, whether they are
 * required, and the range a plausible value lies in. Suggestion, transforms, mapping and
 * validation all read this one table, so a field added here is mapped, typed and checked
 * everywhere. Categories use IPEDS codes where IPEDS defines them.
 */

export const datasetKinds = ['students', 'term_enrollments', 'participation', 'awards', 'terms'] as const;
export type DatasetKind = (typeof datasetKinds)[number];

export const fieldTypes = ['string', 'integer', 'decimal', 'boolean', 'date', 'term', 'category'] as const;
export type FieldType = (typeof fieldTypes)[number];

/** A value in a mapped, typed standard-model row. Dates are ISO `YYYY-MM-DD` strings; terms are canonical term codes. */
export type FieldValue = string | number | boolean | null;
export type StandardRow = Record<string, FieldValue>;

export const seasons = ['fall', 'winter', 'spring', 'summer'] as const;
export type Season = (typeof seasons)[number];

/**
 * IPEDS race/ethnicity, the nine reporting categories (IPEDS "Race/ethnicity categories",
 * 1997 OMB standards as collected since 2010-11; "Nonresident alien" renamed "U.S. Nonresident"
 * in 2022-23). Nonresidents are reported in their own category regardless of race.
 */
export const ipedsRaceEthnicity = [
  'us_nonresident',
  'hispanic_latino',
  'american_indian_alaska_native',
  'asian',
  'black_african_american',
  'native_hawaiian_pacific_islander',
  'white',
  'two_or_more_races',
  'unknown',
] as const;

/** Sex as IPEDS collects it (men/women), plus the 2022-23 "another gender" and unknown. */
export const sexCategories = ['female', 'male', 'another', 'unknown'] as const;
export const residencyCategories = ['in_state', 'out_of_state', 'international', 'unknown'] as const;
export const levelCategories = ['undergraduate', 'graduate', 'professional', 'non_degree'] as const;
export const standingCategories = ['good', 'warning', 'probation', 'suspension', 'dismissal', 'unknown'] as const;

/** IPEDS award levels (Completions survey award-level codes 1–8, 17–19, condensed into names). */
export const awardLevels = [
  'certificate_under_1_year',
  'certificate_1_to_2_years',
  'associate',
  'certificate_2_to_4_years',
  'bachelor',
  'postbaccalaureate_certificate',
  'master',
  'post_master_certificate',
  'doctor_research',
  'doctor_professional',
  'doctor_other',
] as const;
export type AwardLevel = (typeof awardLevels)[number];

/**
 * IPEDS Graduation Rates allowable exclusions: students who left the cohort because they died or
 * became totally and permanently disabled, joined the armed forces, the foreign aid service of
 * the federal government, or an official church mission (IPEDS GR glossary, "Exclusions").
 */
export const exclusionReasons = ['deceased', 'permanently_disabled', 'armed_forces', 'foreign_aid_service', 'official_church_mission'] as const;

export interface FieldRange {
  min?: number;
  /** A number, or `'currentYear'` for the calendar year at validation time. */
  max?: number | 'currentYear';
  /** When set, the validator's option of that name (e.g. the institution's GPA scale) replaces `max`. */
  maxOption?: 'gpaMax' | 'hsGpaMax';
}

export interface DateRange {
  /** Earliest plausible year. */
  minYear: number;
  /** Latest plausible date: this many years after the validation date. */
  maxYearsAhead: number;
}

export interface FieldDef {
  name: string;
  type: FieldType;
  required: boolean;
  description: string;
  /** Allowed values of a `category` field. */
  allowed?: readonly string[];
  range?: FieldRange;
  dates?: DateRange;
  /** Marks GPA fields: suggestion looks at their scale. */
  gpa?: boolean;
}

const f = (name: string, type: FieldType, required: boolean, description: string, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  type,
  required,
  description,
  ...extra,
});

const studentKey = f('student_key', 'string', true, 'The institution’s student identifier (pseudonymised on request); joins every dataset.');
const gpa4 = { range: { min: 0, max: 4, maxOption: 'gpaMax' as const }, gpa: true };
const credits = { range: { min: 0, max: 60 } };

export const standardModel: Record<DatasetKind, readonly FieldDef[]> = {
  students: [
    studentKey,
    f('birth_year', 'integer', false, 'Year of birth (age at entry is derived from it).', { range: { min: 1900, max: 'currentYear' } }),
    f('sex', 'category', false, 'Sex as reported to IPEDS.', { allowed: sexCategories }),
    f('race_ethnicity', 'category', false, 'IPEDS race/ethnicity, one of the nine reporting categories.', { allowed: ipedsRaceEthnicity }),
    f('first_generation', 'boolean', false, 'Neither parent completed a bachelor’s degree.'),
    f('residency', 'category', false, 'Tuition residency at entry.', { allowed: residencyCategories }),
    f('hs_gpa', 'decimal', false, 'High-school GPA on a 4-point scale (weighted GPAs up to 5.0 allowed).', {
      range: { min: 0, max: 5, maxOption: 'hsGpaMax' },
      gpa: true,
    }),
    f('test_score', 'decimal', false, 'Admission test score on the SAT scale (ACT converted with the concordance table).', { range: { min: 0, max: 1600 } }),
    f('pell_eligible_at_entry', 'boolean', false, 'Pell-eligible in the entry term.'),
    f('cohort_term', 'term', true, 'The term the student entered the cohort (IPEDS cohort term).'),
    f('first_time', 'boolean', true, 'First-time student (no prior postsecondary attendance after high school), IPEDS definition.'),
    f('degree_seeking', 'boolean', true, 'Enrolled in a degree or certificate programme.'),
    f('full_time_at_entry', 'boolean', false, 'Full-time in the cohort term.'),
    f('transfer_in', 'boolean', false, 'Entered with credit transferred from another institution.'),
    f('exclusion_reason', 'category', false, 'IPEDS allowable exclusion, if the student left the cohort for one.', { allowed: exclusionReasons }),
  ],
  term_enrollments: [
    studentKey,
    f('term', 'term', true, 'The term of this enrollment.'),
    f('level', 'category', false, 'Student level in the term.', { allowed: levelCategories }),
    f('full_time', 'boolean', false, 'Full-time in the term by the institution’s load rule.'),
    f('enrolled_at_census', 'boolean', false, 'Enrolled on the census date. Absent: the row is taken as a census-date enrollment.'),
    f('credits_attempted', 'decimal', false, 'Credits attempted in the term (also the weight of the term GPA).', credits),
    f('credits_earned', 'decimal', false, 'Credits earned in the term.', credits),
    f('term_gpa', 'decimal', false, 'Term GPA on the 4-point scale.', gpa4),
    f('cumulative_gpa', 'decimal', false, 'Cumulative institutional GPA at the end of the term, 4-point scale.', gpa4),
    f('academic_standing', 'category', false, 'Academic standing at the end of the term.', { allowed: standingCategories }),
    f('programme', 'string', false, 'Programme or major (local code or CIP).'),
  ],
  participation: [
    studentKey,
    f('intervention', 'string', true, 'The programme (intervention) name or code.'),
    f('term', 'term', true, 'The term of participation.'),
    f('participated', 'boolean', true, 'Took part in the programme in this term.'),
    f('eligible', 'boolean', false, 'Was eligible for the programme in this term.'),
    f('dose', 'decimal', false, 'Amount of participation (sessions or hours).', { range: { min: 0, max: 10_000 } }),
  ],
  awards: [
    studentKey,
    f('award_level', 'category', true, 'IPEDS award level of the credential.', { allowed: awardLevels }),
    f('cip', 'string', false, 'CIP code of the programme (e.g. 52.0201).'),
    f('award_date', 'date', true, 'Date the credential was conferred.', { dates: { minYear: 1950, maxYearsAhead: 1 } }),
  ],
  terms: [
    f('term_code', 'term', true, 'The term code as used in the other datasets.'),
    f('academic_year', 'integer', true, 'Academic year, by its starting calendar year (2021 = 2021-22).', { range: { min: 1950, max: 2100 } }),
    f('season', 'category', true, 'Season of the term.', { allowed: seasons }),
    f('start', 'date', true, 'First day of the term.', { dates: { minYear: 1950, maxYearsAhead: 5 } }),
    f('end', 'date', true, 'Last day of the term.', { dates: { minYear: 1950, maxYearsAhead: 5 } }),
    f('census_date', 'date', false, 'Official census (reporting) date of the term; enrollment counts are taken on it.', {
      dates: { minYear: 1950, maxYearsAhead: 5 },
    }),
  ],
};

/**
 * Reads a dataset kind as other modules spell it: the datasets service uses `term-enrollments`,
 * the standard model `term_enrollments`. Undefined for anything else.
 */
export function toStandardKind(kind: string): DatasetKind | undefined {
  const k = kind.trim().toLowerCase().replace(/-/g, '_');
  return (datasetKinds as readonly string[]).includes(k) ? (k as DatasetKind) : undefined;
}

/** The field definitions of a dataset kind, by name. */
export function fieldsOf(kind: DatasetKind): ReadonlyMap<string, FieldDef> {
  return fieldMaps[kind];
}

const byName = (kind: DatasetKind): ReadonlyMap<string, FieldDef> => new Map(standardModel[kind].map((def) => [def.name, def]));
const fieldMaps: Record<DatasetKind, ReadonlyMap<string, FieldDef>> = {
  students: byName('students'),
  term_enrollments: byName('term_enrollments'),
  participation: byName('participation'),
  awards: byName('awards'),
  terms: byName('terms'),
};

export function requiredFields(kind: DatasetKind): string[] {
  return standardModel[kind].filter((def) => def.required).map((def) => def.name);
}
