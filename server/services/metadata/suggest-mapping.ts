/**
 * Suggests a mapping for an uploaded file: for each standard-model field, the column whose name
 * best matches a synonym (Banner, PeopleSoft, Colleague, Workday or a common variant), checked
 * against what the column's values look like, plus a transform chosen from the value patterns
 * (date format, yes/no tokens, term-code format and season rule, GPA scale, local codes for
 * categories). One column fills at most one field; required fields left unmapped are listed.
 * The admin confirms or edits the result; nothing here is final.
 */
import { fieldsOf, standardModel, type DatasetKind, type FieldDef } from './standard-model';
import { DEFAULT_NULL_TOKENS, derivedFields, type MappingSpec } from './mapping';
import { compactName, normaliseName, synonymsOf, systemLabel } from './synonyms';
import { applyTransform, dateFormats, gpaScaleTransform, parseNumber, termPresets, type DateFormat, type TermPresetName, type TransformSpec } from './transforms';

/**
 * What suggestion reads from a column profile; the datasets profiler's `ColumnProfile`
 * (server/services/datasets/profile.ts) fits it as is (`name`, `format`, string min/max of dates).
 */
export interface ColumnProfile {
  /** The column's header name (`column` is accepted too). */
  name?: string;
  column?: string;
  /** A few raw example values. */
  examples?: readonly string[];
  /** The profiler's guess ('string', 'integer', 'decimal', 'boolean', 'date', 'empty'). */
  inferredType?: string;
  /** Most frequent values with counts. */
  topValues?: readonly { value: string; count: number }[];
  distinctCount?: number;
  /** Minimum and maximum (numbers for numeric columns; the profiler gives ISO strings for dates). */
  min?: number | string | null;
  max?: number | string | null;
  /** The profiler's detected format, e.g. a date format such as 'dd/mm/yyyy'. */
  format?: string | null;
}

export interface FieldSuggestion {
  field: string;
  required: boolean;
  column: string | null;
  /** 0–1: how sure the suggestion is (≥ 0.9 a known name, 0.5–0.9 a partial match, < 0.5 a guess from values). */
  confidence: number;
  reason: string;
  transform: TransformSpec | null;
  transformReason: string | null;
}

export interface MappingSuggestion {
  kind: DatasetKind;
  fields: FieldSuggestion[];
  /** Required fields with no column (and not derived from another field). */
  unmappedRequired: string[];
  unmappedColumns: string[];
  /** The suggestion as a draft spec (version 1) for the editor. */
  spec: MappingSpec;
}

const MIN_SCORE = 0.3;

/** Token abbreviations seen in exports, expanded before partial matching. */
const ABBREVIATIONS: Record<string, string> = {
  cum: 'cumulative', stu: 'student', std: 'student', stdnt: 'student', hrs: 'hours', hr: 'hours', cr: 'credits', cred: 'credits',
  credit: 'credits', att: 'attempted', atmpt: 'attempted', ern: 'earned', dt: 'date', yr: 'year', prog: 'program', acad: 'academic',
  programme: 'program', ethn: 'ethnicity', num: 'number', no: 'number',
};
const expand = (tokens: string[]) => tokens.map((t) => ABBREVIATIONS[t] ?? t);

interface NameMatch {
  score: number;
  reason: string;
}

function nameScore(kind: DatasetKind, field: string, header: string): NameMatch | undefined {
  const compact = compactName(header);
  if (compact === '') return undefined;
  const tokens = expand(normaliseName(header).split('_'));
  let best: NameMatch | undefined;
  const consider = (score: number, reason: string) => {
    if (!best || score > best.score) best = { score, reason };
  };
  for (const syn of synonymsOf(kind, field)) {
    const label = syn.system === 'common' ? 'a common name' : `the ${systemLabel[syn.system]} name`;
    if (syn.compact === compact) {
      consider(syn.system === 'common' ? 0.92 : 0.97, `“${header}” is ${label} ${syn.name}.`);
      continue;
    }
    // A table or file prefix in front of a known name: SHRTGPA_TERM_GPA, STU.FIRST.GEN.
    if (tokens.length >= 2 && compactName(tokens.slice(1).join('_')) === syn.compact && syn.tokens.length >= 1) {
      consider(0.8, `“${header}” is ${label} ${syn.name} with a prefix.`);
      continue;
    }
    const synTokens = expand(syn.tokens);
    if (containsRun(tokens, synTokens)) {
      const distinctive = synTokens.length >= 2 || (synTokens[0]?.length ?? 0) >= 3;
      if (!distinctive) continue;
      const coverage = synTokens.length / tokens.length;
      const base = synTokens.length >= 2 ? 0.8 : 0.6;
      consider(base * Math.sqrt(coverage), `“${header}” contains ${label} ${syn.name}.`);
    }
  }
  return best;
}

