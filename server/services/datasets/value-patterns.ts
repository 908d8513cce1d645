/**
 * Recognisers for the values found in SIS exports, used by the profiler to infer column types.
 * Pure functions over one (already trimmed) string.
 */

/** Missing-value spellings (compared case-insensitively, after trimming): '', NA, N/A, NULL, '.', #N/A, NaN. */
const MISSING = new Set(['', 'na', 'n/a', 'null', '.', '#n/a', 'nan']);
export function isMissing(trimmed: string): boolean {
  return trimmed.length <= 4 && MISSING.has(trimmed.length === 0 ? '' : trimmed.toLowerCase());
}

export const INTEGER = /^[+-]?\d+$/;
export const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Plain decimal number (what a spreadsheet would read as a number, not a formula). */
export const isPlainNumber = (s: string): boolean => DECIMAL.test(s);

/** Boolean-like tokens, lower-cased, with the truth value each stands for. */
const BOOLEAN_TOKENS = new Map<string, boolean>([
  ['y', true],
  ['n', false],
  ['yes', true],
  ['no', false],
  ['t', true],
  ['f', false],
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
]);
export function booleanToken(trimmed: string): boolean | undefined {
  return trimmed.length > 5 ? undefined : BOOLEAN_TOKENS.get(trimmed.toLowerCase());
}

export type DateFormat = 'yyyy-mm-dd' | 'yyyymmdd' | 'mm/dd/yyyy' | 'mm/dd/yy' | 'dd/mm/yyyy' | 'dd/mm/yy' | 'mm-dd-yyyy' | 'dd-MON-yy' | 'dd-MON-yyyy';
export const DATE_FORMATS: readonly DateFormat[] = ['yyyy-mm-dd', 'yyyymmdd', 'mm/dd/yyyy', 'mm/dd/yy', 'dd/mm/yyyy', 'dd/mm/yy', 'mm-dd-yyyy', 'dd-MON-yy', 'dd-MON-yyyy'];

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SLASH = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?)?$/;
const DASH_US = /^(\d{1,2})-(\d{1,2})-(\d{4})$/;
const ORACLE = /^(\d{1,2})-([A-Za-z]{3})-(\d{4}|\d{2})$/;

/**
 * Two-digit years pivot at 50 (00–49 → 20xx, 50–99 → 19xx), Oracle's RR rule as it applies this
 * century: birth years 1950–1999 and term dates 2000–2049 both come out right.
 */
