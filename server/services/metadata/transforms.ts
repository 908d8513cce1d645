/**
 * Transforms turn one raw CSV cell into a typed value. A transform is a JSON-serialisable spec
 * (validated with zod, stored in the mapping), so onboarding an institution is configuration,
 * never code. `applyTransform` never throws on bad data: it returns a message for the person
 * fixing the mapping or the file.
 *
 * Spreadsheet safety: values beginning with `=`, `+`, `-` or `@` are never evaluated. Text keeps
 * them verbatim; numeric casts accept only plain decimal literals (so `-3` is minus three, while
 * `=1+2`, `+5` or `@SUM(A1)` are "not a number").
 */
import { z } from 'zod';
import { seasons, type Season } from './standard-model';

// ---------------------------------------------------------------- specs

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const textTransform = z.object({
  kind: z.literal('text'),
  case: z.enum(['keep', 'upper', 'lower']).default('keep'),
});

export const castTransform = z.object({
  kind: z.literal('cast'),
  to: z.enum(['integer', 'decimal', 'boolean']),
  /** Tokens read as true / false (compared case-insensitively, trimmed). Defaults: Y/YES/T/TRUE/1 and N/NO/F/FALSE/0. */
  trueTokens: z.array(z.string()).optional(),
  falseTokens: z.array(z.string()).optional(),
});

export const dateFormats = ['yyyy-mm-dd', 'yyyymmdd', 'mm/dd/yyyy', 'm/d/yy', 'dd-MON-yy', 'dd-MON-yyyy', 'mm-dd-yyyy', 'dd/mm/yyyy', 'dd/mm/yy'] as const;
export type DateFormat = (typeof dateFormats)[number];

export const dateTransform = z.object({
  kind: z.literal('date'),
  format: z.enum(dateFormats),
  /**
   * Two-digit years fall in the hundred years starting at this year: with 1950, `49` is 2049
   * and `50` is 1950. Use e.g. 1920 for birth dates.
   */
  pivotYear: z.number().int().min(1800).max(2100).default(1950),
  /** `year` keeps only the year (e.g. a birth date mapped onto birth_year). */
  output: z.enum(['date', 'year']).default('date'),
});

export const crosswalkTransform = z.object({
  kind: z.literal('crosswalk'),
  /** Source value → standard value. Keys are compared trimmed and case-insensitively unless caseSensitive. */
  map: z.record(z.string(), scalar),
  caseSensitive: z.boolean().default(false),
  /** A value not in the map: `error` (report it), `default` (use `default`), `keep` (pass it through). */
  unknown: z.enum(['error', 'default', 'keep']).default('error'),
  default: scalar.optional(),
});

export const termFormats = ['yyyyss', 'cyyt', 'text'] as const;

export const termRule = z.object({
  /**
   * `yyyyss`: four-digit year and a two-digit suffix (Banner, e.g. 202180).
   * `cyyt`: century digit (0 = 1900s, 1 = 2000s), two-digit year, one-digit term (PeopleSoft, e.g. 1218).
   * `text`: a year and a season word in either order (e.g. 2021FA, Fall 2021, FA21, "2021 Fall Semester").
   */
  format: z.enum(termFormats),
  /** Suffix (yyyyss, cyyt) or season word (text, upper case) → season. */
  seasons: z.record(z.string(), z.enum(seasons)),
  /**
   * What the year in the code means. `calendar`: the calendar year the term is in (202110 =
   * spring 2021). `academic-year-end`: the year the academic year ends (202210 = fall 2021 of
   * 2021-22). `academic-year-start`: the year it starts (202120 = spring 2022 of 2021-22).
   */
  yearIs: z.enum(['calendar', 'academic-year-end', 'academic-year-start']).default('calendar'),
  /** Summer closes the academic year that began the previous fall (`previous`, IPEDS July–June year) or opens the next. */
  summerBelongsTo: z.enum(['previous', 'next']).default('previous'),
});
export type TermRule = z.infer<typeof termRule>;

export const termPresetNames = ['banner-yyyyss', 'banner-yyyyss-academic', 'peoplesoft-cyyt', 'yyyy-season'] as const;
export type TermPresetName = (typeof termPresetNames)[number];

