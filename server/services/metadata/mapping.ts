/**
 * A mapping spec says how one institution's file becomes standard-model rows: which column fills
 * which field, through which transform. Specs are JSON (stored versioned, edited by the admin);
 * `compileMapping` resolves the columns once per file, then maps each record with no further
 * lookups, so the same code serves the live preview and the streaming load.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../errors/app-error';
import { datasetKinds, fieldsOf, standardModel, type DatasetKind, type FieldDef, type FieldValue, type StandardRow } from './standard-model';
import { normaliseName } from './synonyms';
import { applyTransform, crosswalkLookup, isoDate, isTermValue, parseNumber, transformSpec, type TransformSpec, type TransformValue } from './transforms';
import { checkRow, type RowCheckOptions } from './validate';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const mappingAssignment = z
  .object({
    field: z.string().min(1),
    /** Source column (header name as in the file). */
    column: z.string().min(1).optional(),
    /** A fixed value for every row instead of a column (e.g. degree_seeking = true when the file holds only degree-seekers). */
    constant: scalar.optional(),
    transform: transformSpec.default({ kind: 'text', case: 'keep' }),
  })
  .refine((a) => (a.column === undefined) !== (a.constant === undefined), {
    message: 'Give either a source column or a constant value for each field, not both.',
  });
export type MappingAssignment = z.infer<typeof mappingAssignment>;

/** The datasets profiler's missing spellings (value-patterns.ts `isMissing`) plus MySQL's `\N`. */
export const DEFAULT_NULL_TOKENS = ['', 'NA', 'N/A', 'NULL', '.', '#N/A', 'NaN', '\\N'];

export const mappingSpec = z
  .object({
    kind: z.enum(datasetKinds),
    version: z.number().int().positive(),
    /** Cell values read as missing (compared trimmed, case-insensitively). */
    nullTokens: z.array(z.string()).default(DEFAULT_NULL_TOKENS),
    assignments: z.array(mappingAssignment),
  })
  .superRefine((spec, ctx) => {
    const fields = fieldsOf(spec.kind);
    const seen = new Set<string>();
    spec.assignments.forEach((a, i) => {
      if (!fields.has(a.field)) {
        ctx.addIssue({
          code: 'custom',
          path: ['assignments', i, 'field'],
          message: `“${a.field}” is not a field of ${spec.kind}; choose one of ${[...fields.keys()].join(', ')}.`,
        });
      }
      if (seen.has(a.field)) ctx.addIssue({ code: 'custom', path: ['assignments', i, 'field'], message: `The field ${a.field} is mapped twice.` });
      seen.add(a.field);
    });
  });
export type MappingSpec = z.infer<typeof mappingSpec>;
export type MappingSpecInput = z.input<typeof mappingSpec>;

export interface CellError {
  field: string;
  column: string;
  value: string;
  message: string;
}

export interface MappedRecord {
  row: StandardRow;
  errors: CellError[];
}

export interface CompiledMapping {
  kind: DatasetKind;
  /** Field → source column name (as in the file) or `(constant)`. */
  columnOf: Readonly<Record<string, string>>;
  /** Required fields neither mapped nor derived. */
  unmappedRequired: string[];
  apply(record: readonly string[]): MappedRecord;
}

/** Parses a spec (e.g. from the editor or a JSON column) with messages the admin can act on. */
export function parseMappingSpec(input: unknown): MappingSpec {
  const parsed = mappingSpec.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    throw new AppError('BAD_REQUEST', `The mapping is not valid: ${errors.map((i) => `${i.path ? `${i.path}: ` : ''}${i.message}`).join('; ')}`, {
      errors,
    });
  }
  return parsed.data;
}

/**
 * Fields filled from another field's transform: a term-code transform on `term_code` also yields
 * `academic_year` and `season` in the terms dataset, unless those are mapped themselves.
 */
export function derivedFields(spec: Pick<MappingSpec, 'kind' | 'assignments'>): string[] {
  if (spec.kind !== 'terms') return [];
  const source = spec.assignments.find((a) => a.field === 'term_code');
  if (!source || source.transform.kind !== 'termCode') return [];
  const mapped = new Set(spec.assignments.map((a) => a.field));
  return ['academic_year', 'season'].filter((name) => !mapped.has(name));
}

