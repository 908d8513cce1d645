/**
 * The design of every imputation model of one Gibbs chain, kept as ONE row-major n × Q matrix D
 * (an intercept, then each state column in order: numeric as is, categorical as treatment
 * dummies, excluded columns width 0) together with its Gram matrix G = DᵀD.
 *
 * Why: the model for column j uses the columns of D other than j's own (and those of derived
 * columns built from j), over the rows where j is observed. Its XᵀX, Xᵀy and yᵀy are all
 * entries of the observed-rows Gram  G_obs(j) = G − D_misᵀ D_mis  (mis = rows where j is
 * missing, a minority), so one cross-product over n_mis rows replaces building an n_obs × q
 * design and its QR (van Buuren 2018 §4.5.2 / mice's `estimice` solve the same normal
 * equations). When column j changes in rows R, only G's row and column j change:
 *   G ← G + Σ_{i∈R} (d'_i d'_iᵀ − d_i d_iᵀ),   O(|R|·Q) instead of O(n·Q²).
 * G is rebuilt from D once per sweep (`refreshGram`) so rounding from the updates cannot drift.
 * D lives in the row kernels' memory (row-kernels.ts), so the cross-products, fitted values and
 * scores of every model read its rows in place through row-index lists.
 * lo/hi hold each design column's running range, so the augmentation rows of the categorical
 * models come from G and the ranges (`columnMoments`) without a pass over D.
 *
 * (Keeping each column's D_misᵀ D_mis updated instead, by the same rank corrections restricted
 * to the rows each column is missing in, costs ≈ (1 + #incomplete columns per row)·Q products
 * per changed row against Q²/2 for the cross-product; but those are scattered updates, and at
 * 100,000 × 36 with 25% missing (≈ 11 incomplete columns per changed row) they measured slower
 * than the SIMD cross-product, in JS and as SIMD alike.)
 */
import type { Matrix } from '../types';
import type { PredictorSource } from './design';
import type { PredictorMoments } from './augment';
import { createRowKernels } from './row-kernels';
import type { RowKernels } from './row-kernels';

export interface ChainDesign {
  readonly n: number;
  /** Q: design width (intercept + all non-excluded state columns). */
  readonly width: number;
  /** n × Q row-major current values (`kernels.data`). */
  readonly data: Float64Array;
  /** Products over rows of D. */
  readonly kernels: RowKernels;
  /** Q × Q full symmetric DᵀD. */
  readonly gram: Float64Array;
  /** First design column of each state column (its span is [offset, offset + span)). */
  readonly offset: Int32Array;
  readonly span: Int32Array;
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
  const kernels = createRowKernels(n, q);
  const data = kernels.data;
  const design: ChainDesign = { n, width: q, data, kernels, gram: new Float64Array(q * q), offset, span, lo: new Float64Array(q).fill(Infinity), hi: new Float64Array(q).fill(-Infinity) };
  // Filled a cache-sized block of rows at a time: column by column within the block, then the
  // ranges row by row, so D is written and read once from memory.
  for (let start = 0; start < n; start += FILL_BLOCK) {
    const end = Math.min(n, start + FILL_BLOCK);
    for (let i = start; i < end; i++) data[i * q] = 1;
    sources.forEach((s, c) => {
      if (s !== null) writeBlock(design, c, s, start, end);
    });
    for (let i = start; i < end; i++) {
      for (let c = 0; c < q; c++) {
        const v = data[i * q + c]!;
        if (v < design.lo[c]!) design.lo[c] = v;
        if (v > design.hi[c]!) design.hi[c] = v;
      }
    }
  }
  refreshGram(design);
  return design;
}

const FILL_BLOCK = 1024;

