/**
 * A seeded, pure generator of a realistic Banner-style SIS export: terms, students, term
 * enrollments, programme participation and bachelor's awards, as CSV text. It feeds the demo
 * institution (`npm start`), tests, and benchmarks at scale (1,000,000 students streamed in
 * batches without holding the files in memory).
 *
 * Data-generating process (one independent random stream per student, derived from the seed and
 * the student's index, so any batch or file can be produced on its own and every mode gives the
 * same rows):
 *
 * 1. Covariates. Sex, IPEDS race/ethnicity (local codes), first generation, Pell, residency,
 *    high-school GPA, SAT (about 20% missing, more often for lower GPAs: test-optional), birth
 *    date, first-time or transfer (STYP F/T), degree-seeking, full- or part-time at entry.
 * 2. Programme (Summer Bridge, the summer before the fall cohort term). Eligible: first-time,
 *    degree-seeking fall entrants (the IPEDS retention cohort). Participation is a logistic
 *    function of the covariates — lower HS GPA, first-generation, Pell, Black and Hispanic
 *    students join more often, part-time students less — so it is confounded with the outcome.
 * 3. Fall-to-fall retention. Potential outcomes Y(0), Y(1) share one uniform draw U:
 *    Y(d) = [U < expit(η + d·β)], where η depends on the same covariates (higher HS GPA and SAT,
 *    full-time, women retained more; first-generation and Pell less; a 2020 cohort dip) and β is
 *    `effectOnRetentionLogit`. The observed outcome is Y(D). The truth reported is the ATT on the
 *    risk-difference scale, mean over participants of expit(η+β) − expit(η) (the conditional
 *    sample ATT); the realised mean of Y(1) − Y(0) over participants is reported too.
 * 4. Enrollment history consistent with the outcome: everyone is enrolled in the cohort fall;
 *    retained students are enrolled at the next fall census (and nearly all in the spring
 *    between); non-retained students are enrolled in the spring at most and never again. From
 *    the second fall on, each fall/spring term carries a dropout hazard that falls with the
 *    cumulative GPA; a degree-seeker whose earned credits (plus transfer credit) reach 120 at
 *    the end of a spring term is awarded a bachelor's degree on that term's end date and stops
 *    enrolling. No summer enrollments, so no one completes before the next fall: the loader's
 *    derived IPEDS retention (enrolled at next fall census, or completed) equals the indicator.
 *
 * Pure: no I/O, no clock, no `Math.random`. Streaming plumbing lives in `bench/sis-generate.ts`.
 */
import { AppError } from '../../server/errors/app-error';
import { createRng, type Rng } from '../../workers/causal/random/rng';

// ---------------------------------------------------------------- options and results

export interface SisProgrammeOptions {
  /** Programme (intervention) name as written in participation.csv. Default 'Summer Bridge'. */
  name?: string;
  /**
   * Effect of participation on the log-odds of fall-to-fall retention. Default
   * `DEFAULT_EFFECT_ON_RETENTION_LOGIT`, which gives an ATT of about +6 percentage points.
   */
  effectOnRetentionLogit?: number;
}

export interface SisGeneratorOptions {
  seed: number | string;
  /** Number of students (all entry types). Default 4,000. */
  students?: number;
  /** Fall cohort years (admit terms yyyy80). Default 2019–2023. */
  cohorts?: readonly number[];
  programme?: SisProgrammeOptions;
  /** Last fall term with data (its year). Default: the last cohort + 1, so every cohort's retention is observed. */
  throughYear?: number;
  /** Write awards.csv (bachelor's degrees). Default true. */
  awards?: boolean;
}

export const sisFileNames = ['terms.csv', 'students.csv', 'enrollments.csv', 'participation.csv', 'awards.csv'] as const;
export type SisFileName = (typeof sisFileNames)[number];