/** Resolves the spec's columns against a file's header; throws BAD_REQUEST naming a missing column. */
export function compileMapping(spec: MappingSpec, header: readonly string[]): CompiledMapping {
  const fields = fieldsOf(spec.kind);
  const exact = new Map<string, number>();
  const normalised = new Map<string, number>();
  header.forEach((name, i) => {
    if (!exact.has(name)) exact.set(name, i);
    const n = normaliseName(name);
    if (!normalised.has(n)) normalised.set(n, i);
  });

  const nullTokens = new Set(spec.nullTokens.map((t) => t.trim().toUpperCase()));
  // Longest null token: a longer trimmed cell cannot be one (skips an upper-casing per cell).
  const longestNullToken = Math.max(0, ...[...nullTokens].map((t) => t.length));
  const isNullToken = (raw: string): boolean => {
    const trimmed = raw.trim();
    return trimmed.length <= longestNullToken && nullTokens.has(trimmed.toUpperCase());
  };
  const derived = derivedFields(spec);
  const columnOf: Record<string, string> = {};
  const steps = spec.assignments.map((a) => {
    const def = fields.get(a.field) as FieldDef;
    if (a.column === undefined) {
      columnOf[a.field] = '(constant)';
      return { def, column: '(constant)', index: -1, transform: a.transform, constant: a.constant ?? null };
    }
    const index = exact.get(a.column) ?? normalised.get(normaliseName(a.column));
    if (index === undefined) {
      throw new AppError(
        'BAD_REQUEST',
        `The column “${a.column}” mapped to ${a.field} is not in the file. Its columns are: ${header.slice(0, 40).join(', ')}${header.length > 40 ? ', …' : ''}. Edit the mapping or upload the file with that column.`,
        { column: a.column, field: a.field, header: header.slice(0, 200) },
      );
    }
    const column = header[index] ?? a.column;
    columnOf[a.field] = column;
    return { def, column, index, transform: a.transform, constant: null };
  });
  const mapped = new Set([...spec.assignments.map((a) => a.field), ...derived]);
  const unmappedRequired = standardModel[spec.kind].filter((d) => d.required && !mapped.has(d.name)).map((d) => d.name);
  const emptyRow = Object.fromEntries(standardModel[spec.kind].map((d) => [d.name, null])) as StandardRow;

  return {
    kind: spec.kind,
    columnOf,
    unmappedRequired,
    apply(record) {
      const row: StandardRow = { ...emptyRow };
      const errors: CellError[] = [];
      for (const step of steps) {
        let value: TransformValue;
        let raw: string;
        if (step.index < 0) {
          raw = step.constant === null ? '' : String(step.constant);
          value = step.constant;
        } else {
          raw = record[step.index] ?? '';
          if (isNullToken(raw) && !crosswalkHasKey(step.transform, raw)) {
            continue;
          }
          const result = applyTransform(step.transform, raw);
          if (!result.ok) {
            errors.push({ field: step.def.name, column: step.column, value: raw, message: result.error });
            continue;
          }
          value = result.value;
        }
        if (isTermValue(value) && derived.length > 0 && step.def.name === 'term_code') {
          if (derived.includes('academic_year')) row.academic_year = value.academicYear;
          if (derived.includes('season')) row.season = value.season;
        }
        const typed = coerceToField(step.def, value);
        if (typed.ok) row[step.def.name] = typed.value;
        else errors.push({ field: step.def.name, column: step.column, value: raw, message: typed.error });
      }
      return { row, errors };
    },
  };
}

function crosswalkHasKey(transform: TransformSpec, raw: string): boolean {
  if (transform.kind !== 'crosswalk') return false;
  return crosswalkLookup(transform).has(transform.caseSensitive ? raw.trim() : raw.trim().toUpperCase());
}

const BOOLEAN_TOKENS: Record<string, boolean> = { Y: true, YES: true, T: true, TRUE: true, '1': true, N: false, NO: false, F: false, FALSE: false, '0': false };
const typeName: Record<FieldDef['type'], string> = {
  string: 'text',
  integer: 'a whole number',
  decimal: 'a number',
  boolean: 'yes/no',
  date: 'a date',
  term: 'a term code',
  category: 'a category',
};

/**
 * Checks a transformed value against the field's type and converts what converts losslessly
 * (a text "3" for an integer field, a term value for a term field). Category values must be one
 * of the allowed codes, compared case- and separator-insensitively.
 */