/** Writes state column c into D for rows start..end−1 (numeric value, or its dummies). */
function writeBlock(d: ChainDesign, c: number, s: PredictorSource, start: number, end: number): void {
  const q = d.width;
  const off = d.offset[c]!;
  const data = d.data;
  if (s.kind === 'numeric') {
    const values = s.values;
    for (let i = start; i < end; i++) data[i * q + off] = values[i]!;
    return;
  }
  const codes = s.codes;
  for (let i = start; i < end; i++) {
    const code = codes[i]!;
    if (code > 0) data[i * q + off + code - 1] = 1;
  }
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

/** G = DᵀD from scratch. */
export function refreshGram(d: ChainDesign): void {
  d.gram.set(d.kernels.gram(null, d.n));
}

/**
 * Copies state column c's new values in `rows` (all rows when null) into D and updates G by
 * the rank corrections of those rows: only G's rows/columns in c's span change. With old
 * values d and new values d' of the span (a, b in it, l outside it), the rows add
 * Σ (d'_a − d_a)·d_l at (a, l) and Σ d'_a d'_b − d_a d_b at (a, b): the first is one
 * `xtv` over the rows with v = d'_a − d_a while D still holds d (which also gives
 * Σ (d'_a − d_a)·d_b inside the span), the rest Σ d'_a·(d'_b − d_b).
 */
export function updateColumn(d: ChainDesign, c: number, s: PredictorSource, rows: Int32Array | null): void {
  const w = d.span[c]!;
  if (w === 0) return;
  if (s.kind === 'numeric' && w === 1) {
    updateNumeric(d, d.offset[c]!, s.values, rows);
    return;
  }
  const q = d.width;
  const off = d.offset[c]!;
  const data = d.data;
  const m = rows ? rows.length : d.n;
  // next[a·m + r], change[a·m + r]: new value and change of span column a in the r-th row.
  const next = new Float64Array(w * m);
  const change = new Float64Array(w * m);
  const values = new Float64Array(w);
  for (let r = 0; r < m; r++) {
    const i = rows ? rows[r]! : r;
    newValues(s, i, values);
    for (let a = 0; a < w; a++) {
      next[a * m + r] = values[a]!;
      change[a * m + r] = values[a]! - data[i * q + off + a]!;
    }
  }
  const delta = new Float64Array(w * q);
  for (let a = 0; a < w; a++) {
    delta.set(d.kernels.xtv(rows, m, change.subarray(a * m, (a + 1) * m)), a * q);
    for (let b = 0; b < w; b++) {
      let inside = 0;
      for (let r = 0; r < m; r++) inside += next[a * m + r]! * change[b * m + r]!;
      delta[a * q + off + b] = delta[a * q + off + b]! + inside;
    }
  }
  for (let r = 0; r < m; r++) {
    const base = (rows ? rows[r]! : r) * q + off;
    for (let a = 0; a < w; a++) data[base + a] = next[a * m + r]!;
  }
  addToSpan(d, off, w, delta);
  for (let a = 0; a < w; a++) updateRange(d, off + a, rows);
}

/**
 * The one-column case in one pass over the rows (`replaceColumn`): with c_i = new_i − old_i,
 * G_kl += Σ c_i d_il (l ≠ k, old rows) and G_kk += Σ c_i·old_i + Σ c_i·new_i = Σ new² − old².
 */
function updateNumeric(d: ChainDesign, k: number, values: Float64Array, rows: Int32Array | null): void {
  const m = rows ? rows.length : d.n;
  let next = values;
  if (rows) {
    next = new Float64Array(m);
    for (let r = 0; r < m; r++) next[r] = values[rows[r]!]!;
  }
  const delta = d.kernels.replaceColumn(rows, m, k, next);
  delta[k] = delta[k]! + delta[d.width]!;
  addToSpan(d, k, 1, delta);
  let lo = rows ? d.lo[k]! : Infinity;
  let hi = rows ? d.hi[k]! : -Infinity;
  for (let r = 0; r < m; r++) {
    const v = next[r]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  d.lo[k] = lo;
  d.hi[k] = hi;
}

/** G's rows off..off+w−1 += delta (w × Q), mirrored onto the columns outside the span. */
function addToSpan(d: ChainDesign, off: number, w: number, delta: Float64Array): void {
  const q = d.width;
  const g = d.gram;
  for (let a = 0; a < w; a++) {
    for (let l = 0; l < q; l++) {
      const v = delta[a * q + l]!;
      g[(off + a) * q + l] = g[(off + a) * q + l]! + v;
      // Entries inside the span are covered by the loop over a already; mirror only the outside ones.
      if (l < off || l >= off + w) g[l * q + off + a] = g[l * q + off + a]! + v;
    }
  }
}

/** The design values of row i for a state column (numeric value, or its dummies). */
function newValues(s: PredictorSource, i: number, out: Float64Array): void {
  if (s.kind === 'numeric') {
    out[0] = s.values[i]!;
    return;
  }
  out.fill(0);
  const code = s.codes[i]!;
  if (code > 0) out[code - 1] = 1;
}

/** Gram over the complement of `rows`: G − D_rowsᵀ D_rows (Q × Q, full). */
export function gramExcept(d: ChainDesign, rows: Int32Array): Float64Array {
  const part = d.kernels.gram(rows, rows.length);
  const out = new Float64Array(part.length);
  for (let k = 0; k < part.length; k++) out[k] = d.gram[k]! - part[k]!;
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
