/**
 * Design matrix with treatment contrasts, as R's `model.matrix(~ a + b + …, data)`:
 * an "(Intercept)" column of ones, numeric columns as they are, and for a categorical column
 * with L levels, L − 1 indicator columns named `<column><level>` for every level except the
 * reference (R's `contr.treatment`; reference = first level). Dummies follow the level order.
 *
 * Level order: by default the levels are sorted (R's `factor()` sorts them), so the reference
 * is the alphabetically first level, e.g. race → `racehispan`, `racewhite` with `black` as
 * reference. `reference: { race: 'white' }` picks another reference level (R's `relevel`).
 */
import { CausalInputError } from '../errors';
import type { Matrix } from '../types';
import type { Column, Frame } from './frame';
import { columnLength } from './frame';

export interface DesignTerm {
  /** Source column ('(Intercept)' for the intercept). */
  readonly column: string;
  readonly kind: 'intercept' | 'numeric' | 'categorical';
  /** Design-matrix columns [start, end) produced by this term. */
  readonly start: number;
  readonly end: number;
  /** For categorical terms: the levels in design order, reference first. */
  readonly levels?: readonly string[];
  readonly reference?: string;
}

export interface DesignMatrix {
  readonly matrix: Matrix;
  readonly columnNames: string[];
  readonly terms: DesignTerm[];
}

export interface DesignMatrixOptions {
  /** Columns to use, in order (default: all columns of the frame). */
  readonly covariates?: readonly string[];
  /** Add the intercept column (default true). */
  readonly intercept?: boolean;
  /** Reference level per categorical column (default: first level in level order). */
  readonly reference?: Readonly<Record<string, string>>;
  /** 'sorted' (default, R's factor()) or 'given' (the column's own level order). */
  readonly levelOrder?: 'sorted' | 'given';
  /** 'error' (default): throw on a missing value; 'propagate': write NaN into the row. */
  readonly missing?: 'error' | 'propagate';
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function buildDesignMatrix(frame: Frame | readonly Column[], options: DesignMatrixOptions = {}): DesignMatrix {
  const all = Array.isArray(frame) ? (frame as readonly Column[]) : (frame as Frame).columns;
  const byName = new Map(all.map((c) => [c.name, c]));
  const selected = (options.covariates ?? all.map((c) => c.name)).map((name) => {
    const column = byName.get(name);
    if (column === undefined) throw new CausalInputError(`Covariate "${name}" is not a column of the data.`, { column: name });
    return column;
  });
  const n = selected.length > 0 ? columnLength(selected[0]!) : Array.isArray(frame) ? 0 : (frame as Frame).rows;
  for (const column of selected) {
    if (columnLength(column) !== n) throw new CausalInputError(`Column "${column.name}" has ${columnLength(column)} rows, expected ${n}.`, { column: column.name });
  }
  const missing = options.missing ?? 'error';
  const terms: DesignTerm[] = [];
  const columnNames: string[] = [];
  // Per term: how to fill its columns.
  const plans: { column: Column; start: number; dummyOf?: Int32Array }[] = [];
  if (options.intercept ?? true) {
    terms.push({ column: '(Intercept)', kind: 'intercept', start: 0, end: 1 });
    columnNames.push('(Intercept)');
  }
  for (const column of selected) {
    const start = columnNames.length;
    if (column.kind === 'numeric') {
      columnNames.push(column.name);
      terms.push({ column: column.name, kind: 'numeric', start, end: start + 1 });
      plans.push({ column, start });
      continue;
    }
    const ordered = options.levelOrder === 'given' ? [...column.levels] : [...column.levels].sort(byCodePoint);
    const requested = options.reference?.[column.name];
    if (requested !== undefined && !ordered.includes(requested)) {
      throw new CausalInputError(`Reference level "${requested}" is not a level of "${column.name}" (levels: ${ordered.join(', ')}).`, { column: column.name });
    }
    const reference = requested ?? ordered[0];
    if (reference === undefined) throw new CausalInputError(`Categorical column "${column.name}" has no levels.`, { column: column.name });
    const designLevels = [reference, ...ordered.filter((l) => l !== reference)];
    // dummyOf[code] = design column offset (1-based within the term), 0 for the reference.
    const dummyOf = new Int32Array(column.levels.length);
    column.levels.forEach((level, code) => {
      dummyOf[code] = designLevels.indexOf(level);
    });
    for (const level of designLevels.slice(1)) columnNames.push(`${column.name}${level}`);
    terms.push({ column: column.name, kind: 'categorical', start, end: columnNames.length, levels: designLevels, reference });
    plans.push({ column, start, dummyOf });
  }
  const p = columnNames.length;
  const data = new Float64Array(n * p);
  if (options.intercept ?? true) for (let i = 0; i < n; i++) data[i * p] = 1;
  for (const { column, start, dummyOf } of plans) {
    if (column.kind === 'numeric') {
      const values = column.values;
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        if (Number.isNaN(v) && missing === 'error') {
          throw new CausalInputError(`Column "${column.name}" is missing in row ${i + 1}; impute it or drop the row first.`, { column: column.name, row: i });
        }
        data[i * p + start] = v;
      }
    } else {
      const width = dummyOf === undefined ? 0 : column.levels.length - 1;
      for (let i = 0; i < n; i++) {
        const code = column.codes[i]!;
        if (code < 0) {
          if (missing === 'error') {
            throw new CausalInputError(`Column "${column.name}" is missing in row ${i + 1}; impute it or drop the row first.`, { column: column.name, row: i });
          }
          for (let j = 0; j < width; j++) data[i * p + start + j] = Number.NaN;
          continue;
        }
        const offset = dummyOf![code]!;
        if (offset > 0) data[i * p + start + offset - 1] = 1;
      }
    }
  }
  return { matrix: { data, rows: n, cols: p }, columnNames, terms };
}