export const sisHeaders: Record<SisFileName, readonly string[]> = {
  'terms.csv': ['STVTERM_CODE', 'STVTERM_DESC', 'STVTERM_START_DATE', 'STVTERM_END_DATE', 'STVTERM_CENSUS_DATE'],
  'students.csv': [
    'SPRIDEN_ID',
    'SGBSTDN_TERM_CODE_ADMIT',
    'SGBSTDN_STYP_CODE',
    'DEGREE_SEEKING_IND',
    'SPBPERS_SEX',
    'SPBPERS_ETHN_CODE',
    'FIRST_GEN_IND',
    'SGBSTDN_RESD_CODE',
    'SORHSCH_GPA',
    'SORTEST_TEST_SCORE',
    'PELL_ELIG_IND',
    'SPBPERS_BIRTH_DATE',
  ],
  'enrollments.csv': [
    'SPRIDEN_ID',
    'SFRSTCR_TERM_CODE',
    'SFBETRM_FULL_PART_IND',
    'SHRTGPA_HOURS_ATTEMPTED',
    'SHRTGPA_HOURS_EARNED',
    'SHRTGPA_GPA',
    'SHRLGPA_GPA',
  ],
  'participation.csv': ['SPRIDEN_ID', 'PROGRAM_NAME', 'TERM_CODE', 'PARTICIPATED', 'ELIGIBLE', 'SESSIONS'],
  'awards.csv': ['SPRIDEN_ID', 'SHRDGMR_DEGC_CODE', 'STVMAJR_CIPC_CODE', 'SHRDGMR_GRAD_DATE'],
};

/**
 * Local race/ethnicity codes (SPBPERS_ETHN_CODE) and their IPEDS categories. All are codes the
 * mapping suggestion recognises (two or more races is `MU`).
 */
export const raceCodes = {
  WH: 'white',
  HI: 'hispanic_latino',
  BL: 'black_african_american',
  AS: 'asian',
  MU: 'two_or_more_races',
  AI: 'american_indian_alaska_native',
  PI: 'native_hawaiian_pacific_islander',
  NR: 'us_nonresident',
  UN: 'unknown',
} as const;
type RaceCode = keyof typeof raceCodes;

/** Calibrated so the ATT on the risk-difference scale is about +0.06 with the default design. */
export const DEFAULT_EFFECT_ON_RETENTION_LOGIT = 0.34;
export const DEFAULT_COHORTS: readonly number[] = [2019, 2020, 2021, 2022, 2023];
export const DEFAULT_STUDENTS = 4_000;

export interface SisTruth {
  /** ATT on the risk-difference scale: mean over participants of P(Y(1)=1 | X) − P(Y(0)=1 | X). */
  attRetention: number;
  /** Mean over participants of the realised Y(1) − Y(0) (shared uniform draw). */
  attRetentionRealized: number;
  /** Participants (participated = Y). */
  participants: number;
  /** First-time, degree-seeking fall entrants: the IPEDS retention cohort, all eligible for the programme. */
  cohortSize: number;
  /** Observed fall-to-fall retention rate in the cohort. */
  retainedRate: number;
  /** Observed retention of participants minus non-participants in the cohort (confounded). */
  naiveDifference: number;
  effectOnRetentionLogit: number;
  programme: string;
  /** Data rows (headers excluded) per file. */
  rows: Record<SisFileName, number>;
}

/** What the generator knows about one student (in-memory mode). */
export interface SisStudentTruth {
  id: string;
  cohortTerm: string;
  /** First-time, degree-seeking fall entrant (IPEDS retention cohort and programme eligibility). */
  inRetentionCohort: boolean;
  participated: boolean;
  /** Retained fall to fall (enrolled at the next fall census); null outside the retention cohort. */
  retained: boolean | null;
  /** P(retained) without and with the programme. */
  p0: number;
  p1: number;
  y0: boolean;
  y1: boolean;
}

export type SisChunk = Record<SisFileName, string>;

export interface SisExport {
  files: Record<SisFileName, string>;
  truth: SisTruth;
  students: SisStudentTruth[];
}

// ---------------------------------------------------------------- calendar

export interface SisTerm {
  code: string;
  description: string;
  season: 'spring' | 'summer' | 'fall';
  year: number;
  start: string;
  end: string;
  census: string;
}

