import { z } from 'zod';
import { HyperLogLog } from './hyperloglog';
import { TopValues, detach } from './top-values';
import {
  DATE_FORMATS,
  DECIMAL,
  INTEGER,
  booleanToken,
  isMissing,
  isoDate,
  matchDates,
  matchTermCode,
  startsLikeFormula,
  type DateFormat,
  type TermCodeFormat,
} from './value-patterns';

/**
 * Streaming column profiler: fed one record at a time, it keeps per column a fixed amount of
 * state (a few counters, ≤ 10,000 exact value counts or a 1,000-counter Misra–Gries summary plus
 * a 16 KB HyperLogLog sketch), so a file of any length profiles in bounded memory.
 *
 * Per column it reports:
 * - `inferredType`: the candidate type (boolean, term code, date, integer, decimal) matched by the
 *   largest share of non-missing values, if that share is at least `typeThreshold` (default 98%);
 *   ties go to the more specific type in that order, so a 0/1 column is boolean and 202180 a term
 *   code; otherwise 'text' ('empty' when every value is missing). `conformance` is that share and
 *   `nonConformingExamples` shows up to 5 values that did not match, for the validation report.
 *   Numeric term codes also need 2–8 distinct term parts (an institution has a handful of terms a
 *   year; an ordinary number column has many, and SAT scores end in 0 only) and at most half as many
 *   distinct values as values (terms repeat across students; ids do not).
 * - missing: trimmed value is empty, NA, N/A, NULL, '.', #N/A or NaN (case-insensitive).
 * - distinct (over non-missing values, trimmed): exact up to `exactDistinctCap` (10,000), then a
 *   HyperLogLog estimate (p = 14: standard error 0.81%) with `exact: false`.
 * - `topValues`: 10 most frequent non-missing values; exact while the distinct count is exact,
 *   then Misra–Gries lower bounds that are at most `topValuesMaxError` below the truth.
 * - min/max for integer, decimal (numbers), date (ISO yyyy-mm-dd) and numeric term codes (codes).
 * - up to 5 distinct example values, shortest/longest length, and how many values start with a
 *   formula character (= + - @, tab, CR) without being plain numbers (`formulaLike`).
 */
export const inferredTypes = ['empty', 'boolean', 'term-code', 'date', 'integer', 'decimal', 'text'] as const;
export type InferredType = (typeof inferredTypes)[number];

export const columnProfileSchema = z.object({
  index: z.number().int().nonnegative(),
  name: z.string(),
  inferredType: z.enum(inferredTypes),
  /** Date format, term-code shape or boolean spelling (e.g. 'Y/N'); null otherwise. */
  format: z.string().nullable(),
  conformance: z.number().min(0).max(1),
  nonConformingExamples: z.array(z.string()),
  count: z.number().int().nonnegative(),
  missingCount: z.number().int().nonnegative(),
  missingRate: z.number().min(0).max(1),
  distinct: z.object({ count: z.number().int().nonnegative(), exact: z.boolean() }),
  min: z.union([z.number(), z.string()]).nullable(),
  max: z.union([z.number(), z.string()]).nullable(),
  minLength: z.number().int().nonnegative().nullable(),
  maxLength: z.number().int().nonnegative().nullable(),
  topValues: z.array(z.object({ value: z.string(), count: z.number().int().nonnegative() })),
  topValuesExact: z.boolean(),
  topValuesMaxError: z.number().int().nonnegative(),
  examples: z.array(z.string()),
  formulaLike: z.object({ count: z.number().int().nonnegative(), share: z.number().min(0).max(1) }),
});
export type ColumnProfile = z.infer<typeof columnProfileSchema>;

export const datasetProfileSchema = z.object({
  version: z.literal(1),
  rowCount: z.number().int().nonnegative(),
  columnCount: z.number().int().nonnegative(),
  columns: z.array(columnProfileSchema),
});
export type DatasetProfile = z.infer<typeof datasetProfileSchema>;

export interface ProfileOptions {
  typeThreshold?: number;
  exactDistinctCap?: number;
  topValues?: number;
  examples?: number;
}

const MAX_TERM_PARTS = 8;
const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);
const SAMPLE = 5;

interface Candidate {
  matched: number;
  failures: string[];
}
const candidate = (): Candidate => ({ matched: 0, failures: [] });
const miss = (c: Candidate, v: string): void => {
  if (c.failures.length < SAMPLE && !c.failures.includes(v)) c.failures.push(detach(v));
};

class ColumnProfiler {
  private count = 0;
  private missing = 0;
  private formula = 0;
  private minLength = Number.POSITIVE_INFINITY;
  private maxLength = 0;
  private readonly examples: string[] = [];
  private readonly top: TopValues;
  private hll: HyperLogLog | null = null;

