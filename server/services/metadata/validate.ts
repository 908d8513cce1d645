/**
 * Validation of mapped standard-model rows: row-level rules (required, allowed values, range,
 * plausible dates, census date inside its term, credits) and dataset-level rules (duplicate keys,
 * references to unknown students and terms). `createValidator` streams: it keeps counts, at most
 * `maxExamples` examples per rule and the set of keys seen, never the rows, so memory is bounded by
 * the number of distinct keys.
 */
import { fieldsOf, standardModel, type DatasetKind, type FieldDef, type FieldValue, type StandardRow } from './standard-model';

export const ruleIds = [
  'required',
  'type',
  'allowed_values',
  'range',
  'plausible_date',
  'term_dates_order',
  'census_within_term',
  'credits_earned_exceed_attempted',
  'duplicate_key',
  'unknown_student',
  'unknown_term',
] as const;
export type RuleId = (typeof ruleIds)[number];
export type Severity = 'error' | 'warning';

export const ruleDescriptions: Record<RuleId, { severity: Severity; description: string }> = {
  required: { severity: 'error', description: 'A required field is empty.' },
  type: { severity: 'error', description: 'A value could not be read as its field’s type through the mapping.' },
  allowed_values: { severity: 'error', description: 'A category value is not one of the field’s allowed values.' },
  range: { severity: 'error', description: 'A number is outside its plausible range.' },
  plausible_date: { severity: 'error', description: 'A date is implausibly early or in the future.' },
  term_dates_order: { severity: 'error', description: 'A term ends before it starts.' },
  census_within_term: { severity: 'error', description: 'A census date lies outside its term.' },
  credits_earned_exceed_attempted: { severity: 'warning', description: 'More credits earned than attempted in a term.' },
  duplicate_key: { severity: 'error', description: 'The same key appears on more than one row.' },
  unknown_student: { severity: 'error', description: 'A row refers to a student not in the students data.' },
  unknown_term: { severity: 'error', description: 'A row refers to a term not in the terms data.' },
};

export interface RowCheckOptions {
  /** Validation date, ISO `YYYY-MM-DD`; default: today (UTC). Bounds birth years and future dates. */
  today?: string;
  /** Top of the GPA scale for term and cumulative GPA after conversion (default 4.0; 4.3 where A+ is 4.3). */
  gpaMax?: number;
  /** Top of the high-school GPA scale (default 5.0, weighted GPAs). */
  hsGpaMax?: number;
}

export interface ValidatorOptions extends RowCheckOptions {
  /** Student keys known from the students data; when given, other datasets are checked against it. */
  knownStudents?: ReadonlySet<string>;
  /** Canonical term codes known from the terms data; when given, term fields are checked against it. */
  knownTerms?: ReadonlySet<string>;
  /** Field → source column, for the report (`compileMapping(...).columnOf`). */
  columns?: Readonly<Record<string, string>>;
  /** Examples kept per rule (default 5). */
  maxExamples?: number;
}

export interface RowProblem {
  rule: RuleId;
  field: string;
  value: FieldValue;
  message: string;
}

export interface ValidationExample {
  row: number;
  column: string;
  value: string;
  message: string;
}

export interface RuleReport {
  rule: RuleId;
  severity: Severity;
  description: string;
  count: number;
  examples: ValidationExample[];
}

const todayIso = () => new Date().toISOString().slice(0, 10);

/** Row-level rules for one mapped row. */
export function checkRow(kind: DatasetKind, row: StandardRow, options: RowCheckOptions = {}): RowProblem[] {
  return [...compileRowCheck(kind, options)(row)];
}

const NO_PROBLEMS: readonly RowProblem[] = Object.freeze([]);

/**
 * `checkRow` with everything that does not depend on the row (bounds, date limits, allowed
 * sets) resolved once: the streaming validator calls it millions of times. Returns a shared
 * empty array when the row has no problem.
 */
