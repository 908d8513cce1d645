/**
 * MatchIt 4.7.2's `transform_covariates(method = "mahalanobis")` (R/dist_functions.R): covariates
 * are turned into Z with ‖z_i − z_j‖² = (x_i − x_j)ᵀ S⁻¹ (x_i − x_j), so Mahalanobis matching is
 * Euclidean matching on Z.
 * 1. Columns with max − min < √eps are dropped (all of them: Euclidean on the first column).
 * 2. `scale(X)`: centre and divide by the SD, over all units.
 * 3. S = `pooled_cov` (R/aux_functions.R) over non-discarded units: centre each column within
 *    each treatment group, then cov × (n − 1)/(n − g) = Σ x̃x̃ᵀ / (n − g).
 * 4. S⁻¹ by `solve` when det(S) > 1e-8, else the SVD generalized inverse (singular values below
 *    1e-8 × the largest dropped; here from a Jacobi eigendecomposition, S being symmetric).
 * 5. `mahalanobize`: R = chol(S⁻¹, pivot = TRUE) (LAPACK dpstrf: upper R, RᵀR = S⁻¹ permuted,
 *    largest remaining diagonal as pivot), Z = X · R[, order(pivot)]ᵀ. The pivoting matters:
 *    MatchIt's search walks the units sorted by Z's first column, and the walk order decides exact
 *    distance ties. For a rank-deficient S⁻¹ the trailing rows of R are set to 0 (MatchIt leaves
 *    dpstrf's ~0 Schur-complement residue there; distances differ at rounding level).
 */
import { CausalInputError } from '../errors';
import { cholesky, choleskyInverse } from '../linalg';
import type { Matrix } from '../types';

/** Eigen-decomposition of a symmetric p×p matrix by cyclic Jacobi rotations. */
function symmetricEigen(a: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += m[i * p + j]! * m[i * p + j]!;
    if (off < 1e-30) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = m[i * p + j]!;
        if (Math.abs(aij) < 1e-300) continue;
        const theta = (m[j * p + j]! - m[i * p + i]!) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < p; k++) {
          const mik = m[i * p + k]!;
          const mjk = m[j * p + k]!;
          m[i * p + k] = c * mik - s * mjk;
          m[j * p + k] = s * mik + c * mjk;
        }
        for (let k = 0; k < p; k++) {
          const mki = m[k * p + i]!;
          const mkj = m[k * p + j]!;
          m[k * p + i] = c * mki - s * mkj;
          m[k * p + j] = s * mki + c * mkj;
        }
        for (let k = 0; k < p; k++) {
          const vki = v[k * p + i]!;
          const vkj = v[k * p + j]!;
          v[k * p + i] = c * vki - s * vkj;
          v[k * p + j] = s * vki + c * vkj;
        }
      }
    }
  }
  const values = new Float64Array(p);
  for (let i = 0; i < p; i++) values[i] = m[i * p + i]!;
  return { values, vectors: v };
}

/** MatchIt's `generalized_inverse`: pseudo-inverse keeping singular values > 1e-8 × the largest. */
function generalizedInverse(s: Float64Array, p: number): Float64Array {
  const { values, vectors } = symmetricEigen(s, p);
  let maxAbs = 0;
  for (let k = 0; k < p; k++) maxAbs = Math.max(maxAbs, Math.abs(values[k]!));
  const out = new Float64Array(p * p);
  for (let k = 0; k < p; k++) {
    const ev = values[k]!;
    if (!(Math.abs(ev) > Math.max(1e-8 * maxAbs, 0))) continue;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) out[i * p + j]! += (vectors[i * p + k]! * vectors[j * p + k]!) / ev;
  }
  return out;
}

