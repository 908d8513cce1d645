/**
 * Column-name synonyms for the standard model, per dataset kind and field, covering the export
 * names of the four major student information systems and the variants people type by hand:
 *
 * - Ellucian Banner: table-prefixed Oracle columns (SPRIDEN_ID, SGBSTDN_*, SFRSTCR_*, SHRTGPA_*,
 *   STVTERM_*, SPBPERS_*, SHRDGMR_*, SORHSCH_*, SOBPTRM_*).
 * - Oracle PeopleSoft Campus Solutions: record fields (EMPLID, STRM, ACAD_CAREER, UNT_TAKEN_PRGRSS,
 *   UNT_PASSD_PRGRSS, CUR_GPA, CUM_GPA, ACAD_PROG, DEGR_CONFER_DT, TERM_BEGIN_DT, CENSUS_DT).
 * - Ellucian Colleague: dotted UniData field names (STUDENTS.ID, STC.TERM, STTR.*, STPR.*, PERSON.*).
 * - Workday Student: business-object fields (Student_ID, Academic_Period, Academic_Level, …).
 *
 * Names are compared after `normaliseName`, so case, spaces, dots, dashes and camelCase do not
 * matter: `STUDENTS.ID`, `students_id`, `StudentsId` and `Students ID` are one name.
 */
import type { DatasetKind } from './standard-model';