function containsRun(haystack: string[], needle: string[]): boolean {
  if (needle.length === 0 || needle.length > haystack.length) return false;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- value patterns

function valuesOf(profile: ColumnProfile | undefined): string[] {
  if (!profile) return [];
  const all = [...(profile.topValues ?? []).map((v) => v.value), ...(profile.examples ?? [])].map((v) => v.trim()).filter((v) => v !== '');
  return [...new Set(all)];
}

const BOOLEAN_WORDS = new Set(['Y', 'N', 'YES', 'NO', 'T', 'F', 'TRUE', 'FALSE', '1', '0']);
const LOAD_TRUE = ['F', 'FT', 'FULL', 'FULL TIME', 'FULL-TIME', 'FULLTIME'];
const LOAD_FALSE = ['P', 'PT', 'PART', 'PART TIME', 'PART-TIME', 'PARTTIME', 'H', 'HT', 'HALF', 'L', 'LH', 'LESS THAN HALF'];

type Shape = 'empty' | 'boolean' | 'integer' | 'decimal' | 'date' | 'term' | 'text';

function shapeOf(values: string[], profile: ColumnProfile | undefined): Shape {
  if (values.length === 0) return profile?.inferredType === 'empty' ? 'empty' : profile?.inferredType === 'term-code' ? 'term' : 'text';
  const upper = values.map((v) => v.toUpperCase());
  if (upper.every((v) => BOOLEAN_WORDS.has(v)) && values.length <= 3) return 'boolean';
  if (detectTermPreset(values)) return 'term';
  if (detectDateFormat(values)) return 'date';
  if (values.every((v) => parseNumber(v) !== undefined)) return values.every((v) => Number.isInteger(parseNumber(v))) ? 'integer' : 'decimal';
  return 'text';
}

/** How well a column's values fit a field: a factor on the name score, with a note when they do not. */
function valueFit(def: FieldDef, values: string[], shape: Shape): { factor: number; note?: string } {
  if (values.length === 0) return { factor: 1 };
  switch (def.type) {
    case 'term':
      return shape === 'term' || shape === 'integer' || shape === 'text' ? { factor: 1 } : { factor: 0.5, note: 'its values do not look like term codes' };
    case 'boolean':
      return values.length <= 4 ? { factor: 1 } : { factor: 0.5, note: `it has many distinct values for a yes/no field` };
    case 'integer':
    case 'decimal':
      if (def.name === 'birth_year' && shape === 'date') return { factor: 1 };
      return shape === 'integer' || shape === 'decimal' || shape === 'boolean' ? { factor: 1 } : { factor: 0.5, note: 'its values are not numbers' };
    case 'date':
      return shape === 'date' || shape === 'integer' ? { factor: 1 } : { factor: 0.5, note: 'its values are not dates' };
    default:
      return { factor: 1 };
  }
}

export function detectDateFormat(values: string[]): DateFormat | undefined {
  if (values.length === 0) return undefined;
  // yyyymmdd before plain integers; m/d/yy only when the years have two digits.
  for (const format of dateFormats) {
    const spec: TransformSpec = { kind: 'date', format, pivotYear: 1950, output: 'date' };
    if (values.every((v) => applyTransform(spec, v).ok)) return format;
  }
  return undefined;
}

/**
 * The profiler saw the whole file (e.g. a day above 12 that settles dd/mm against mm/dd); its
 * format wins when this module supports it and the samples parse with it.
 */
function profiledDateFormat(profile: ColumnProfile | undefined, values: string[]): DateFormat | undefined {
  const raw = profile?.format === 'mm/dd/yy' ? 'm/d/yy' : profile?.format;
  const format = dateFormats.find((f) => f === raw);
  if (!format) return undefined;
  const spec: TransformSpec = { kind: 'date', format, pivotYear: 1950, output: 'date' };
  return values.every((v) => applyTransform(spec, v).ok) ? format : undefined;
}

export function detectTermPreset(values: string[]): { preset: TermPresetName; note?: string } | undefined {
  if (values.length === 0) return undefined;
  if (values.every((v) => /^(19|20)\d{2}\d{2}$/.test(v))) {
    const suffixes = new Set(values.map((v) => v.slice(4)));
    const fits = (preset: TermPresetName) => [...suffixes].every((s) => Object.hasOwn(termPresets[preset].seasons, s));
    const list = [...suffixes].sort().join(', ');
    if (fits('banner-yyyyss') && !(suffixes.size === 1 && suffixes.has('10'))) {
      return { preset: 'banner-yyyyss', note: `six-digit Banner term codes (suffixes ${list}): 10 = spring, 50 = summer, 80 = fall of the code’s year — confirm the season table` };
    }
    if (fits('banner-yyyyss-academic')) {
      return {
        preset: 'banner-yyyyss-academic',
        note: `six-digit Banner term codes (suffixes ${list}): 10 = fall, 20 = spring, 30 = summer, year = end of the academic year — confirm the season table`,
      };
    }
    return { preset: 'banner-yyyyss', note: `six-digit Banner term codes, but suffixes ${list} are not all in the preset — edit the season table` };
  }
  if (values.every((v) => /^[01]\d{3}$/.test(v))) {
    const digits = [...new Set(values.map((v) => v.slice(3)))].sort().join(', ');
    return { preset: 'peoplesoft-cyyt', note: `four-digit PeopleSoft STRM codes (term digits ${digits}): 2 = spring, 6 = summer, 8 = fall — confirm` };
  }
  const text = termPresets['yyyy-season'];
  if (values.every((v) => /[A-Za-z]/.test(v) && applyTransform({ kind: 'termCode', rule: text }, v).ok)) {
    return { preset: 'yyyy-season', note: 'year-and-season text (e.g. 2021FA, Fall 2021)' };
  }
  return undefined;
}

// Local codes → standard categories; keys compared upper-case without separators.
const CATEGORY_CODES: Record<string, Record<string, string>> = {
  sex: { M: 'male', MALE: 'male', MAN: 'male', MEN: 'male', F: 'female', FEMALE: 'female', WOMAN: 'female', WOMEN: 'female', N: 'another', X: 'another', O: 'another', NB: 'another', NONBINARY: 'another', ANOTHERGENDER: 'another', U: 'unknown', UNK: 'unknown', UNKNOWN: 'unknown', NOTREPORTED: 'unknown' },
  race_ethnicity: {
    W: 'white', WH: 'white', WHITE: 'white', B: 'black_african_american', BL: 'black_african_american', BLK: 'black_african_american', AA: 'black_african_american', BLACK: 'black_african_american', BLACKORAFRICANAMERICAN: 'black_african_american', AFRICANAMERICAN: 'black_african_american',
    A: 'asian', AS: 'asian', ASN: 'asian', ASIAN: 'asian', H: 'hispanic_latino', HI: 'hispanic_latino', HIS: 'hispanic_latino', HISP: 'hispanic_latino', HISPANIC: 'hispanic_latino', LATINO: 'hispanic_latino', HISPANICLATINO: 'hispanic_latino', HISPANICORLATINO: 'hispanic_latino',
    AI: 'american_indian_alaska_native', AN: 'american_indian_alaska_native', AIAN: 'american_indian_alaska_native', AMIND: 'american_indian_alaska_native', AMERICANINDIANORALASKANATIVE: 'american_indian_alaska_native', NATIVEAMERICAN: 'american_indian_alaska_native',
    NH: 'native_hawaiian_pacific_islander', PI: 'native_hawaiian_pacific_islander', NHPI: 'native_hawaiian_pacific_islander', HP: 'native_hawaiian_pacific_islander', PACISL: 'native_hawaiian_pacific_islander', NATIVEHAWAIIANOROTHERPACIFICISLANDER: 'native_hawaiian_pacific_islander',
    TW: 'two_or_more_races', TWO: 'two_or_more_races', MU: 'two_or_more_races', MULTI: 'two_or_more_races', MR: 'two_or_more_races', '2': 'two_or_more_races', TWOORMORERACES: 'two_or_more_races', MULTIRACIAL: 'two_or_more_races',
    NR: 'us_nonresident', NRA: 'us_nonresident', NRALIEN: 'us_nonresident', INTL: 'us_nonresident', NONRESIDENTALIEN: 'us_nonresident', USNONRESIDENT: 'us_nonresident', NONRESIDENT: 'us_nonresident', INTERNATIONAL: 'us_nonresident',
    U: 'unknown', UN: 'unknown', UNK: 'unknown', UNKNOWN: 'unknown', RACEANDETHNICITYUNKNOWN: 'unknown', NOTREPORTED: 'unknown',
  },
  residency: { R: 'in_state', RES: 'in_state', RESIDENT: 'in_state', I: 'in_state', IN: 'in_state', IS: 'in_state', INSTATE: 'in_state', N: 'out_of_state', NR: 'out_of_state', NRES: 'out_of_state', NONRES: 'out_of_state', NONRESIDENT: 'out_of_state', O: 'out_of_state', OS: 'out_of_state', OOS: 'out_of_state', OUTOFSTATE: 'out_of_state', INTL: 'international', INT: 'international', INTERNATIONAL: 'international', F: 'international', FN: 'international', FOREIGN: 'international', U: 'unknown', UNK: 'unknown', UNKNOWN: 'unknown' },
  level: { UG: 'undergraduate', UGRD: 'undergraduate', U: 'undergraduate', UNDERGRAD: 'undergraduate', UNDERGRADUATE: 'undergraduate', GR: 'graduate', GRAD: 'graduate', G: 'graduate', GRADUATE: 'graduate', PR: 'professional', PROF: 'professional', PROFESSIONAL: 'professional', LAW: 'professional', MED: 'professional', ND: 'non_degree', NDEG: 'non_degree', NONDEG: 'non_degree', NONDEGREE: 'non_degree' },
  academic_standing: { G: 'good', GS: 'good', GOOD: 'good', GOODSTANDING: 'good', AG: 'good', W: 'warning', AW: 'warning', WARN: 'warning', WARNING: 'warning', P: 'probation', AP: 'probation', PROB: 'probation', PROBATION: 'probation', S: 'suspension', AS: 'suspension', SUSP: 'suspension', SUSPENSION: 'suspension', SUSPENDED: 'suspension', D: 'dismissal', AD: 'dismissal', DISM: 'dismissal', DISMISSAL: 'dismissal', DISMISSED: 'dismissal' },
  award_level: {
    '1': 'certificate_under_1_year', '2': 'certificate_1_to_2_years', '3': 'associate', '4': 'certificate_2_to_4_years', '5': 'bachelor', '6': 'postbaccalaureate_certificate', '7': 'master', '8': 'post_master_certificate', '17': 'doctor_research', '18': 'doctor_professional', '19': 'doctor_other',
    AA: 'associate', AS: 'associate', AAS: 'associate', AAT: 'associate', AST: 'associate', ASSOCIATE: 'associate',
    BA: 'bachelor', BS: 'bachelor', BSC: 'bachelor', BFA: 'bachelor', BBA: 'bachelor', BSN: 'bachelor', BAS: 'bachelor', BM: 'bachelor', BACHELOR: 'bachelor', BACHELORS: 'bachelor',
    MA: 'master', MS: 'master', MSC: 'master', MBA: 'master', MED: 'master', MSN: 'master', MFA: 'master', MPA: 'master', MPH: 'master', MSW: 'master', MASTER: 'master', MASTERS: 'master',
    PHD: 'doctor_research', EDD: 'doctor_research', DOCTORATE: 'doctor_research', JD: 'doctor_professional', MD: 'doctor_professional', DDS: 'doctor_professional', DMD: 'doctor_professional', PHARMD: 'doctor_professional', DPT: 'doctor_professional', DNP: 'doctor_professional', DVM: 'doctor_professional',
  },
  exclusion_reason: { DECEASED: 'deceased', DEATH: 'deceased', DIED: 'deceased', DISABLED: 'permanently_disabled', PERMANENTLYDISABLED: 'permanently_disabled', MILITARY: 'armed_forces', ARMEDFORCES: 'armed_forces', FOREIGNAID: 'foreign_aid_service', FOREIGNAIDSERVICE: 'foreign_aid_service', MISSION: 'official_church_mission', CHURCHMISSION: 'official_church_mission', OFFICIALCHURCHMISSION: 'official_church_mission' },
  season: Object.fromEntries(Object.entries(termPresets['yyyy-season'].seasons)),
};

/** Student-type codes (Banner STYP, PeopleSoft ADMIT_TYPE) read as "first-time". */
const STUDENT_TYPE_FIRST_TIME: Record<string, boolean> = {
  F: true, FR: true, FF: true, FTF: true, FTIC: true, FYR: true, FRESHMAN: true, FIRSTTIME: true, NEW: true, N: true,
  T: false, TR: false, TRN: false, TRANSFER: false, C: false, CONT: false, CONTINUING: false, R: false, RE: false, READMIT: false, RET: false, G: false, GR: false, GRAD: false, V: false, VISITING: false, X: false,
};

const codeKey = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

function crosswalkFor(def: FieldDef, values: string[]): { transform: TransformSpec; reason: string } {
  const dictionary: Record<string, string> = { ...(CATEGORY_CODES[def.name] ?? {}) };
  for (const allowed of def.allowed ?? []) dictionary[codeKey(allowed)] = allowed;
  if (values.length === 0) {
    return {
      transform: { kind: 'crosswalk', map: dictionary, caseSensitive: false, unknown: 'error' },
      reason: `No sample values: the crosswalk holds the usual codes for ${def.name}; check it against the file.`,
    };
  }
  const map: Record<string, string> = {};
  const unmatched: string[] = [];
  for (const value of values) {
    const target = dictionary[codeKey(value)];
    if (target) map[value] = target;
    else unmatched.push(value);
  }
  const reason =
    unmatched.length === 0
      ? `Crosswalk from the ${values.length} local code(s) seen to ${def.name} categories.`
      : `Crosswalk from local codes; ${unmatched.slice(0, 8).map((v) => `“${v}”`).join(', ')} not recognised — assign them.`;
  return { transform: { kind: 'crosswalk', map, caseSensitive: false, unknown: 'error' }, reason };
}

function numericMax(values: string[], profile: ColumnProfile | undefined): number | undefined {
  let max = typeof profile?.max === 'number' ? profile.max : undefined;
  for (const v of values) {
    const n = parseNumber(v);
    if (n !== undefined && (max === undefined || n > max)) max = n;
  }
  return max;
}

/** Chooses a transform for a field from a column's values. */
export function suggestTransform(def: FieldDef, profile: ColumnProfile | undefined): { transform: TransformSpec; reason: string } {
  const values = valuesOf(profile);
  const upper = values.map((v) => v.toUpperCase());
  switch (def.type) {
    case 'string':
      return { transform: { kind: 'text', case: 'keep' }, reason: 'Text, kept as is (trimmed).' };
    case 'term': {
      const detected = detectTermPreset(values);
      if (detected) return { transform: { kind: 'termCode', preset: detected.preset }, reason: `Term codes: ${detected.note ?? detected.preset}.` };
      return { transform: { kind: 'termCode', preset: 'banner-yyyyss' }, reason: 'Term-code format not recognised from the samples; choose the preset or describe the rule.' };
    }
    case 'date': {
      const format = profiledDateFormat(profile, values) ?? detectDateFormat(values) ?? 'yyyy-mm-dd';
      return { transform: { kind: 'date', format, pivotYear: 1950, output: 'date' }, reason: values.length ? `Dates in the format ${format}.` : 'No sample values: assumed yyyy-mm-dd.' };
    }
    case 'boolean':
      return booleanTransform(def, values, upper, profile?.name ?? profile?.column ?? '');
    case 'integer': {
      if (def.name === 'birth_year') {
        const format = profiledDateFormat(profile, values) ?? detectDateFormat(values);
        if (format && !values.every((v) => /^\d{4}$/.test(v))) {
          return { transform: { kind: 'date', format, pivotYear: 1920, output: 'year' }, reason: `Birth dates (${format}); only the year is kept. Two-digit years read as 1920–2019.` };
        }
      }
      return { transform: { kind: 'cast', to: 'integer' }, reason: 'Whole numbers.' };
    }
    case 'decimal': {
      if (def.gpa) {
        const max = numericMax(values, profile);
        const top = def.name === 'hs_gpa' ? 5 : 4;
        if (max !== undefined && max > top) {
          const scale = max <= 4.3 ? 4.3 : max <= 5 ? 5 : max <= 100 ? 100 : undefined;
          if (scale !== undefined) return { transform: gpaScaleTransform(scale), reason: `GPA values up to ${max}: converted from a ${scale} scale to 4.0 (linear).` };
        }
        return { transform: { kind: 'cast', to: 'decimal' }, reason: max !== undefined ? `GPA on a 4-point scale (max seen ${max}).` : 'Numbers.' };
      }
      if (def.name === 'test_score') {
        const max = numericMax(values, profile);
        if (max !== undefined && max <= 36) {
          return { transform: { kind: 'cast', to: 'decimal' }, reason: `Values up to ${max} look like ACT composites: convert to the SAT scale with the concordance table, or map the SAT column.` };
        }
      }
      return { transform: { kind: 'cast', to: 'decimal' }, reason: 'Numbers.' };
    }
    case 'category': {
      if (values.length > 0 && values.every((v) => def.allowed?.includes(v))) return { transform: { kind: 'text', case: 'keep' }, reason: 'Values are already standard codes.' };
      return crosswalkFor(def, values);
    }
  }
}

function booleanTransform(def: FieldDef, values: string[], upper: string[], column: string): { transform: TransformSpec; reason: string } {
  // A student-type column (Banner STYP_CODE, PeopleSoft ADMIT_TYPE) holds codes such as F
  // (first-time) and T (transfer), which would otherwise read as the flags false and true.
  const studentTypeColumn = /TYP|ADMIT/i.test(column);
  if (!(studentTypeColumn && (def.name === 'first_time' || def.name === 'transfer_in')) && upper.every((v) => BOOLEAN_WORDS.has(v))) {
    return { transform: { kind: 'cast', to: 'boolean' }, reason: `Yes/no flags (${values.slice(0, 4).join(', ') || 'Y/N, 1/0'}).` };
  }
  if ((def.name === 'full_time' || def.name === 'full_time_at_entry') && upper.every((v) => LOAD_TRUE.includes(v) || LOAD_FALSE.includes(v))) {
    return {
      transform: { kind: 'cast', to: 'boolean', trueTokens: LOAD_TRUE, falseTokens: LOAD_FALSE },
      reason: `Load codes (${values.join(', ')}): F/FT = full-time; P/PT/H/L = part-time.`,
    };
  }
  if ((def.name === 'first_time' || def.name === 'transfer_in') && upper.every((v) => codeKey(v) in STUDENT_TYPE_FIRST_TIME)) {
    const map: Record<string, boolean> = {};
    for (const v of values) {
      const firstTime = STUDENT_TYPE_FIRST_TIME[codeKey(v)] ?? false;
      const transfer = ['T', 'TR', 'TRN', 'TRANSFER'].includes(codeKey(v));
      map[v] = def.name === 'first_time' ? firstTime : transfer;
    }
    return {
      transform: { kind: 'crosswalk', map, caseSensitive: false, unknown: 'error' },
      reason: `Student-type codes (${values.join(', ')}) read as ${def.name === 'first_time' ? 'first-time (F/FTIC/NEW)' : 'transfer (T)'} — confirm.`,
    };
  }
  return {
    transform: { kind: 'cast', to: 'boolean' },
    reason: values.length ? `Values ${values.slice(0, 6).map((v) => `“${v}”`).join(', ')} are not plain yes/no: set the true and false tokens.` : 'Yes/no flags assumed (Y/N, 1/0).',
  };
}

/** Value-only candidates: a column of term codes for a term field no name claimed. */
function valueOnlyScore(def: FieldDef, shape: Shape): NameMatch | undefined {
  if (def.type === 'term' && shape === 'term') return { score: 0.35, reason: 'Its values look like term codes.' };
  return undefined;
}

/**
 * Suggests a mapping for `headers` of a `kind` file. `profiles` (by column) sharpen the choice and
 * pick transforms; without them the suggestion rests on names alone.
 */
export function suggestMapping(
  kind: DatasetKind,
  headers: readonly string[],
  profiles: readonly ColumnProfile[] | Readonly<Record<string, ColumnProfile>> = [],
): MappingSuggestion {
  const list: readonly ColumnProfile[] = Array.isArray(profiles) ? profiles : Object.entries(profiles).map(([column, p]) => ({ ...p, column }));
  const byColumn = new Map<string, ColumnProfile>(list.map((p) => [p.name ?? p.column ?? '', p]));
  const defs = standardModel[kind];
  const columns = [...new Set(headers)].filter((h) => h.trim() !== '');
  const shapes = new Map(columns.map((c) => [c, shapeOf(valuesOf(byColumn.get(c)), byColumn.get(c))]));

  const candidates: { field: string; column: string; score: number; reason: string; order: number; required: boolean }[] = [];
  defs.forEach((def, order) => {
    for (const column of columns) {
      const profile = byColumn.get(column);
      const shape = shapes.get(column) ?? 'text';
      const match = nameScore(kind, def.name, column) ?? valueOnlyScore(def, shape);
      if (!match) continue;
      const fit = valueFit(def, valuesOf(profile), shape);
      const score = Math.round(match.score * fit.factor * 100) / 100;
      const reason = fit.note ? `${match.reason} Lower confidence: ${fit.note}.` : match.reason;
      if (score >= MIN_SCORE) candidates.push({ field: def.name, column, score, reason, order, required: def.required });
    }
  });
  // Greedy on score: the strongest claims first; ties go to required fields, then catalogue order.
  candidates.sort((a, b) => b.score - a.score || Number(b.required) - Number(a.required) || a.order - b.order);
  const chosen = new Map<string, (typeof candidates)[number]>();
  const usedColumns = new Set<string>();
  for (const c of candidates) {
    if (chosen.has(c.field) || usedColumns.has(c.column)) continue;
    chosen.set(c.field, c);
    usedColumns.add(c.column);
  }

  const fields: FieldSuggestion[] = defs.map((def) => {
    const c = chosen.get(def.name);
    if (!c) return { field: def.name, required: def.required, column: null, confidence: 0, reason: 'No column matched.', transform: null, transformReason: null };
    const { transform, reason } = suggestTransform(def, byColumn.get(c.column));
    return { field: def.name, required: def.required, column: c.column, confidence: c.score, reason: c.reason, transform, transformReason: reason };
  });

  const spec: MappingSpec = {
    kind,
    version: 1,
    nullTokens: [...DEFAULT_NULL_TOKENS],
    assignments: fields.flatMap((s) => (s.column && s.transform ? [{ field: s.field, column: s.column, transform: s.transform }] : [])),
  };
  const derived = new Set(derivedFields(spec));
  for (const s of fields) {
    if (!s.column && derived.has(s.field)) s.reason = 'Derived from the term code.';
  }
  const fieldNames = fieldsOf(kind);
  return {
    kind,
    fields,
    unmappedRequired: fields.filter((s) => s.required && !s.column && !derived.has(s.field) && fieldNames.has(s.field)).map((s) => s.field),
    unmappedColumns: columns.filter((c) => !usedColumns.has(c)),
    spec,
  };
}
