/**
 * Design matrices of the imputation models: an intercept, then each predictor column: numeric
 * columns as they are, categorical columns as treatment-contrast dummies (level 0 = baseline,
 * R's default `contr.treatment`). Built directly for a subset of rows (observed or missing cases
 * of the imputed variable), so no n × q matrix larger than needed is materialised.
 */
import type { Matrix } from '../types';

export type PredictorSource =
  | { readonly kind: 'numeric'; readonly values: Float64Array }
  | { readonly kind: 'categorical'; readonly codes: Int32Array; readonly nLevels: number };

/** Number of design columns: 1 (intercept) + 1 per numeric + (levels − 1) per categorical. */
export function designWidth(sources: readonly PredictorSource[]): number {
  let q = 1;
  for (const s of sources) q += s.kind === 'numeric' ? 1 : Math.max(s.nLevels - 1, 0);
  return q;
}

/** Design rows for `rows` (all rows 0..n−1 when `rows` is null). */
export function buildDesign(sources: readonly PredictorSource[], rows: Int32Array | null, n: number): Matrix {
  const q = designWidth(sources);
  const m = rows ? rows.length : n;
  const data = new Float64Array(m * q);
  for (let r = 0; r < m; r++) data[r * q] = 1;
  let col = 1;
  for (const s of sources) {
    if (s.kind === 'numeric') {
      const v = s.values;
      if (rows) for (let r = 0; r < m; r++) data[r * q + col] = v[rows[r]!]!;
      else for (let r = 0; r < m; r++) data[r * q + col] = v[r]!;
      col += 1;
    } else {
      const codes = s.codes;
      for (let r = 0; r < m; r++) {
        const code = codes[rows ? rows[r]! : r]!;
        if (code > 0) data[r * q + col + code - 1] = 1;
      }
      col += Math.max(s.nLevels - 1, 0);
    }
  }
  return { data, rows: m, cols: q };
}

/** Keeps only the design columns `kept` (e.g. the non-aliased ones). */
export function columnsOf(x: Matrix, kept: Int32Array): Matrix {
  const q = x.cols;
  const k = kept.length;
  if (k === q) return x;
  const data = new Float64Array(x.rows * k);
  for (let r = 0; r < x.rows; r++) for (let a = 0; a < k; a++) data[r * k + a] = x.data[r * q + kept[a]!]!;
  return { data, rows: x.rows, cols: k };
}