/**
 * Term-code presets. Codes vary by institution; a preset is a starting point the admin confirms.
 * - `banner-yyyyss`: calendar year + suffix, 10 = spring, 50 = summer, 80 = fall
 *   (202110 = spring 2021, 202150 = summer 2021, 202180 = fall 2021 → academic year 2021-22).
 * - `banner-yyyyss-academic`: academic-year-end year + suffix, 10 = fall, 20 = spring, 30 = summer
 *   (202210 = fall 2021, 202220 = spring 2022, 202230 = summer 2022, all in 2021-22).
 * - `peoplesoft-cyyt`: century (1 = 2000s), yy, term 2 = spring, 6 = summer, 8 = fall (1218 = fall 2021).
 * - `yyyy-season`: text such as 2021FA, 2021SP, Fall 2021, SU21; canonical code `2021FA`.
 */
export const termPresets: Record<TermPresetName, TermRule> = {
  'banner-yyyyss': { format: 'yyyyss', seasons: { '10': 'spring', '50': 'summer', '80': 'fall' }, yearIs: 'calendar', summerBelongsTo: 'previous' },
  'banner-yyyyss-academic': {
    format: 'yyyyss',
    seasons: { '10': 'fall', '20': 'spring', '30': 'summer' },
    yearIs: 'academic-year-end',
    summerBelongsTo: 'previous',
  },
  'peoplesoft-cyyt': { format: 'cyyt', seasons: { '2': 'spring', '6': 'summer', '8': 'fall' }, yearIs: 'calendar', summerBelongsTo: 'previous' },
  'yyyy-season': {
    format: 'text',
    seasons: {
      FA: 'fall', F: 'fall', FL: 'fall', FALL: 'fall', AU: 'fall', AUT: 'fall', AUTUMN: 'fall',
      WI: 'winter', W: 'winter', WN: 'winter', WIN: 'winter', WINTER: 'winter',
      SP: 'spring', S: 'spring', SPR: 'spring', SPRING: 'spring',
      SU: 'summer', SM: 'summer', SUM: 'summer', SUMMER: 'summer',
    },
    yearIs: 'calendar',
    summerBelongsTo: 'previous',
  },
};

export const termCodeTransform = z
  .object({
    kind: z.literal('termCode'),
    preset: z.enum(termPresetNames).optional(),
    rule: termRule.optional(),
  })
  .refine((t) => t.preset !== undefined || t.rule !== undefined, { message: 'Choose a term-code preset or describe the rule.' });

export const scaleTransform = z
  .object({
    kind: z.literal('scale'),
    from: z.object({ min: z.number(), max: z.number() }),
    to: z.object({ min: z.number(), max: z.number() }),
    /** Clamp values a little outside the source scale (rounding noise, e.g. 4.33 on a 4.3 scale) onto its ends. */
    clamp: z.boolean().default(true),
  })
  .refine((t) => t.from.max > t.from.min && t.to.max > t.to.min, { message: 'A scale needs max above min on both sides.' });

export const transformSpec = z.union([textTransform, castTransform, dateTransform, crosswalkTransform, termCodeTransform, scaleTransform]);
export type TransformSpec = z.infer<typeof transformSpec>;
export type TransformSpecInput = z.input<typeof transformSpec>;

export interface TermValue {
  /** Canonical code: the digits for numeric formats, `YYYYSS`-like `2021FA` for text. */
  termCode: string;
  /** Starting calendar year of the academic year (2021 = 2021-22). */
  academicYear: number;
  season: Season;
  /** Calendar year the term falls in. */
  calendarYear: number;
}

export type TransformValue = string | number | boolean | null | TermValue;
export type TransformResult = { ok: true; value: TransformValue } | { ok: false; error: string };

// ---------------------------------------------------------------- apply

const DEFAULT_TRUE = ['Y', 'YES', 'T', 'TRUE', '1'];
const DEFAULT_FALSE = ['N', 'NO', 'F', 'FALSE', '0'];
const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;
const quote = (raw: string) => `“${raw.length > 60 ? `${raw.slice(0, 57)}…` : raw}”`;
const fail = (error: string): TransformResult => ({ ok: false, error });