function compileRowCheck(kind: DatasetKind, options: RowCheckOptions): (row: StandardRow) => readonly RowProblem[] {
  const today = options.today ?? todayIso();
  const currentYear = Number(today.slice(0, 4));
  const checks = standardModel[kind].map((def) => {
    const bounds = def.range ? boundsOf(def, options, currentYear) : undefined;
    return {
      def,
      name: def.name,
      allowed: def.type === 'category' && def.allowed ? new Set(def.allowed) : undefined,
      bounds,
      latest: def.dates ? `${String(currentYear + def.dates.maxYearsAhead).padStart(4, '0')}${today.slice(4)}` : undefined,
    };
  });
  return (row) => {
    let problems: RowProblem[] | undefined;
    const push = (p: RowProblem) => (problems ??= []).push(p);
    for (const { def, name, allowed, bounds, latest } of checks) {
      const value = row[name] ?? null;
      if (value === null || value === '') {
        if (def.required) push({ rule: 'required', field: name, value, message: `${name} is required and empty.` });
        continue;
      }
      if (allowed && !allowed.has(String(value))) {
        push({ rule: 'allowed_values', field: name, value, message: `“${String(value)}” is not one of ${(def.allowed ?? []).join(', ')}.` });
      }
      if (bounds && typeof value === 'number') {
        const { min, max } = bounds;
        if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
          push({ rule: 'range', field: name, value, message: `${name} ${value} is outside ${min ?? '−∞'}–${max ?? '∞'}.` });
        }
      }
      if (def.dates && latest !== undefined && typeof value === 'string') {
        if (Number(value.slice(0, 4)) < def.dates.minYear || value > latest) {
          push({
            rule: 'plausible_date',
            field: name,
            value,
            message: `${name} ${value} is not plausible (expected ${def.dates.minYear} to ${latest}).`,
          });
        }
      }
    }
    if (kind === 'terms') {
      const { start, end, census_date: census } = row;
      if (typeof start === 'string' && typeof end === 'string' && end < start) {
        push({ rule: 'term_dates_order', field: 'end', value: end, message: `The term ends (${end}) before it starts (${start}).` });
      }
      if (typeof census === 'string' && typeof start === 'string' && typeof end === 'string' && (census < start || census > end)) {
        push({ rule: 'census_within_term', field: 'census_date', value: census, message: `Census date ${census} is outside the term ${start} – ${end}.` });
      }
    }
    if (kind === 'term_enrollments') {
      const { credits_attempted: attempted, credits_earned: earned } = row;
      if (typeof attempted === 'number' && typeof earned === 'number' && earned > attempted) {
        push({
          rule: 'credits_earned_exceed_attempted',
          field: 'credits_earned',
          value: earned,
          message: `${earned} credits earned but only ${attempted} attempted.`,
        });
      }
    }
    return problems ?? NO_PROBLEMS;
  };
}

function boundsOf(def: FieldDef, options: RowCheckOptions, currentYear: number): { min?: number; max?: number } {
  const range = def.range ?? {};
  let max = range.max === 'currentYear' ? currentYear : range.max;
  if (range.maxOption === 'gpaMax' && options.gpaMax !== undefined) max = options.gpaMax;
  if (range.maxOption === 'hsGpaMax' && options.hsGpaMax !== undefined) max = options.hsGpaMax;
  return { min: range.min, max };
}

/** The key fields whose combination must be unique in each dataset. */
export const uniqueKeys: Record<DatasetKind, readonly string[]> = {
  students: ['student_key'],
  term_enrollments: ['student_key', 'term'],
  participation: ['student_key', 'intervention', 'term'],
  awards: ['student_key', 'award_level', 'award_date'],
  terms: ['term_code'],
};

const TERM_REFERENCES: Record<DatasetKind, readonly string[]> = {
  students: ['cohort_term'],
  term_enrollments: ['term'],
  participation: ['term'],
  awards: [],
  terms: [],
};

