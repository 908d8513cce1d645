/**
 * The design of every imputation model of one Gibbs chain, kept as ONE row-major n × Q matrix D
 * (an intercept, then each state column in order: numeric as is, categorical as treatment
 * dummies, excluded columns width 0) together with its Gram matrix G = DᵀD.
 *
 * Why: the model for column j uses the columns of D other than j's own (and those of derived
 * columns built from j), over the rows where j is observed. Its XᵀX, Xᵀy and yᵀy are all
 * entries of the observed-rows Gram  G_obs(j) = G − D_misᵀ D_mis  (mis = rows where j is
 * missing, a minority), so one crossprod over n_mis rows replaces building an n_obs × q design
 * and its QR (van Buuren 2018 §4.5.2 / mice's `estimice` solve the same normal equations).
 * When column j changes in rows R, only G's row and column j change:
 *   G ← G + Σ_{i∈R} (d'_i d'_iᵀ − d_i d_iᵀ),   O(|R|·Q) instead of O(n·Q²).
 * G is rebuilt from D once per sweep (`refreshGram`) so rounding from the updates cannot drift.
 * lo/hi hold each design column's running range, so the augmentation rows of the categorical
 * models come from G and the ranges (`columnMoments`) without a pass over D.
 */
import type { Matrix } from '../types';
import { crossprodRange, symmetrizeUpper } from '../linalg';
import type { PredictorSource } from './design';
import type { PredictorMoments } from './augment';