const DAY = 86_400_000;
const isoOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The first Monday on or after the given date (UTC ms). */
function mondayOnOrAfter(year: number, month: number, day: number): number {
  const ms = Date.UTC(year, month - 1, day);
  const dow = new Date(ms).getUTCDay();
  return ms + (((8 - dow) % 7) * DAY);
}

function makeTerm(year: number, season: SisTerm['season']): SisTerm {
  const spec = { spring: { suffix: '10', m: 1, d: 9, len: 120, census: 14 }, summer: { suffix: '50', m: 5, d: 20, len: 75, census: 7 }, fall: { suffix: '80', m: 8, d: 20, len: 116, census: 14 } }[season];
  const start = mondayOnOrAfter(year, spec.m, spec.d);
  return {
    code: `${year}${spec.suffix}`,
    description: `${season[0]!.toUpperCase()}${season.slice(1)} ${year}`,
    season,
    year,
    start: isoOf(start),
    end: isoOf(start + spec.len * DAY),
    census: isoOf(start + spec.census * DAY),
  };
}

/** Terms from the summer of the first cohort year through the fall of `throughYear`: spring, summer, fall. */
export function sisTerms(firstYear: number, throughYear: number): SisTerm[] {
  const out: SisTerm[] = [];
  for (let y = firstYear; y <= throughYear; y++) {
    if (y > firstYear) out.push(makeTerm(y, 'spring'));
    out.push(makeTerm(y, 'summer'));
    out.push(makeTerm(y, 'fall'));
  }
  return out;
}

// ---------------------------------------------------------------- helpers