  private readonly int = candidate();
  private readonly dec = candidate();
  private numMin = Number.POSITIVE_INFINITY;
  private numMax = Number.NEGATIVE_INFINITY;
  private intMin = Number.POSITIVE_INFINITY;
  private intMax = Number.NEGATIVE_INFINITY;

  private readonly bool = candidate();
  private readonly boolSpellings = new Map<string, boolean>();

  private readonly dates = new Map<DateFormat, Candidate & { min: number; max: number }>(
    DATE_FORMATS.map((f) => [f, { ...candidate(), min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY }]),
  );
  private dateFailures: string[] = [];

  private readonly terms = new Map<TermCodeFormat, Candidate & { parts: Set<string>; min: string | null; max: string | null }>();
  private termFailures: string[] = [];

  constructor(
    private readonly index: number,
    private readonly name: string,
    private readonly options: Required<ProfileOptions>,
  ) {
    // While values are counted exactly, each distinct value is classified once, with its count,
    // when exact counting stops or at the end; afterwards every value is classified as it comes.
    this.top = new TopValues(1000, options.exactDistinctCap, (entries) => {
      const hll = new HyperLogLog(14);
      for (const [v, n] of entries) {
        hll.add(v);
        this.classify(v, n);
      }
      this.hll = hll;
    });
  }

  add(raw: string): void {
    this.count++;
    let v = raw;
    const n0 = raw.length;
    if (n0 === 0) {
      this.missing++;
      return;
    }
    if (raw.charCodeAt(0) <= 32 || raw.charCodeAt(n0 - 1) <= 32) v = raw.trim();
    if (v.length <= 4 && isMissing(v)) {
      this.missing++;
      return;
    }
    if (this.examples.length < this.options.examples && !this.examples.includes(v)) this.examples.push(detach(v));
    if (this.hll) {
      this.hll.add(v);
      this.top.add(v);
      this.classify(v, 1);
    } else {
      this.top.add(v);
    }
  }

  private weight = 1;
  private readonly onDate = (format: DateFormat, day: number): void => {
    this.dated = true;
    const d = this.dates.get(format)!;
    d.matched += this.weight;
    if (day < d.min) d.min = day;
    if (day > d.max) d.max = day;
  };
  private dated = false;

  /** Adds `weight` occurrences of the non-missing, trimmed value `v` to the type candidates. */
  private classify(v: string, weight: number): void {
    const len = v.length;
    if (len < this.minLength) this.minLength = len;
    if (len > this.maxLength) this.maxLength = len;

    const c0 = v.charCodeAt(0);
    const numericStart = (c0 >= 48 && c0 <= 57) || c0 === 43 || c0 === 45 || c0 === 46;
    let plainNumber = false;
    if (numericStart && DECIMAL.test(v)) {
      plainNumber = true;
      this.dec.matched += weight;
      const x = Number(v);
      if (Number.isFinite(x)) {
        if (x < this.numMin) this.numMin = x;
        if (x > this.numMax) this.numMax = x;
      }
      if (INTEGER.test(v)) {
        this.int.matched += weight;
        if (x < this.intMin) this.intMin = x;
        if (x > this.intMax) this.intMax = x;
      } else miss(this.int, v);
    } else {
      miss(this.dec, v);
      miss(this.int, v);
    }
    // Values are trimmed, so a leading tab or CR is not seen here; the export escapes those anyway.
    if (!plainNumber && startsLikeFormula(v)) this.formula += weight;

    const b = len > 5 ? undefined : booleanToken(v);
    if (b === undefined) miss(this.bool, v);
    else {
      this.bool.matched += weight;
      if (this.boolSpellings.size < 16) this.boolSpellings.set(len > 1 ? v.toLowerCase() : v.toUpperCase(), b);
    }

    this.dated = false;
    this.weight = weight;
    if (numericStart) matchDates(v, this.onDate);
    if (!this.dated && this.dateFailures.length < SAMPLE && !this.dateFailures.includes(v)) this.dateFailures.push(detach(v));

    const t = matchTermCode(v);
    if (t) {
      let s = this.terms.get(t.format);
      if (!s) this.terms.set(t.format, (s = { ...candidate(), parts: new Set(), min: null, max: null }));
      s.matched += weight;
      if (s.parts.size <= MAX_TERM_PARTS) s.parts.add(t.part);
      if (s.min === null || v < s.min) s.min = detach(v);
      if (s.max === null || v > s.max) s.max = detach(v);
    } else if (this.termFailures.length < SAMPLE && !this.termFailures.includes(v)) this.termFailures.push(detach(v));
  }