export interface ChainDesign {
  readonly n: number;
  /** Q: design width (intercept + all non-excluded state columns). */
  readonly width: number;
  /** n × Q row-major current values. */
  readonly data: Float64Array;
  /** Q × Q full symmetric DᵀD. */
  readonly gram: Float64Array;
  /** First design column of each state column (its span is [offset, offset + span)). */
  readonly offset: Int32Array;
  readonly span: Int32Array;
  /** Scratch for gathered rows (grown on demand). */
  scratch: Float64Array;
  /**
   * Running range of each design column: exact at creation and for whole-column updates; row
   * updates only widen it, which stays exact when the new values are among the column's values
   * in untouched rows (every imputation draws observed values or observed categories).
   */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

const sourceWidth = (s: PredictorSource | null): number => (s === null ? 0 : s.kind === 'numeric' ? 1 : Math.max(s.nLevels - 1, 0));

/** Builds D and G from the current state columns (`null` = excluded from every model). */
export function createChainDesign(sources: readonly (PredictorSource | null)[], n: number): ChainDesign {
  const offset = new Int32Array(sources.length);
  const span = new Int32Array(sources.length);
  let q = 1;
  sources.forEach((s, c) => {
    offset[c] = q;
    span[c] = sourceWidth(s);
    q += span[c]!;
  });
  const data = new Float64Array(n * q);
  for (let i = 0; i < n; i++) data[i * q] = 1;
  const design: ChainDesign = { n, width: q, data, gram: new Float64Array(q * q), offset, span, scratch: new Float64Array(0), lo: new Float64Array(q), hi: new Float64Array(q) };
  sources.forEach((s, c) => {
    if (s !== null) writeRows(design, c, s, null);
  });
  for (let c = 0; c < q; c++) updateRange(design, c, null);
  refreshGram(design);
  return design;
}

/** Range of design column c: recomputed over all rows (rows = null) or widened by `rows`. */
function updateRange(d: ChainDesign, c: number, rows: Int32Array | null): void {
  const q = d.width;
  let lo = rows ? d.lo[c]! : Infinity;
  let hi = rows ? d.hi[c]! : -Infinity;
  const m = rows ? rows.length : d.n;
  for (let r = 0; r < m; r++) {
    const v = d.data[(rows ? rows[r]! : r) * q + c]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  d.lo[c] = lo;
  d.hi[c] = hi;
}

/** G = DᵀD from scratch (blocked crossprod over all rows). */
export function refreshGram(d: ChainDesign): void {
  d.gram.fill(0);
  crossprodRange({ data: d.data, rows: d.n, cols: d.width }, undefined, 0, d.n, d.gram);
  symmetrizeUpper(d.gram, d.width);
}

function writeRows(d: ChainDesign, c: number, s: PredictorSource, rows: Int32Array | null): void {
  const q = d.width;
  const off = d.offset[c]!;
  const m = rows ? rows.length : d.n;
  const data = d.data;
  if (s.kind === 'numeric') {
    for (let r = 0; r < m; r++) {
      const i = rows ? rows[r]! : r;
      data[i * q + off] = s.values[i]!;
    }
    return;
  }
  const w = d.span[c]!;
  for (let r = 0; r < m; r++) {
    const i = rows ? rows[r]! : r;
    const base = i * q + off;
    for (let k = 0; k < w; k++) data[base + k] = 0;
    const code = s.codes[i]!;
    if (code > 0) data[base + code - 1] = 1;
  }
}

/**
 * Copies state column c's new values in `rows` (all rows when null) into D and updates G by
 * the rank corrections of those rows: only G's rows/columns in c's span change.
 */
export function updateColumn(d: ChainDesign, c: number, s: PredictorSource, rows: Int32Array | null): void {
  const w = d.span[c]!;
  if (w === 0) return;
  const q = d.width;
  const off = d.offset[c]!;
  const data = d.data;
  const m = rows ? rows.length : d.n;
  if (s.kind === 'numeric' && w === 1) {
    updateNumeric(d, off, s.values, rows);
    updateRange(d, off, rows);
    return;
  }
  // delta[a·q + l] accumulates Σ_i (d'_{i,off+a} d'_{il} − d_{i,off+a} d_{il}).
  const delta = new Float64Array(w * q);
  const subtract = (): void => {
    for (let r = 0; r < m; r++) {
      const base = (rows ? rows[r]! : r) * q;
      for (let a = 0; a < w; a++) {
        const v = data[base + off + a]!;
        if (v === 0) continue;
        const row = a * q;
        for (let l = 0; l < q; l++) delta[row + l] = delta[row + l]! - v * data[base + l]!;
      }
    }
  };
  subtract();
  writeRows(d, c, s, rows);
  for (let r = 0; r < m; r++) {
    const base = (rows ? rows[r]! : r) * q;
    for (let a = 0; a < w; a++) {
      const v = data[base + off + a]!;
      if (v === 0) continue;
      const row = a * q;
      for (let l = 0; l < q; l++) delta[row + l] = delta[row + l]! + v * data[base + l]!;
    }
  }
  const g = d.gram;
  for (let a = 0; a < w; a++) {
    for (let l = 0; l < q; l++) {
      const v = delta[a * q + l]!;
      g[(off + a) * q + l] = g[(off + a) * q + l]! + v;
      // Entries inside the span are covered twice by the row loop; mirror only the outside ones.
      if (l < off || l >= off + w) g[l * q + off + a] = g[l * q + off + a]! + v;
    }
  }
  for (let a = 0; a < w; a++) updateRange(d, off + a, rows);
}

/** The rows `rows` of D as a contiguous matrix (in the reusable scratch buffer). */
export function gatherRows(d: ChainDesign, rows: Int32Array): Matrix {
  const q = d.width;
  if (d.scratch.length < rows.length * q) d.scratch = new Float64Array(rows.length * q);
  const out = d.scratch;
  for (let r = 0; r < rows.length; r++) {
    const src = rows[r]! * q;
    out.set(d.data.subarray(src, src + q), r * q);
  }
  return { data: out, rows: rows.length, cols: q };
}

/** Gram over the complement of `rows`: G − D_rowsᵀ D_rows (Q × Q, full). */
export function gramExcept(d: ChainDesign, rows: Int32Array): Float64Array {
  const q = d.width;
  const part = new Float64Array(q * q);
  if (rows.length > 0) crossprodRange(gatherRows(d, rows), undefined, 0, rows.length, part);
  symmetrizeUpper(part, q);
  const out = new Float64Array(q * q);
  for (let k = 0; k < q * q; k++) out[k] = d.gram[k]! - part[k]!;
  return out;
}

/**
 * Mean, SD (n − 1), minimum and maximum over all rows of the design columns `cols`, for the
 * augmentation rows: Σd and Σd² are G's intercept row and diagonal, the ranges are kept. The
 * one-pass variance (Σd² − (Σd)²/n)/(n − 1) loses about log10(1 + mean²/SD²) digits, harmless
 * for pseudo-rows placed at mean ± 0.5 SD unless a predictor's mean exceeds its SD 10⁵-fold.
 */
export function columnMoments(d: ChainDesign, cols: Int32Array): PredictorMoments {
  const q = d.width;
  const n = d.n;
  const k = cols.length;
  const mean = new Float64Array(k);
  const sd = new Float64Array(k);
  const min = new Float64Array(k);
  const max = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    const c = cols[a]!;
    const sum = d.gram[c]!;
    const m = sum / n;
    mean[a] = m;
    sd[a] = n > 1 ? Math.sqrt(Math.max(0, (d.gram[c * q + c]! - sum * m) / (n - 1))) : 0;
    min[a] = d.lo[c]!;
    max[a] = d.hi[c]!;
  }
  return { mean, sd, min, max };
}

/** Design column indices of the model with the given predictor state columns (intercept first). */
export function designColumns(d: ChainDesign, predictors: readonly number[]): Int32Array {
  const cols: number[] = [0];
  for (const p of predictors) for (let a = 0; a < d.span[p]!; a++) cols.push(d.offset[p]! + a);
  return Int32Array.from(cols);
}

/** The sub-matrix a[cols, cols] of a Q × Q row-major matrix. */
export function subMatrix(a: Float64Array, q: number, cols: Int32Array): Float64Array {
  const k = cols.length;
  const out = new Float64Array(k * k);
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) out[r * k + c] = a[cols[r]! * q + cols[c]!]!;
  return out;
}