/** LAPACK dpstrf-style pivoted Cholesky: upper R (row-major) and pivot, RᵀR = A[piv, piv]. */
export function pivotedCholesky(a: Float64Array, p: number): { r: Float64Array; pivot: Int32Array; rank: number } {
  const w = Float64Array.from(a);
  const piv = Int32Array.from({ length: p }, (_, i) => i);
  let maxDiag = 0;
  for (let i = 0; i < p; i++) maxDiag = Math.max(maxDiag, w[i * p + i]!);
  const tol = p * Number.EPSILON * maxDiag;
  const r = new Float64Array(p * p);
  let rank = p;
  const swapSym = (i: number, j: number): void => {
    for (let k = 0; k < p; k++) {
      const t = w[i * p + k]!;
      w[i * p + k] = w[j * p + k]!;
      w[j * p + k] = t;
    }
    for (let k = 0; k < p; k++) {
      const t = w[k * p + i]!;
      w[k * p + i] = w[k * p + j]!;
      w[k * p + j] = t;
    }
    for (let k = 0; k < p; k++) {
      const t = r[k * p + i]!;
      r[k * p + i] = r[k * p + j]!;
      r[k * p + j] = t;
    }
    const t = piv[i]!;
    piv[i] = piv[j]!;
    piv[j] = t;
  };
  for (let j = 0; j < p; j++) {
    let best = j;
    let bestVal = -Infinity;
    for (let i = j; i < p; i++) {
      let d = w[i * p + i]!;
      for (let k = 0; k < j; k++) d -= r[k * p + i]! * r[k * p + i]!;
      if (d > bestVal) {
        bestVal = d;
        best = i;
      }
    }
    if (!(bestVal > tol)) {
      rank = j;
      break;
    }
    if (best !== j) swapSym(j, best);
    const rjj = Math.sqrt(bestVal);
    r[j * p + j] = rjj;
    for (let i = j + 1; i < p; i++) {
      let s = w[j * p + i]!;
      for (let k = 0; k < j; k++) s -= r[k * p + j]! * r[k * p + i]!;
      r[j * p + i] = s / rjj;
    }
  }
  return { r, pivot: piv, rank };
}

export interface MahalanobisTransform {
  /** Whitened covariates, n × q. */
  readonly z: Matrix;
  /** Kept input columns. */
  readonly keptColumns: Int32Array;
}

export function mahalanobize(x: Matrix, focal: Uint8Array, discarded: Uint8Array, names?: readonly string[]): MahalanobisTransform {
  const { rows: n, cols } = x;
  const data = x.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      const row = Math.floor(i / cols);
      const col = i % cols;
      throw new CausalInputError(`Mahalanobis covariate "${names?.[col] ?? `column ${col + 1}`}" is missing or not finite in row ${row + 1}.`, { row, col });
    }
  }
  const kept: number[] = [];
  for (let j = 0; j < cols; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = data[i * cols + j]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (Math.abs(hi - lo) >= Math.sqrt(Number.EPSILON)) kept.push(j);
  }
  if (kept.length === 0) {
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = data[i * cols]!;
    return { z: { data: z, rows: n, cols: 1 }, keptColumns: Int32Array.of(0) };
  }
  const p = kept.length;
  const xs = new Float64Array(n * p);
  for (let k = 0; k < p; k++) {
    const j = kept[k]!;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += data[i * cols + j]!;
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (data[i * cols + j]! - mean) ** 2;
    const sd = Math.sqrt(ss / (n - 1));
    for (let i = 0; i < n; i++) xs[i * p + k] = (data[i * cols + j]! - mean) / sd;
  }
  // Pooled within-group covariance over the non-discarded units.
  const gSum = new Float64Array(2 * p);
  const gN = new Float64Array(2);
  let nKept = 0;
  for (let i = 0; i < n; i++) {
    if (discarded[i]) continue;
    nKept++;
    const g = focal[i]!;
    gN[g]!++;
    for (let k = 0; k < p; k++) gSum[g * p + k]! += xs[i * p + k]!;
  }
  const groups = (gN[0]! > 0 ? 1 : 0) + (gN[1]! > 0 ? 1 : 0);
  const s = new Float64Array(p * p);
  const centred = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    if (discarded[i]) continue;
    const g = focal[i]!;
    for (let k = 0; k < p; k++) centred[k] = xs[i * p + k]! - gSum[g * p + k]! / gN[g]!;
    for (let a = 0; a < p; a++) for (let b = a; b < p; b++) s[a * p + b]! += centred[a]! * centred[b]!;
  }
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      s[a * p + b] = s[a * p + b]! / (nKept - groups);
      s[b * p + a] = s[a * p + b]!;
    }
  }
  const l = cholesky(s, p);
  let det = 0;
  if (l !== null) {
    det = 1;
    for (let k = 0; k < p; k++) det *= l[k * p + k]! * l[k * p + k]!;
  }
  const inv = l !== null && det > 1e-8 ? choleskyInverse(l, p) : generalizedInverse(s, p);
  const { r, pivot, rank } = pivotedCholesky(inv, p);
  // B = R[, order(pivot)]: column pivot[c] of B is column c of R.
  const b = new Float64Array(p * p);
  for (let row = 0; row < rank; row++) for (let c = 0; c < p; c++) b[row * p + pivot[c]!] = r[row * p + c]!;
  const z = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let row = 0; row < p; row++) {
      let acc = 0;
      for (let k = 0; k < p; k++) acc += xs[i * p + k]! * b[row * p + k]!;
      z[i * p + row] = acc;
    }
  }
  return { z: { data: z, rows: n, cols: p }, keptColumns: Int32Array.from(kept) };
}