  private result: ColumnProfile | null = null;

  finish(): ColumnProfile {
    this.result ??= this.compute();
    return this.result;
  }

  private compute(): ColumnProfile {
    if (!this.hll) for (const [v, n] of this.top.exactEntries()) this.classify(v, n);
    const present = this.count - this.missing;
    const share = (k: number): number => (present === 0 ? 0 : k / present);
    type Choice = { type: InferredType; format: string | null; matched: number; failures: string[]; min: number | string | null; max: number | string | null };
    const choices: Choice[] = [];

    if (this.bool.matched > 0) {
      const truthy = [...this.boolSpellings].filter(([, t]) => t).map(([s]) => s);
      const falsy = [...this.boolSpellings].filter(([, t]) => !t).map(([s]) => s);
      choices.push({ type: 'boolean', format: `${truthy.join('|') || '?'}/${falsy.join('|') || '?'}`, matched: this.bool.matched, failures: this.bool.failures, min: null, max: null });
    }
    const distinct = this.hll ? this.hll.estimate() : this.top.exactDistinct;
    for (const [format, s] of this.terms) {
      const numeric = format === 'yyyyTT' || format === 'STRM';
      // Numbers only count as term codes with few term parts and values that repeat (many students
      // per term); an id column has neither.
      if (numeric && (s.parts.size < 2 || s.parts.size > MAX_TERM_PARTS || distinct > present / 2)) continue;
      choices.push({ type: 'term-code', format, matched: s.matched, failures: this.termFailures, min: numeric ? s.min : null, max: numeric ? s.max : null });
    }
    for (const [format, d] of this.dates) {
      if (d.matched > 0) choices.push({ type: 'date', format, matched: d.matched, failures: this.dateFailures, min: isoDate(d.min), max: isoDate(d.max) });
    }
    if (this.int.matched > 0) choices.push({ type: 'integer', format: null, matched: this.int.matched, failures: this.int.failures, min: finiteOrNull(this.intMin), max: finiteOrNull(this.intMax) });
    if (this.dec.matched > 0) choices.push({ type: 'decimal', format: null, matched: this.dec.matched, failures: this.dec.failures, min: finiteOrNull(this.numMin), max: finiteOrNull(this.numMax) });

    // Highest share wins; the stable order above breaks ties toward the more specific type.
    let best: Choice | null = null;
    for (const c of choices) if (share(c.matched) >= this.options.typeThreshold && (!best || c.matched > best.matched)) best = c;

    const chosen: Choice =
      present === 0
        ? { type: 'empty', format: null, matched: 0, failures: [], min: null, max: null }
        : (best ?? { type: 'text', format: null, matched: present, failures: [], min: null, max: null });

    return {
      index: this.index,
      name: this.name,
      inferredType: chosen.type,
      format: chosen.format,
      conformance: present === 0 ? 1 : share(chosen.matched),
      nonConformingExamples: chosen.matched === present ? [] : chosen.failures,
      count: this.count,
      missingCount: this.missing,
      missingRate: this.count === 0 ? 0 : this.missing / this.count,
      distinct: { count: Math.round(distinct), exact: this.hll === null },
      min: chosen.min,
      max: chosen.max,
      minLength: present === 0 ? null : this.minLength,
      maxLength: present === 0 ? null : this.maxLength,
      topValues: this.top.top(this.options.topValues),
      topValuesExact: this.top.isExact,
      topValuesMaxError: this.top.maxError,
      examples: [...this.examples],
      formulaLike: { count: this.formula, share: share(this.formula) },
    };
  }
}

/** Profiles a table record by record; `finish()` returns the JSON-ready profile. */
export class DatasetProfiler {
  private readonly columns: ColumnProfiler[];
  private rows = 0;

  constructor(header: readonly string[], options: ProfileOptions = {}) {
    const full: Required<ProfileOptions> = {
      typeThreshold: options.typeThreshold ?? 0.98,
      exactDistinctCap: options.exactDistinctCap ?? 10_000,
      topValues: options.topValues ?? 10,
      examples: options.examples ?? SAMPLE,
    };
    this.columns = header.map((name, i) => new ColumnProfiler(i, name, full));
  }

  /** One data record; it must have one field per header column (the reader guarantees it). */
  add(fields: readonly string[]): void {
    this.rows++;
    const cols = this.columns;
    for (let i = 0; i < cols.length; i++) cols[i]!.add(fields[i] ?? '');
  }

  finish(): DatasetProfile {
    return { version: 1, rowCount: this.rows, columnCount: this.columns.length, columns: this.columns.map((c) => c.finish()) };
  }
}