/** Columns `cols` of D for the rows `rows` (all rows when null), as a new matrix. */
export function designRows(d: ChainDesign, cols: Int32Array, rows: Int32Array | null): Matrix {
  const q = d.width;
  const k = cols.length;
  const m = rows ? rows.length : d.n;
  const out = new Float64Array(m * k);
  for (let r = 0; r < m; r++) {
    const base = (rows ? rows[r]! : r) * q;
    for (let a = 0; a < k; a++) out[r * k + a] = d.data[base + cols[a]!]!;
  }
  return { data: out, rows: m, cols: k };
}

/**
 * The one-column case of `updateColumn` in one pass: with δ_i = new_i − old_i,
 * G_kl += Σ δ_i d_il (l ≠ k) and G_kk += Σ (new_i² − old_i²).
 */
function updateNumeric(d: ChainDesign, k: number, values: Float64Array, rows: Int32Array | null): void {
  const q = d.width;
  const data = d.data;
  const delta = new Float64Array(q);
  let diagonal = 0;
  const m = rows ? rows.length : d.n;
  for (let r = 0; r < m; r++) {
    const i = rows ? rows[r]! : r;
    const base = i * q;
    const old = data[base + k]!;
    const v = values[i]!;
    const change = v - old;
    if (change === 0) continue;
    diagonal += v * v - old * old;
    for (let l = 0; l < q; l++) delta[l] = delta[l]! + change * data[base + l]!;
    data[base + k] = v;
  }
  const g = d.gram;
  for (let l = 0; l < q; l++) {
    if (l === k) continue;
    g[k * q + l] = g[k * q + l]! + delta[l]!;
    g[l * q + k] = g[l * q + k]! + delta[l]!;
  }
  g[k * q + k] = g[k * q + k]! + diagonal;
}