export interface StreamingValidator {
  /** Checks one mapped row; `cellErrors` are the mapping's errors for that row (rule `type`). */
  add(row: StandardRow, rowNumber: number, cellErrors?: readonly { field: string; column: string; value: string; message: string }[]): void;
  /** The report: one entry per rule that failed at least once, errors first. */
  finish(): RuleReport[];
  readonly rowCount: number;
}

const NO_CELL_ERRORS: readonly { field: string; column: string; value: string; message: string }[] = Object.freeze([]);

export function createValidator(kind: DatasetKind, options: ValidatorOptions = {}): StreamingValidator {
  const maxExamples = options.maxExamples ?? 5;
  const rowOptions: RowCheckOptions = { ...options, today: options.today ?? todayIso() };
  const fields = fieldsOf(kind);
  const counts = new Map<RuleId, RuleReport>();
  const firstRowOfKey = new Map<string, number>();
  const keyFields = uniqueKeys[kind];
  const checkStudents = kind !== 'students' && kind !== 'terms' && options.knownStudents !== undefined;
  const termFields = options.knownTerms ? TERM_REFERENCES[kind] : [];
  let rowCount = 0;

  const check = compileRowCheck(kind, rowOptions);
  const columnOf = (field: string) => options.columns?.[field] ?? field;
  const record = (rule: RuleId, example: ValidationExample) => {
    let entry = counts.get(rule);
    if (!entry) {
      entry = { rule, ...ruleDescriptions[rule], count: 0, examples: [] };
      counts.set(rule, entry);
    }
    entry.count += 1;
    if (entry.examples.length < maxExamples) entry.examples.push(example);
  };
  const shown = (value: FieldValue) => (value === null ? '' : String(value));

  return {
    get rowCount() {
      return rowCount;
    },
    add(row, rowNumber, cellErrors = NO_CELL_ERRORS) {
      rowCount += 1;
      let unreadable: Set<string> | undefined;
      for (const e of cellErrors) {
        (unreadable ??= new Set<string>()).add(e.field);
        record('type', { row: rowNumber, column: e.column, value: e.value, message: e.message });
      }
      const problems = check(row);
      for (let i = 0; i < problems.length; i++) {
        const p = problems[i] as RowProblem;
        if (p.rule === 'required' && unreadable?.has(p.field)) continue;
        record(p.rule, { row: rowNumber, column: columnOf(p.field), value: shown(p.value), message: p.message });
      }

      const parts = keyFields.map((name) => row[name]);
      const complete = parts.every((v) => v !== null && v !== undefined && v !== '');
      if (complete) {
        const key = parts.map((v) => String(v)).join('\u001f');
        const first = firstRowOfKey.get(key);
        if (first === undefined) firstRowOfKey.set(key, rowNumber);
        else {
          const described = keyFields.map((name, i) => `${name} ${String(parts[i])}`).join(', ');
          record('duplicate_key', {
            row: rowNumber,
            column: keyFields.map(columnOf).join(' + '),
            value: parts.map((v) => String(v)).join(' / '),
            message: `${described} already appears in row ${first}.`,
          });
        }
      }

      const student = row.student_key;
      if (checkStudents && typeof student === 'string' && student !== '' && !options.knownStudents?.has(student)) {
        record('unknown_student', {
          row: rowNumber,
          column: columnOf('student_key'),
          value: student,
          message: `Student ${student} is not in the students data.`,
        });
      }
      for (const name of termFields) {
        const term = row[name];
        if (fields.has(name) && typeof term === 'string' && term !== '' && !options.knownTerms?.has(term)) {
          record('unknown_term', { row: rowNumber, column: columnOf(name), value: term, message: `Term ${term} (${name}) is not in the terms data.` });
        }
      }
    },
    finish() {
      return ruleIds.flatMap((rule) => {
        const entry = counts.get(rule);
        return entry ? [entry] : [];
      }).sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
    },
  };
}

/** True when the report has at least one error (a load must not proceed). */
export function hasErrors(report: readonly RuleReport[]): boolean {
  return report.some((r) => r.severity === 'error' && r.count > 0);
}