const expit = (x: number): number => 1 / (1 + Math.exp(-x));
const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);
const fixed2 = (x: number): string => (Math.round(x * 100) / 100).toFixed(2);
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** Banner/Oracle DD-MON-YYYY. */
function bannerDate(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCDate()).padStart(2, '0')}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()}`;
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function pick<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  let u = rng.next();
  for (const [item, weight] of items) {
    if (u < weight) return item;
    u -= weight;
  }
  return items[items.length - 1]![0];
}

const RACE_WEIGHTS: readonly (readonly [RaceCode, number])[] = [
  ['WH', 0.5],
  ['HI', 0.19],
  ['BL', 0.13],
  ['AS', 0.07],
  ['MU', 0.05],
  ['AI', 0.01],
  ['PI', 0.005],
  ['NR', 0.025],
  ['UN', 0.02],
];
const FT_HOURS: readonly (readonly [number, number])[] = [
  [12, 0.14],
  [13, 0.1],
  [14, 0.12],
  [15, 0.34],
  [16, 0.14],
  [17, 0.1],
  [18, 0.06],
];
const PT_HOURS: readonly (readonly [number, number])[] = [
  [3, 0.12],
  [6, 0.33],
  [7, 0.1],
  [9, 0.3],
  [10, 0.05],
  [11, 0.1],
];
const CIP: readonly (readonly [string, string, number])[] = [
  ['52.0201', 'BS', 0.18],
  ['26.0101', 'BS', 0.12],
  ['42.0101', 'BA', 0.11],
  ['51.3801', 'BS', 0.1],
  ['11.0701', 'BS', 0.08],
  ['13.1202', 'BA', 0.08],
  ['45.1001', 'BA', 0.07],
  ['24.0101', 'BA', 0.09],
  ['14.1901', 'BS', 0.07],
  ['50.0409', 'BA', 0.1],
];

// Coefficients of the data-generating process.
const PARTICIPATION = { intercept: -1.75, hsGpa: -1.3, firstGen: 0.7, pell: 0.6, blackHispanic: 0.35, partTime: -0.6, female: 0.15 };
const RETENTION = { intercept: 1.65, hsGpa: 1.0, sat: 0.0012, firstGen: -0.35, pell: -0.35, partTime: -0.7, female: 0.12, outOfState: -0.2, cohort2020: -0.25, noise: 0.5 };

// ---------------------------------------------------------------- one student

interface ResolvedOptions {
  seed: number | string;
  students: number;
  cohorts: number[];
  programme: string;
  beta: number;
  throughYear: number;
  awards: boolean;
  terms: SisTerm[];
  termByCode: Map<string, SisTerm>;
}

interface StudentRows {
  truth: SisStudentTruth;
  student: string;
  enrollments: string[];
  participation: string | null;
  award: string | null;
}

function resolve(options: SisGeneratorOptions): ResolvedOptions {
  const students = options.students ?? DEFAULT_STUDENTS;
  if (!Number.isInteger(students) || students < 1 || students > 50_000_000) {
    throw new AppError('BAD_REQUEST', `The number of students must be a whole number from 1 to 50,000,000; got ${students}.`, { students });
  }
  const cohorts = [...(options.cohorts ?? DEFAULT_COHORTS)].sort((a, b) => a - b);
  if (cohorts.length === 0) throw new AppError('BAD_REQUEST', 'Give at least one fall cohort year, e.g. [2019, 2020, 2021].');
  for (const [i, year] of cohorts.entries()) {
    if (!Number.isInteger(year) || year < 1950 || year > 2090) {
      throw new AppError('BAD_REQUEST', `Cohort years must be whole years from 1950 to 2090; got ${year}.`, { cohort: year });
    }
    if (i > 0 && cohorts[i - 1] === year) throw new AppError('BAD_REQUEST', `Cohort year ${year} is listed twice.`, { cohort: year });
  }
  const last = cohorts[cohorts.length - 1]!;
  const throughYear = options.throughYear ?? last + 1;
  if (!Number.isInteger(throughYear) || throughYear <= last || throughYear > 2100) {
    throw new AppError('BAD_REQUEST', `throughYear must be a year after the last cohort (${last}) so its retention is observed; got ${throughYear}.`, {
      throughYear,
    });
  }
  const programme = (options.programme?.name ?? 'Summer Bridge').trim();
  if (programme === '') throw new AppError('BAD_REQUEST', 'The programme name must not be empty.');
  const beta = options.programme?.effectOnRetentionLogit ?? DEFAULT_EFFECT_ON_RETENTION_LOGIT;
  if (!Number.isFinite(beta) || Math.abs(beta) > 10) {
    throw new AppError('BAD_REQUEST', `effectOnRetentionLogit must be a finite number between −10 and 10; got ${beta}.`, { effectOnRetentionLogit: beta });
  }
  const terms = sisTerms(cohorts[0]!, throughYear);
  return {
    seed: options.seed,
    students,
    cohorts,
    programme,
    beta,
    throughYear,
    awards: options.awards ?? true,
    terms,
    termByCode: new Map(terms.map((t) => [t.code, t])),
  };
}

/** Banner-style ID: a letter and eight digits. */
export const sisStudentId = (index: number): string => `A${String(index + 1).padStart(8, '0')}`;

function simulateStudent(o: ResolvedOptions, base: Rng, index: number): StudentRows {
  const rng = base.derive(index);
  const id = sisStudentId(index);
  const cohortYear = o.cohorts[Math.floor((index * o.cohorts.length) / o.students)]!;
  const cohortTerm = o.termByCode.get(`${cohortYear}80`)!;

  // 1. Covariates.
  const firstTime = rng.next() < 0.86;
  const degreeSeeking = rng.next() < 0.97;
  const sexU = rng.next();
  const sex = sexU < 0.56 ? 'F' : sexU < 0.992 ? 'M' : 'N';
  const race = pick(rng, RACE_WEIGHTS);
  const blackHispanic = race === 'BL' || race === 'HI' ? 1 : 0;
  const firstGen = rng.next() < 0.25 + 0.2 * blackHispanic + (race === 'NR' ? -0.1 : 0) ? 1 : 0;
  const pell = rng.next() < 0.22 + 0.25 * firstGen + 0.1 * blackHispanic ? 1 : 0;
  const residency = race === 'NR' ? 'F' : rng.next() < 0.82 ? 'R' : 'N';
  const ability = rng.normal();
  const hsGpa = clamp(3.32 - 0.12 * firstGen - 0.1 * pell + 0.42 * ability + 0.12 * rng.normal(), 1.6, 4.0);
  const satLatent = clamp(Math.round((1080 + 150 * ability - 30 * firstGen - 25 * pell + 90 * rng.normal()) / 10) * 10, 400, 1600);
  const satMissing = rng.next() < clamp(0.2 - 0.18 * (hsGpa - 3.3), 0.05, 0.5);
  const partTime = rng.next() < (firstTime ? 0.1 + 0.06 * pell : 0.3) ? 1 : 0;
  const ageYears = firstTime ? 17.6 + 0.95 * rng.next() + (rng.next() < 0.06 ? 4 * rng.next() : 0) : 19 + 2.5 * rng.gamma(1.6);
  const birthMs = Date.parse(`${cohortTerm.start}T00:00:00Z`) - Math.round(ageYears * 365.25) * DAY;
  const female = sex === 'F' ? 1 : 0;
  const transferCredits = firstTime ? (rng.next() < 0.3 ? 3 * (1 + rng.nextInt(4)) : 0) : 24 + 3 * rng.nextInt(11);

  // 2. Programme participation (eligible: the retention cohort).
  const inRetentionCohort = firstTime && degreeSeeking;
  const hs = hsGpa - 3.3;
  const eP =
    PARTICIPATION.intercept +
    PARTICIPATION.hsGpa * hs +
    PARTICIPATION.firstGen * firstGen +
    PARTICIPATION.pell * pell +
    PARTICIPATION.blackHispanic * blackHispanic +
    PARTICIPATION.partTime * partTime +
    PARTICIPATION.female * female;
  const participated = inRetentionCohort && rng.next() < expit(eP);
  const sessions = participated ? 6 + rng.poisson(12) : 0;

  // 3. Retention potential outcomes (shared uniform draw).
  const eta =
    RETENTION.intercept +
    RETENTION.hsGpa * hs +
    RETENTION.sat * (satLatent - 1080) +
    RETENTION.firstGen * firstGen +
    RETENTION.pell * pell +
    RETENTION.partTime * partTime +
    RETENTION.female * female +
    (residency === 'N' ? RETENTION.outOfState : 0) +
    (cohortYear === 2020 ? RETENTION.cohort2020 : 0) +
    RETENTION.noise * rng.normal() +
    (firstTime ? 0 : 0.2);
  const p0 = expit(eta);
  const p1 = expit(eta + o.beta);
  const u = rng.next();
  const y0 = u < p0;
  const y1 = u < p1;
  const retainedAll = participated ? y1 : y0;

  // 4. Enrollment history over fall/spring terms from the cohort fall on.
  const enrollments: string[] = [];
  let fullTime = partTime === 0;
  let gpaPoints = 0;
  let gpaHours = 0;
  let earnedTotal = 0;
  let award: string | null = null;
  const termSeq = o.terms.filter((t) => t.season !== 'summer' && t.start >= cohortTerm.start);
  const studentAbility = 0.85 * hs + 0.25 * ability + 0.3 * rng.normal();
  for (let k = 0; k < termSeq.length; k++) {
    const term = termSeq[k]!;
    let enrolled: boolean;
    if (k === 0) enrolled = true;
    else if (k === 1) enrolled = retainedAll ? rng.next() < 0.96 : rng.next() < 0.55;
    else if (k === 2) enrolled = retainedAll;
    else {
      const cum = gpaHours > 0 ? gpaPoints / gpaHours : 2.5;
      enrolled = rng.next() >= expit(-3.4 - 1.1 * (cum - 2.8) + 0.3 * (fullTime ? 0 : 1));
    }
    if (!enrolled) {
      if (k === 1 && retainedAll) continue; // stopped out in spring, back in the fall
      break;
    }
    if (k > 0 && rng.next() < (fullTime ? 0.04 : 0.15)) fullTime = !fullTime;
    const attempted = pick(rng, fullTime ? FT_HOURS : PT_HOURS);
    const yearOneSignal = k <= 1 ? (retainedAll ? 0.2 : -0.45) : 0.1;
    let gpa = clamp(2.85 + studentAbility + yearOneSignal + 0.45 * rng.normal(), 0, 4);
    if (gpa < 0.35) gpa = 0;
    gpa = Math.round(gpa * 100) / 100;
    const courses = Math.max(1, Math.round(attempted / 3.3));
    const pFail = clamp((2.5 - gpa) / 2.8, 0.01, 0.95);
    let failed = 0;
    for (let c = 0; c < courses; c++) if (rng.next() < pFail) failed++;
    const earned = Math.max(0, attempted - 3 * failed);
    gpaPoints += gpa * attempted;
    gpaHours += attempted;
    earnedTotal += earned;
    enrollments.push(`${id},${term.code},${fullTime ? 'F' : 'P'},${attempted},${earned},${fixed2(gpa)},${fixed2(gpaPoints / gpaHours)}`);
    if (degreeSeeking && term.season === 'spring' && earnedTotal + transferCredits >= 120 && k >= 3) {
      if (o.awards) {
        const [cip, degree] = pickCip(rng);
        award = `${id},${degree},${cip},${bannerDate(Date.parse(`${term.end}T00:00:00Z`))}`;
      }
      break;
    }
  }

  const student = [
    id,
    cohortTerm.code,
    firstTime ? 'F' : 'T',
    degreeSeeking ? 'Y' : 'N',
    sex,
    race,
    firstGen ? 'Y' : 'N',
    residency,
    hsGpa.toFixed(2),
    satMissing ? '' : String(satLatent),
    pell ? 'Y' : 'N',
    bannerDate(birthMs),
  ].join(',');
  const programmeTerm = `${cohortYear}50`;
  const participation = firstTime
    ? `${id},${csvField(o.programme)},${programmeTerm},${participated ? 'Y' : 'N'},${inRetentionCohort ? 'Y' : 'N'},${sessions}`
    : null;
  return {
    truth: { id, cohortTerm: cohortTerm.code, inRetentionCohort, participated, retained: inRetentionCohort ? retainedAll : null, p0, p1, y0, y1 },
    student,
    enrollments,
    participation,
    award,
  };
}

function pickCip(rng: Rng): [string, string] {
  let u = rng.next();
  for (const [cip, degree, w] of CIP) {
    if (u < w) return [cip, degree];
    u -= w;
  }
  return [CIP[0]![0], CIP[0]![1]];
}

// ---------------------------------------------------------------- batches, streams, in memory

class TruthAccumulator {
  private cohort = 0;
  private retained = 0;
  private treated = 0;
  private treatedRetained = 0;
  private effect = 0;
  private realized = 0;
  readonly rows: Record<SisFileName, number> = { 'terms.csv': 0, 'students.csv': 0, 'enrollments.csv': 0, 'participation.csv': 0, 'awards.csv': 0 };

  add(s: StudentRows): void {
    const t = s.truth;
    this.rows['students.csv']++;
    this.rows['enrollments.csv'] += s.enrollments.length;
    if (s.participation !== null) this.rows['participation.csv']++;
    if (s.award !== null) this.rows['awards.csv']++;
    if (!t.inRetentionCohort) return;
    this.cohort++;
    if (t.retained) this.retained++;
    if (t.participated) {
      this.treated++;
      if (t.retained) this.treatedRetained++;
      this.effect += t.p1 - t.p0;
      this.realized += (t.y1 ? 1 : 0) - (t.y0 ? 1 : 0);
    }
  }

  finish(o: ResolvedOptions): SisTruth {
    const controls = this.cohort - this.treated;
    const naive =
      this.treated > 0 && controls > 0 ? this.treatedRetained / this.treated - (this.retained - this.treatedRetained) / controls : Number.NaN;
    return {
      attRetention: this.treated > 0 ? this.effect / this.treated : Number.NaN,
      attRetentionRealized: this.treated > 0 ? this.realized / this.treated : Number.NaN,
      participants: this.treated,
      cohortSize: this.cohort,
      retainedRate: this.cohort > 0 ? this.retained / this.cohort : Number.NaN,
      naiveDifference: naive,
      effectOnRetentionLogit: o.beta,
      programme: o.programme,
      rows: { ...this.rows, 'terms.csv': o.terms.length },
    };
  }
}

const headerLine = (file: SisFileName): string => `${sisHeaders[file].join(',')}\n`;

function termsText(o: ResolvedOptions): string {
  let text = headerLine('terms.csv');
  for (const t of o.terms) text += `${t.code},${t.description},${t.start},${t.end},${t.census}\n`;
  return text;
}

export interface SisStreamOptions {
  /** Students per yielded chunk. Default 5,000. */
  batchStudents?: number;
  /** Called with each student's truth (in-memory mode keeps them). */
  onStudent?: (truth: SisStudentTruth) => void;
}

/**
 * The export as chunks of CSV text, one chunk per batch of students, each holding the lines of
 * every file (ending in newlines). The first chunk carries the headers and the whole terms file;
 * files the options leave out (awards) stay empty strings. Returns the truth when done.
 */
export function* sisExportChunks(options: SisGeneratorOptions, stream: SisStreamOptions = {}): Generator<SisChunk, SisTruth, void> {
  const o = resolve(options);
  const batch = stream.batchStudents ?? 5_000;
  if (!Number.isInteger(batch) || batch < 1) throw new AppError('BAD_REQUEST', `batchStudents must be a positive whole number; got ${batch}.`);
  const base = createRng(o.seed);
  const acc = new TruthAccumulator();
  for (let from = 0; from < o.students; from += batch) {
    const first = from === 0;
    const parts = { students: [] as string[], enrollments: [] as string[], participation: [] as string[], awards: [] as string[] };
    const to = Math.min(o.students, from + batch);
    for (let i = from; i < to; i++) {
      const s = simulateStudent(o, base, i);
      acc.add(s);
      stream.onStudent?.(s.truth);
      parts.students.push(s.student);
      for (const e of s.enrollments) parts.enrollments.push(e);
      if (s.participation !== null) parts.participation.push(s.participation);
      if (s.award !== null) parts.awards.push(s.award);
    }
    const body = (lines: string[]) => (lines.length ? `${lines.join('\n')}\n` : '');
    yield {
      'terms.csv': first ? termsText(o) : '',
      'students.csv': (first ? headerLine('students.csv') : '') + body(parts.students),
      'enrollments.csv': (first ? headerLine('enrollments.csv') : '') + body(parts.enrollments),
      'participation.csv': (first ? headerLine('participation.csv') : '') + body(parts.participation),
      'awards.csv': o.awards ? (first ? headerLine('awards.csv') : '') + body(parts.awards) : '',
    };
  }
  return acc.finish(o);
}

/** Async form of `sisExportChunks`, yielding to the event loop between batches. */
export async function* streamSisExport(options: SisGeneratorOptions, stream: SisStreamOptions = {}): AsyncGenerator<SisChunk, SisTruth, void> {
  const chunks = sisExportChunks(options, stream);
  for (;;) {
    const next = chunks.next();
    if (next.done) return next.value;
    yield next.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The lines (without newlines, header first) of one file, streamed; the other files are not kept. */
export async function* sisFileLines(options: SisGeneratorOptions, file: SisFileName, stream: SisStreamOptions = {}): AsyncGenerator<string, void, void> {
  for await (const chunk of streamSisExport(options, stream)) {
    const text = chunk[file];
    if (text === '') continue;
    const lines = text.split('\n');
    lines.pop();
    for (const line of lines) yield line;
  }
}

/** The whole export in memory, with every student's truth. For demo and test sizes. */
export function generateSisExport(options: SisGeneratorOptions): SisExport {
  const students: SisStudentTruth[] = [];
  const texts: Record<SisFileName, string[]> = { 'terms.csv': [], 'students.csv': [], 'enrollments.csv': [], 'participation.csv': [], 'awards.csv': [] };
  const chunks = sisExportChunks(options, { batchStudents: 10_000, onStudent: (t) => students.push(t) });
  for (;;) {
    const next = chunks.next();
    if (next.done) {
      const files = Object.fromEntries(sisFileNames.map((f) => [f, texts[f].join('')])) as Record<SisFileName, string>;
      return { files, truth: next.value, students };
    }
    for (const f of sisFileNames) texts[f].push(next.value[f]);
  }
}