/**
 * Applies one transform to one raw cell. An empty cell is a missing value (`null`), except in a
 * crosswalk whose map has an entry for the empty string.
 */
export function applyTransform(spec: TransformSpec, raw: string): TransformResult {
  const trimmed = raw.trim();
  if (spec.kind === 'crosswalk') return crosswalk(spec, trimmed);
  if (trimmed === '') return { ok: true, value: null };
  switch (spec.kind) {
    case 'text':
      return { ok: true, value: spec.case === 'upper' ? trimmed.toUpperCase() : spec.case === 'lower' ? trimmed.toLowerCase() : trimmed };
    case 'cast':
      return cast(spec, trimmed);
    case 'date':
      return date(spec, trimmed);
    case 'termCode':
      return parseTermCode(trimmed, resolveTermRule(spec));
    case 'scale':
      return scale(spec, trimmed);
  }
}

export function parseNumber(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function cast(spec: z.infer<typeof castTransform>, text: string): TransformResult {
  if (spec.to === 'boolean') {
    let tokens = booleanTokenCache.get(spec);
    if (!tokens) {
      tokens = new Map<string, boolean>();
      for (const t of spec.falseTokens ?? DEFAULT_FALSE) tokens.set(t.trim().toUpperCase(), false);
      for (const t of spec.trueTokens ?? DEFAULT_TRUE) tokens.set(t.trim().toUpperCase(), true);
      booleanTokenCache.set(spec, tokens);
    }
    const value = tokens.get(text.toUpperCase());
    if (value !== undefined) return { ok: true, value };
    const expected = [...(spec.trueTokens ?? DEFAULT_TRUE), ...(spec.falseTokens ?? DEFAULT_FALSE)].map((t) => t.trim().toUpperCase());
    return fail(`${quote(text)} is not a yes/no value; expected one of ${expected.join(', ')}.`);
  }
  const n = parseNumber(text);
  if (n === undefined) return fail(`${quote(text)} is not a number.`);
  if (spec.to === 'integer') {
    if (!Number.isInteger(n)) return fail(`${quote(text)} is not a whole number.`);
    if (!Number.isSafeInteger(n)) return fail(`${quote(text)} is too large.`);
  }
  return { ok: true, value: n };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DATE_PATTERNS: Record<DateFormat, RegExp> = {
  // An optional time part (`T08:00:00`, ` 00:00:00.000`) is ignored: exports often carry one.
  'yyyy-mm-dd': /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$/,
  'mm/dd/yyyy': /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: [\d:.]+(?: ?[AP]M)?)?$/i,
  'dd-MON-yy': /^(\d{1,2})-([A-Za-z]{3})-(\d{2})$/,
  'dd-MON-yyyy': /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/,
  yyyymmdd: /^(\d{4})(\d{2})(\d{2})$/,
  'm/d/yy': /^(\d{1,2})\/(\d{1,2})\/(\d{2})$/,
  'mm-dd-yyyy': /^(\d{1,2})-(\d{1,2})-(\d{4})$/,
  'dd/mm/yyyy': /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/,
  'dd/mm/yy': /^(\d{1,2})\/(\d{1,2})\/(\d{2})$/,
};

/** Expands a two-digit year into the hundred years starting at `pivotYear`. */
export function expandYear(yy: number, pivotYear: number): number {
  const century = Math.floor(pivotYear / 100) * 100;
  const candidate = century + yy;
  return candidate < pivotYear ? candidate + 100 : candidate;
}

function date(spec: z.infer<typeof dateTransform>, text: string): TransformResult {
  const m = DATE_PATTERNS[spec.format].exec(text);
  if (!m) return fail(`${quote(text)} is not a date in the format ${spec.format}.`);
  let year: number;
  let month: number;
  let day: number;
  switch (spec.format) {
    case 'yyyy-mm-dd':
    case 'yyyymmdd':
      [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
      break;
    case 'mm/dd/yyyy':
    case 'mm-dd-yyyy':
      [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
      break;
    case 'm/d/yy':
      [month, day, year] = [Number(m[1]), Number(m[2]), expandYear(Number(m[3]), spec.pivotYear)];
      break;
    case 'dd/mm/yyyy':
      [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
      break;
    case 'dd/mm/yy':
      [day, month, year] = [Number(m[1]), Number(m[2]), expandYear(Number(m[3]), spec.pivotYear)];
      break;
    case 'dd-MON-yy':
    case 'dd-MON-yyyy': {
      const monthIndex = MONTHS.indexOf((m[2] ?? '').toUpperCase());
      if (monthIndex < 0) return fail(`${quote(text)}: “${m[2]}” is not a month abbreviation (JAN–DEC).`);
      const y = Number(m[3]);
      [day, month, year] = [Number(m[1]), monthIndex + 1, spec.format === 'dd-MON-yy' ? expandYear(y, spec.pivotYear) : y];
      break;
    }
  }
  const iso = isoDate(year, month, day);
  if (!iso) return fail(`${quote(text)} is not a real calendar date.`);
  return { ok: true, value: spec.output === 'year' ? year : iso };
}

/** `YYYY-MM-DD` for a real calendar date, else undefined (31 April, 29 February 2021). */
export function isoDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || year < 1 || year > 9999) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function crosswalk(spec: z.infer<typeof crosswalkTransform>, text: string): TransformResult {
  const lookup = crosswalkLookup(spec);
  const key = spec.caseSensitive ? text : text.toUpperCase();
  if (lookup.has(key)) return { ok: true, value: lookup.get(key) ?? null };
  if (text === '') return { ok: true, value: null };
  switch (spec.unknown) {
    case 'keep':
      return { ok: true, value: text };
    case 'default':
      return { ok: true, value: spec.default ?? null };
    case 'error': {
      const known = Object.keys(spec.map).slice(0, 12).map(quote).join(', ');
      return fail(`${quote(text)} is not in the crosswalk (known: ${known}); add it to the mapping.`);
    }
  }
}

// Specs are immutable once parsed; per-spec lookup tables are built on first use.
const booleanTokenCache = new WeakMap<object, Map<string, boolean>>();
const crosswalkCache = new WeakMap<object, Map<string, string | number | boolean | null>>();

/** The crosswalk's keys as compared (trimmed; upper-cased unless case-sensitive); the first entry wins. */
export function crosswalkLookup(spec: z.infer<typeof crosswalkTransform>): ReadonlyMap<string, string | number | boolean | null> {
  let lookup = crosswalkCache.get(spec);
  if (!lookup) {
    lookup = new Map();
    for (const [from, to] of Object.entries(spec.map)) {
      const key = spec.caseSensitive ? from.trim() : from.trim().toUpperCase();
      if (!lookup.has(key)) lookup.set(key, to);
    }
    crosswalkCache.set(spec, lookup);
  }
  return lookup;
}

export function resolveTermRule(spec: z.infer<typeof termCodeTransform>): TermRule {
  if (spec.rule) return spec.rule;
  // The refinement guarantees one of the two.
  return termPresets[spec.preset ?? 'banner-yyyyss'];
}

const TEXT_SEASON_ABBREVIATION: Record<Season, string> = { fall: 'FA', winter: 'WI', spring: 'SP', summer: 'SU' };

/** Parses a term code under a rule into its canonical code, season and academic year. */
export function parseTermCode(text: string, rule: TermRule): TransformResult {
  const code = text.trim();
  let codeYear: number;
  let season: Season | undefined;
  let canonical: string;
  switch (rule.format) {
    case 'yyyyss': {
      const m = /^(\d{4})(\d{2})$/.exec(code);
      if (!m) return fail(`${quote(code)} is not a six-digit term code (YYYYSS, e.g. 202180).`);
      codeYear = Number(m[1]);
      season = lookupSeason(rule, m[2] ?? '');
      if (!season) return fail(`Term code ${quote(code)}: suffix “${m[2]}” is not in the season table (${Object.keys(rule.seasons).join(', ')}); add it to the term rule.`);
      canonical = code;
      break;
    }
    case 'cyyt': {
      const m = /^([0-9])(\d{2})(\d)$/.exec(code);
      if (!m) return fail(`${quote(code)} is not a four-digit term code (CYYT, e.g. 1218).`);
      const century = Number(m[1]);
      if (century > 1) return fail(`Term code ${quote(code)}: century digit ${century} is not 0 (1900s) or 1 (2000s).`);
      codeYear = 1900 + century * 100 + Number(m[2]);
      season = lookupSeason(rule, m[3] ?? '');
      if (!season) return fail(`Term code ${quote(code)}: term digit “${m[3]}” is not in the season table (${Object.keys(rule.seasons).join(', ')}); add it to the term rule.`);
      canonical = code;
      break;
    }
    case 'text': {
      const parsed = parseTextTerm(code, rule);
      if (typeof parsed === 'string') return fail(parsed);
      ({ codeYear, season } = parsed);
      canonical = `${codeYear}${TEXT_SEASON_ABBREVIATION[season]}`;
      break;
    }
  }
  const { academicYear, calendarYear } = yearsOf(codeYear, season, rule);
  return { ok: true, value: { termCode: canonical, academicYear, season, calendarYear } };
}

function lookupSeason(rule: TermRule, suffix: string): Season | undefined {
  return Object.hasOwn(rule.seasons, suffix) ? rule.seasons[suffix] : undefined;
}

function parseTextTerm(code: string, rule: TermRule): { codeYear: number; season: Season } | string {
  const upper = code.toUpperCase();
  // Split letters from digits so 2021FA, FA21 and "Fall 2021 Semester" all tokenise.
  const tokens = upper.match(/[A-Z]+|\d+/g) ?? [];
  let year: number | undefined;
  let season: Season | undefined;
  for (const token of tokens) {
    if (/^\d+$/.test(token)) {
      if (token.length === 4 && year === undefined) year = Number(token);
      else if (token.length === 2 && year === undefined) year = expandYear(Number(token), 2000);
    } else if (season === undefined) {
      season = lookupSeason(rule, token);
    }
  }
  if (year === undefined) return `Term ${quote(code)} has no year (expected e.g. 2021FA or Fall 2021).`;
  if (season === undefined) return `Term ${quote(code)} has no season word the rule knows (${Object.keys(rule.seasons).join(', ')}).`;
  return { codeYear: year, season };
}

/**
 * Academic year by its starting calendar year. A fall term opens the academic year; winter and
 * spring belong to the year that began the previous fall; summer closes it (`previous`) or opens
 * the next (`next`). IPEDS reporting years run July 1 – June 30 (IPEDS glossary, "Academic year").
 */
function yearsOf(codeYear: number, season: Season, rule: TermRule): { academicYear: number; calendarYear: number } {
  const opensYear = season === 'fall' || (season === 'summer' && rule.summerBelongsTo === 'next');
  switch (rule.yearIs) {
    case 'calendar':
      return { calendarYear: codeYear, academicYear: opensYear ? codeYear : codeYear - 1 };
    case 'academic-year-end':
      return { academicYear: codeYear - 1, calendarYear: opensYear ? codeYear - 1 : codeYear };
    case 'academic-year-start':
      return { academicYear: codeYear, calendarYear: opensYear ? codeYear : codeYear + 1 };
  }
}

function scale(spec: z.infer<typeof scaleTransform>, text: string): TransformResult {
  const n = parseNumber(text);
  if (n === undefined) return fail(`${quote(text)} is not a number.`);
  const { from, to } = spec;
  const span = from.max - from.min;
  let x = n;
  if (x < from.min || x > from.max) {
    // Clamping absorbs rounding noise only; a value well outside the scale is wrong data.
    const tolerance = spec.clamp ? 0.1 * span : 0;
    if (x < from.min - tolerance || x > from.max + tolerance) return fail(`${quote(text)} is outside the source scale ${from.min}–${from.max}.`);
    x = Math.min(from.max, Math.max(from.min, x));
  }
  const value = to.min + ((x - from.min) / span) * (to.max - to.min);
  return { ok: true, value: Math.round(value * 1e6) / 1e6 };
}

/** The common GPA scale conversions onto 4.0, for the editor's menu and for suggestions. */
export const gpaScales = [4, 4.3, 5, 100] as const;
export function gpaScaleTransform(sourceMax: number): TransformSpec {
  return { kind: 'scale', from: { min: 0, max: sourceMax }, to: { min: 0, max: 4 }, clamp: true };
}

export function isTermValue(value: TransformValue): value is TermValue {
  return typeof value === 'object' && value !== null && 'termCode' in value;
}