export function coerceToField(def: FieldDef, value: TransformValue): { ok: true; value: FieldValue } | { ok: false; error: string } {
  if (value === null) return { ok: true, value: null };
  const bad = (shown: string) => ({ ok: false as const, error: `“${shown}” is not ${typeName[def.type]} (${def.name}).` });
  if (isTermValue(value)) {
    if (def.type === 'term' || def.type === 'string') return { ok: true, value: value.termCode };
    return bad(value.termCode);
  }
  switch (def.type) {
    case 'string':
    case 'term':
      return { ok: true, value: String(value) };
    case 'integer':
    case 'decimal': {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? parseNumber(value.trim()) : undefined;
      if (n === undefined || (def.type === 'integer' && !Number.isInteger(n))) return bad(String(value));
      return { ok: true, value: n };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, value };
      const b = BOOLEAN_TOKENS[String(value).trim().toUpperCase()];
      return b === undefined ? bad(String(value)) : { ok: true, value: b };
    }
    case 'date': {
      const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
      const iso = m ? isoDate(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
      return iso ? { ok: true, value: iso } : bad(String(value));
    }
    case 'category': {
      const allowed = def.allowed ?? [];
      if (allowed.includes(String(value))) return { ok: true, value: String(value) };
      const key = categoryKey(String(value));
      const match = allowed.find((a) => categoryKey(a) === key);
      if (match) return { ok: true, value: match };
      return {
        ok: false,
        error: `“${String(value)}” is not a ${def.name} category; use one of ${allowed.join(', ')} (add a crosswalk from the local code).`,
      };
    }
  }
}

const categoryKey = (s: string) => s.trim().toLowerCase().replace(/[^a-z0-9]+/g, '');

/** Maps one record (cells in header order). */
export function applyMapping(spec: MappingSpec, header: readonly string[], record: readonly string[]): MappedRecord {
  return compileMapping(spec, header).apply(record);
}

export interface PreviewRow {
  rowNumber: number;
  values: StandardRow;
  /** Field → messages for that cell (transform, type, required, range, …). */
  errors: Record<string, string[]>;
}

export interface MappingPreview {
  fields: { field: string; column: string | null; type: FieldDef['type']; required: boolean; derived: boolean }[];
  rows: PreviewRow[];
  unmappedRequired: string[];
  cellErrors: number;
  rowsWithErrors: number;
}

/**
 * The editor's live preview: maps sample records and lists per-cell problems, both mapping errors
 * and the row-level validation rules, so the admin sees what a load would report.
 */
export function previewMapping(
  specInput: MappingSpecInput | MappingSpec,
  header: readonly string[],
  sampleRecords: readonly (readonly string[])[],
  options: RowCheckOptions & { firstRowNumber?: number } = {},
): MappingPreview {
  const spec = parseMappingSpec(specInput);
  const compiled = compileMapping(spec, header);
  const derived = new Set(derivedFields(spec));
  const first = options.firstRowNumber ?? 1;
  let cellErrors = 0;
  let rowsWithErrors = 0;
  const rows = sampleRecords.map((record, i): PreviewRow => {
    const { row, errors } = compiled.apply(record);
    const byField: Record<string, string[]> = {};
    const add = (field: string, message: string) => {
      (byField[field] ??= []).push(message);
      cellErrors += 1;
    };
    const failed = new Set<string>();
    for (const e of errors) {
      add(e.field, e.message);
      failed.add(e.field);
    }
    for (const problem of checkRow(spec.kind, row, options)) {
      // A cell whose value could not be read is empty in the row; "required" would repeat it.
      if (problem.rule === 'required' && failed.has(problem.field)) continue;
      if (problem.rule === 'required' && !(problem.field in compiled.columnOf) && !derived.has(problem.field)) continue;
      add(problem.field, problem.message);
    }
    if (Object.keys(byField).length > 0) rowsWithErrors += 1;
    return { rowNumber: first + i, values: row, errors: byField };
  });
  return {
    fields: standardModel[spec.kind].map((def) => ({
      field: def.name,
      column: compiled.columnOf[def.name] ?? null,
      type: def.type,
      required: def.required,
      derived: derived.has(def.name),
    })),
    rows,
    unmappedRequired: compiled.unmappedRequired,
    cellErrors,
    rowsWithErrors,
  };
}

/**
 * A stable signature of a file's columns: the set of normalised header names (order, case and
 * separators ignored), hashed. A new upload with the same signature reuses the last mapping.
 */
export function mappingSignature(headers: readonly string[]): string {
  const names = [...new Set(headers.map(normaliseName).filter((n) => n !== ''))].sort();
  return `cols1:${createHash('sha256').update(names.join('\n')).digest('hex')}`;
}