export const expandYear = (yy: number): number => (yy < 50 ? 2000 + yy : 1900 + yy);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Days since 1970-01-01, or NaN for an impossible date. */
export function epochDay(y: number, m: number, d: number): number {
  if (y < 1800 || y > 2199 || m < 1 || m > 12 || d < 1) return Number.NaN;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const max = m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!;
  if (d > max) return Number.NaN;
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

export const isoDate = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

/**
 * Calls `hit(format, epochDay)` for every date format the value is a valid date in. A slash date
 * such as 03/04/2021 matches both mm/dd and dd/mm; the profiler decides from the whole column.
 */
export function matchDates(v: string, hit: (format: DateFormat, day: number) => void): void {
  const n = v.length;
  if (n < 6 || n > 35) return;
  const c0 = v.charCodeAt(0);
  if (c0 < 48 || c0 > 57) return;
  let m: RegExpExecArray | null;
  if (n === 8 && (m = COMPACT.exec(v))) {
    const y = +m[1]!;
    if (y >= 1900 && y <= 2099) {
      const day = epochDay(y, +m[2]!, +m[3]!);
      if (!Number.isNaN(day)) hit('yyyymmdd', day);
    }
    return;
  }
  if (v.charCodeAt(4) === 45 /* - */ && (m = ISO.exec(v))) {
    const day = epochDay(+m[1]!, +m[2]!, +m[3]!);
    if (!Number.isNaN(day)) hit('yyyy-mm-dd', day);
    return;
  }
  if ((m = SLASH.exec(v))) {
    const a = +m[1]!;
    const b = +m[2]!;
    const long = m[3]!.length === 4;
    const y = long ? +m[3]! : expandYear(+m[3]!);
    const us = epochDay(y, a, b);
    if (!Number.isNaN(us)) hit(long ? 'mm/dd/yyyy' : 'mm/dd/yy', us);
    const eu = epochDay(y, b, a);
    if (!Number.isNaN(eu)) hit(long ? 'dd/mm/yyyy' : 'dd/mm/yy', eu);
    return;
  }
  if ((m = DASH_US.exec(v))) {
    const day = epochDay(+m[3]!, +m[1]!, +m[2]!);
    if (!Number.isNaN(day)) hit('mm-dd-yyyy', day);
    return;
  }
  if ((m = ORACLE.exec(v))) {
    const month = MONTHS[m[2]!.toLowerCase()];
    if (month === undefined) return;
    const long = m[3]!.length === 4;
    const day = epochDay(long ? +m[3]! : expandYear(+m[3]!), month, +m[1]!);
    if (!Number.isNaN(day)) hit(long ? 'dd-MON-yyyy' : 'dd-MON-yy', day);
  }
}

/**
 * Term-code shapes of the major SIS exports:
 * - 'yyyyTT'  Banner and many others: year + two-digit term, e.g. 202180, 202110;
 * - 'STRM'    PeopleSoft: century digit (0 = 19xx, 1 = 20xx) + yy + term digit, e.g. 1218;
 * - 'yyyySS'  Colleague/Workday style year + season, e.g. 2021FA, 2021 SP, 2021FALL;
 * - 'SSyyyy'  season + year, e.g. FA2021, FA21;
 * - 'yy/SS'   Colleague, e.g. 21/FA.
 * `part` is the term part (for the numeric shapes the profiler requires few distinct ones, since
 * an institution has a handful of terms a year while an ordinary number column has many).
 */
export type TermCodeFormat = 'yyyyTT' | 'STRM' | 'yyyySS' | 'SSyyyy' | 'yy/SS';
const SEASON = '(?:FA|FALL|F|SP|SPR|SPRING|S|SU|SUM|SUMMER|U|WI|WIN|WINTER|W|S1|S2|S3|Q1|Q2|Q3|Q4)';
const YEAR_SEASON = new RegExp(`^(?:19|20)\\d{2} ?-? ?(${SEASON})$`, 'i');
const SEASON_YEAR = new RegExp(`^(${SEASON}) ?-? ?(?:(?:19|20)\\d{2}|\\d{2})$`, 'i');
const YY_SEASON = new RegExp(`^\\d{2}/(${SEASON})$`, 'i');
const BANNER = /^(?:19[5-9]|20\d)\d(\d{2})$/;
const STRM = /^[01]\d{2}(\d)$/;

export function matchTermCode(v: string): { format: TermCodeFormat; part: string } | null {
  const n = v.length;
  let m: RegExpExecArray | null;
  if (n === 6 && (m = BANNER.exec(v))) return { format: 'yyyyTT', part: m[1]! };
  if (n === 4 && (m = STRM.exec(v))) return { format: 'STRM', part: m[1]! };
  if (n < 4 || n > 12) return null;
  if ((m = YEAR_SEASON.exec(v))) return { format: 'yyyySS', part: m[1]!.toUpperCase() };
  if ((m = SEASON_YEAR.exec(v))) return { format: 'SSyyyy', part: m[1]!.toUpperCase() };
  if ((m = YY_SEASON.exec(v))) return { format: 'yy/SS', part: m[1]!.toUpperCase() };
  return null;
}

/** OWASP's formula-trigger characters (CSV Injection): = + - @, tab and carriage return. */
export function startsLikeFormula(v: string): boolean {
  if (v.length === 0) return false;
  const c = v.charCodeAt(0);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
}