/** Lower-case words joined by `_`: splits camelCase, treats every non-alphanumeric run as a separator. */
export function normaliseName(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The normalised name without separators: `student_id` and `studentid` compare equal. */
export function compactName(name: string): string {
  return normaliseName(name).replace(/_/g, '');
}

export type SisSystem = 'banner' | 'peoplesoft' | 'colleague' | 'workday' | 'common';

export interface SynonymEntry {
  name: string;
  system: SisSystem;
}

type SynonymLists = Partial<Record<SisSystem, string[]>>;

const STUDENT_KEY: SynonymLists = {
  banner: ['SPRIDEN_ID', 'SPRIDEN_PIDM', 'SGBSTDN_PIDM', 'SFRSTCR_PIDM', 'SHRTGPA_PIDM', 'SHRDGMR_PIDM', 'SPBPERS_PIDM', 'PIDM', 'BANNER_ID'],
  peoplesoft: ['EMPLID', 'EMPL_ID'],
  colleague: ['STUDENTS.ID', 'STC.PERSON.ID', 'STTR.STUDENT', 'STPR.STUDENT', 'PERSON.ID', 'STUDENT.ID'],
  workday: ['Student_ID', 'Student_Reference_ID', 'Universal_ID', 'Student'],
  common: ['student_key', 'student_id', 'stu_id', 'sid', 'student_number', 'student_no', 'id_number', 'learner_id', 'person_id', 'id'],
};

const TERM: SynonymLists = {
  banner: ['SFRSTCR_TERM_CODE', 'SHRTGPA_TERM_CODE', 'SGBSTDN_TERM_CODE_EFF', 'SFBETRM_TERM_CODE', 'STVTERM_CODE', 'TERM_CODE', 'TERM_CODE_KEY'],
  peoplesoft: ['STRM'],
  colleague: ['STC.TERM', 'STTR.TERM', 'TERMS.ID'],
  workday: ['Academic_Period', 'Academic_Period_ID', 'Academic_Period_Reference_ID'],
  common: ['term', 'term_code', 'termcode', 'term_id', 'academic_term', 'semester', 'session', 'period', 'term_key'],
};

const programmeTerm: SynonymLists = { ...TERM, common: [...(TERM.common ?? []), 'participation_term', 'service_term'] };

export const synonyms: Record<DatasetKind, Record<string, SynonymLists>> = {
  students: {
    student_key: STUDENT_KEY,
    birth_year: {
      banner: ['SPBPERS_BIRTH_DATE', 'BIRTH_DATE'],
      peoplesoft: ['BIRTHDATE', 'BIRTHYEAR'],
      colleague: ['BIRTH.DATE', 'PERSON.BIRTH.DATE'],
      workday: ['Date_of_Birth', 'Birth_Date'],
      common: ['birth_year', 'year_of_birth', 'yob', 'dob', 'birthdate', 'birth_yr'],
    },
    sex: {
      banner: ['SPBPERS_SEX', 'SEX_CODE'],
      peoplesoft: ['SEX'],
      colleague: ['GENDER', 'PERSON.GENDER'],
      workday: ['Legal_Sex', 'Sex', 'Gender'],
      common: ['sex', 'gender', 'ipeds_sex', 'gender_code'],
    },
    race_ethnicity: {
      banner: ['SPBPERS_ETHN_CODE', 'SPBPERS_ETHN_CDE', 'GORPRAC_RACE_CDE', 'IPEDS_RACE_ETHN', 'SPBPERS_IPEDS_ETHN'],
      peoplesoft: ['ETHNIC_GRP_CD', 'ETHNIC_GROUP', 'IPEDS_ETHNICITY'],
      colleague: ['PER.IPEDS.RACE.ETHNIC', 'IPEDS.RACE.ETHNIC', 'PER.ETHNICS', 'PER.RACES'],
      workday: ['IPEDS_Race_Ethnicity', 'Race_Ethnicity', 'Ethnicity'],
      common: ['race_ethnicity', 'ipeds_race', 'ipeds_race_ethnicity', 'race_eth', 'ethnicity', 'race', 'ethnic_code', 'race_code'],
    },
    first_generation: {
      banner: ['FIRST_GEN_IND'],
      peoplesoft: ['FIRST_GEN', 'FIRST_GENERATION'],
      colleague: ['STU.FIRST.GEN', 'FIRST.GEN'],
      workday: ['First_Generation', 'First_Generation_Student'],
      common: ['first_generation', 'first_gen', 'firstgen', 'first_gen_flag', 'first_gen_status', 'fgen'],
    },
    residency: {
      banner: ['SGBSTDN_RESD_CODE', 'RESD_CODE'],
      peoplesoft: ['RESIDENCY', 'TUITION_RES', 'FIN_AID_FED_RES'],
      colleague: ['STU.RESIDENCY.STATUS', 'RESIDENCY.STATUS', 'PER.RESIDENCY'],
      workday: ['Residency_Status', 'Residency'],
      common: ['residency', 'residency_status', 'resident', 'state_residency', 'tuition_residency', 'residency_code'],
    },
    hs_gpa: {
      banner: ['SORHSCH_GPA'],
      peoplesoft: ['EXT_GPA', 'CONVERTED_GPA', 'HS_GPA'],
      colleague: ['HS.GPA', 'INSTA.EXT.GPA'],
      workday: ['High_School_GPA'],
      common: ['hs_gpa', 'high_school_gpa', 'hsgpa', 'prior_gpa', 'secondary_gpa', 'entry_gpa'],
    },
    test_score: {
      banner: ['SORTEST_TEST_SCORE'],
      peoplesoft: ['TEST_SCORE', 'SCORE'],
      colleague: ['APP.TEST.SCORE', 'STNC.SCORE'],
      workday: ['Test_Score', 'Admission_Test_Score'],
      common: ['test_score', 'sat_total', 'sat', 'sat_score', 'act_composite', 'act', 'admission_test'],
    },
    pell_eligible_at_entry: {
      banner: ['RORSTAT_PELL_ELIG', 'PELL_ELIG_IND'],
      peoplesoft: ['PELL_ELIGIBILITY', 'PELL_ELIGIBLE'],
      colleague: ['PELL.ELIGIBLE', 'FA.PELL.ELIG'],
      workday: ['Pell_Eligible', 'Pell_Grant_Eligible'],
      common: ['pell_eligible_at_entry', 'pell_eligible', 'pell', 'pell_flag', 'pell_ind', 'pell_recipient', 'pell_grant', 'pell_status'],
    },
    cohort_term: {
      banner: ['SGBSTDN_TERM_CODE_ADMIT', 'SGBSTDN_TERM_CODE_MATRIC', 'TERM_CODE_ADMIT', 'TERM_CODE_MATRIC'],
      peoplesoft: ['ADMIT_TERM', 'REQ_TERM'],
      colleague: ['STU.ENTRY.TERM', 'STPR.START.TERM', 'ENTRY.TERM'],
      workday: ['Cohort_Academic_Period', 'Admit_Academic_Period', 'First_Academic_Period'],
      common: ['cohort_term', 'entry_term', 'admit_term', 'matric_term', 'start_term', 'first_term', 'cohort'],
    },
    first_time: {
      banner: ['SGBSTDN_STYP_CODE', 'STYP_CODE'],
      peoplesoft: ['ADMIT_TYPE'],
      colleague: ['STU.TYPES', 'STU.ADMIT.STATUS', 'ADMIT.STATUS'],
      workday: ['Student_Type', 'Admit_Type', 'First_Time'],
      common: ['first_time', 'ftic', 'first_time_in_college', 'first_time_freshman', 'ftft', 'first_time_flag', 'student_type', 'entry_type'],
    },
    degree_seeking: {
      banner: ['SGBSTDN_DEGC_CODE_1', 'DEGREE_SEEKING_IND'],
      peoplesoft: ['DEGREE_SEEKING'],
      colleague: ['STU.DEGREE.SEEKING', 'DEGREE.SEEKING'],
      workday: ['Degree_Seeking'],
      common: ['degree_seeking', 'degree_seeking_flag', 'deg_seeking', 'degree_seeking_ind'],
    },
    full_time_at_entry: {
      common: ['full_time_at_entry', 'entry_full_time', 'ft_at_entry', 'entry_load', 'full_time_entry', 'entry_ftpt', 'full_time', 'ft_pt'],
      peoplesoft: ['ACADEMIC_LOAD'],
      workday: ['Academic_Load', 'Entry_Academic_Load'],
    },
    transfer_in: {
      common: ['transfer_in', 'transfer', 'transfer_ind', 'transfer_flag', 'transfer_student', 'is_transfer'],
      workday: ['Transfer_Student'],
    },
    exclusion_reason: {
      common: ['exclusion_reason', 'ipeds_exclusion', 'exclusion_code', 'cohort_exclusion', 'gr_exclusion'],
    },
  },
  term_enrollments: {
    student_key: STUDENT_KEY,
    term: TERM,
    level: {
      banner: ['SGBSTDN_LEVL_CODE', 'SFRSTCR_LEVL_CODE', 'SHRTGPA_LEVL_CODE', 'LEVL_CODE'],
      peoplesoft: ['ACAD_CAREER'],
      colleague: ['STTR.ACAD.LEVEL', 'STC.ACAD.LEVEL', 'ACAD.LEVEL'],
      workday: ['Academic_Level'],
      common: ['level', 'student_level', 'career', 'academic_level', 'level_code'],
    },
    full_time: {
      banner: ['SGBSTDN_FULL_PART_IND', 'SFBETRM_FULL_PART_IND', 'FULL_PART_IND'],
      peoplesoft: ['ACADEMIC_LOAD'],
      colleague: ['STTR.STUDENT.LOAD', 'STUDENT.LOAD'],
      workday: ['Academic_Load'],
      common: ['full_time', 'fulltime', 'ft_pt', 'ftpt', 'full_part', 'full_part_time', 'load', 'enrollment_load', 'ft_flag', 'ft_ind'],
    },
    enrolled_at_census: {
      banner: ['SFBETRM_ESTS_CODE', 'CENSUS_ENRL_IND'],
      peoplesoft: ['ENRL_ON_CENSUS', 'CENSUS_ENRL'],
      colleague: ['STTR.CENSUS.ENRL', 'STC.CENSUS.FLAG'],
      workday: ['Enrolled_as_of_Census_Date', 'Census_Enrolled'],
      common: ['enrolled_at_census', 'census_enrolled', 'census_flag', 'census_ind', 'at_census', 'enrolled_census', 'enrolled'],
    },
    credits_attempted: {
      banner: ['SHRTGPA_HOURS_ATTEMPTED', 'SFRSTCR_CREDIT_HR', 'SFBETRM_CREDIT_HR', 'SHRTGPA_GPA_HOURS'],
      peoplesoft: ['UNT_TAKEN_PRGRSS', 'UNT_TAKEN_GPA', 'UNT_TAKEN'],
      colleague: ['STTR.ATT.CRED', 'STTR.CRED', 'STC.CRED', 'STC.ATT.CRED'],
      workday: ['Units_Attempted', 'Credits_Attempted', 'Attempted_Units'],
      common: ['credits_attempted', 'attempted_credits', 'hours_attempted', 'attempted_hours', 'credit_hours', 'units_attempted', 'credits', 'hours'],
    },
    credits_earned: {
      banner: ['SHRTGPA_HOURS_EARNED', 'SHRTGPA_HOURS_PASSED'],
      peoplesoft: ['UNT_PASSD_PRGRSS', 'UNT_EARNED', 'UNT_PASSD_GPA'],
      colleague: ['STTR.CMPL.CRED', 'STC.CMPL.CRED', 'STTR.EARNED.CRED'],
      workday: ['Units_Earned', 'Credits_Earned', 'Earned_Units'],
      common: ['credits_earned', 'earned_credits', 'hours_earned', 'earned_hours', 'units_earned', 'credits_completed', 'completed_credits'],
    },
    term_gpa: {
      banner: ['SHRTGPA_GPA'],
      peoplesoft: ['CUR_GPA', 'TERM_GPA'],
      colleague: ['STTR.GPA', 'STTR.TERM.GPA'],
      workday: ['Term_GPA', 'Academic_Period_GPA'],
      common: ['term_gpa', 'semester_gpa', 'current_gpa', 'gpa', 'tgpa'],
    },
    cumulative_gpa: {
      banner: ['SHRLGPA_GPA', 'SHRLGPA_GPA_CUM'],
      peoplesoft: ['CUM_GPA'],
      colleague: ['STTR.CUM.GPA', 'STA.CUM.GPA'],
      workday: ['Cumulative_GPA', 'Institutional_Cumulative_GPA'],
      common: ['cumulative_gpa', 'cum_gpa', 'cgpa', 'overall_gpa', 'inst_gpa', 'institutional_gpa'],
    },
    academic_standing: {
      banner: ['SHRTTRM_ASTD_CODE_END_OF_TERM', 'ASTD_CODE'],
      peoplesoft: ['ACAD_STNDNG_ACTN', 'ACAD_STNDNG_STAT'],
      colleague: ['STTR.ACAD.STANDING', 'STAC.STANDING', 'ACAD.STANDING'],
      workday: ['Academic_Standing'],
      common: ['academic_standing', 'standing', 'acad_standing', 'standing_code', 'academic_status'],
    },
    programme: {
      banner: ['SGBSTDN_MAJR_CODE_1', 'SGBSTDN_PROGRAM_1', 'MAJR_CODE', 'SORLCUR_PROGRAM'],
      peoplesoft: ['ACAD_PROG', 'ACAD_PLAN'],
      colleague: ['STPR.ACAD.PROGRAM', 'STTR.ACAD.PROGRAM', 'ACAD.PROGRAM'],
      workday: ['Program_of_Study', 'Primary_Program_of_Study'],
      common: ['programme', 'program', 'major', 'major_code', 'program_code', 'plan', 'degree_program'],
    },
  },
  participation: {
    student_key: STUDENT_KEY,
    intervention: {
      banner: ['SGRCHRT_CHRT_CODE', 'SGRSACT_ACTC_CODE', 'CHRT_CODE', 'ACTC_CODE'],
      peoplesoft: ['STDNT_GROUP'],
      colleague: ['STU.SPECIAL.PROGRAMS', 'STA.OTHER.COHORTS'],
      workday: ['Student_Cohort', 'Student_Program'],
      common: ['intervention', 'programme_name', 'program_name', 'activity', 'service', 'initiative', 'support_program', 'intervention_code', 'programme', 'program'],
    },
    term: programmeTerm,
    participated: {
      common: ['participated', 'participant', 'participation', 'participation_flag', 'treated', 'attended', 'took_part', 'enrolled_in_program'],
      workday: ['Participated'],
    },
    eligible: {
      common: ['eligible', 'eligibility', 'eligible_flag', 'is_eligible', 'eligible_ind'],
    },
    dose: {
      common: ['dose', 'sessions', 'session_count', 'hours', 'contact_hours', 'visits', 'visit_count', 'attendance_count', 'attendance', 'minutes'],
    },
  },
  awards: {
    student_key: STUDENT_KEY,
    award_level: {
      banner: ['SHRDGMR_DEGC_CODE', 'DEGC_CODE', 'STVDEGC_DLEV_CODE', 'DLEV_CODE'],
      peoplesoft: ['DEGREE', 'ACAD_DEGR'],
      colleague: ['ACAD.DEGREE', 'ACAD.ACAD.LEVEL', 'STPR.ACAD.DEGREE'],
      workday: ['Credential', 'Award_Level', 'Degree', 'Educational_Credential'],
      common: ['award_level', 'degree_level', 'credential_level', 'award_type', 'degree_code', 'degree', 'award', 'credential'],
    },
    cip: {
      banner: ['STVMAJR_CIPC_CODE', 'CIPC_CODE'],
      peoplesoft: ['CIP_CODE'],
      colleague: ['ACAD.CIP', 'MAJ.CIP', 'CIP'],
      workday: ['CIP_Code'],
      common: ['cip', 'cip_code', 'cip_6', 'cipcode'],
    },
    award_date: {
      banner: ['SHRDGMR_GRAD_DATE', 'GRAD_DATE'],
      peoplesoft: ['DEGR_CONFER_DT', 'CONFER_DT', 'COMPLETION_TERM'],
      colleague: ['ACAD.DEGREE.DATE', 'STPR.END.DATE', 'DEGREE.DATE'],
      workday: ['Conferral_Date', 'Award_Date', 'Completion_Date'],
      common: ['award_date', 'graduation_date', 'grad_date', 'conferred_date', 'conferral_date', 'degree_date', 'completion_date', 'date_awarded'],
    },
  },
  terms: {
    term_code: {
      banner: ['STVTERM_CODE', 'TERM_CODE'],
      peoplesoft: ['STRM'],
      colleague: ['TERMS.ID', 'TERM.ID'],
      workday: ['Academic_Period_ID', 'Academic_Period'],
      common: ['term_code', 'term', 'termcode', 'term_id', 'code'],
    },
    academic_year: {
      banner: ['STVTERM_ACYR_CODE', 'ACYR_CODE'],
      peoplesoft: ['ACAD_YEAR'],
      colleague: ['TERM.REPORTING.YEAR', 'TERM.ACAD.YEAR'],
      workday: ['Academic_Year'],
      common: ['academic_year', 'acad_year', 'acyr', 'school_year', 'ay'],
    },
    season: {
      banner: ['STVTERM_TRMT_CODE', 'TRMT_CODE'],
      peoplesoft: ['TERM_CATEGORY', 'SESSION_CODE'],
      colleague: ['TERM.SESSION', 'TERM.SESSIONS'],
      workday: ['Academic_Period_Type', 'Period_Type'],
      common: ['season', 'term_type', 'term_season', 'semester_type', 'term_name'],
    },
    start: {
      banner: ['STVTERM_START_DATE', 'SOBPTRM_START_DATE'],
      peoplesoft: ['TERM_BEGIN_DT', 'SESS_BEGIN_DT'],
      colleague: ['TERM.START.DATE'],
      workday: ['Start_Date', 'Academic_Period_Start_Date'],
      common: ['start', 'start_date', 'begin_date', 'term_start', 'term_begin', 'first_day'],
    },
    end: {
      banner: ['STVTERM_END_DATE', 'SOBPTRM_END_DATE'],
      peoplesoft: ['TERM_END_DT', 'SESS_END_DT'],
      colleague: ['TERM.END.DATE'],
      workday: ['End_Date', 'Academic_Period_End_Date'],
      common: ['end', 'end_date', 'term_end', 'last_day', 'finish_date'],
    },
    census_date: {
      banner: ['SOBPTRM_CENSUS_DATE', 'SOBPTRM_CENSUS_2_DATE'],
      peoplesoft: ['CENSUS_DT'],
      colleague: ['TERM.CENSUS.DATES', 'TERM.CENSUS.DATE'],
      workday: ['Census_Date'],
      common: ['census_date', 'census', 'census_day', 'reporting_date', 'census_dt'],
    },
  },
};

/** Synonym entries of one field, each with its normalised compact form. */
export function synonymsOf(kind: DatasetKind, field: string): readonly NormalisedSynonym[] {
  const key = `${kind}.${field}`;
  let out = cache.get(key);
  if (!out) {
    out = [];
    for (const [system, names] of Object.entries(synonyms[kind][field] ?? {}) as [SisSystem, string[]][]) {
      for (const name of names) out.push({ name, system, compact: compactName(name), tokens: normaliseName(name).split('_') });
    }
    cache.set(key, out);
  }
  return out;
}

export type NormalisedSynonym = SynonymEntry & { compact: string; tokens: string[] };
const cache = new Map<string, NormalisedSynonym[]>();

export const systemLabel: Record<SisSystem, string> = {
  banner: 'Banner',
  peoplesoft: 'PeopleSoft',
  colleague: 'Colleague',
  workday: 'Workday',
  common: 'common',
};
