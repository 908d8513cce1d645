/**
 * Cholesky factorisation A = L Lᵀ of a symmetric positive-definite matrix (row-major n×n, only
 * the lower triangle of A is read), triangular solves, and the SPD inverse
 * A⁻¹ = L⁻ᵀ L⁻¹ (R's `chol2inv(chol(A))`). Golub & Van Loan, Algorithm 4.2.1.
 */
import { CausalInputError } from '../errors';

/** Lower-triangular L with A = L Lᵀ, or null when A is not (numerically) positive definite. */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    const rowJ = j * n;
    for (let k = 0; k < j; k++) d -= l[rowJ + k]! * l[rowJ + k]!;
    if (!(d > 0) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    l[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = a[rowI + j]!;
      for (let k = 0; k < j; k++) s -= l[rowI + k]! * l[rowJ + k]!;
      l[rowI + j] = s / ljj;
    }
  }
  return l;
}

/** Solves L Lᵀ x = b given the Cholesky factor L. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/** A⁻¹ from the Cholesky factor: (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹, symmetric, full row-major n×n. */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  const linv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    linv[i * n + i] = 1 / l[i * n + i]!;
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * n + k]! * linv[k * n + j]!;
      linv[i * n + j] = s / l[i * n + i]!;
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += linv[k * n + i]! * linv[k * n + j]!;
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  return inv;
}

/** Inverse of a symmetric positive-definite matrix; throws when it is not positive definite. */
export function invertSpd(a: Float64Array, n: number): Float64Array {
  const l = cholesky(a, n);
  if (l === null) {
    throw new CausalInputError(
      'The matrix is not positive definite (some covariates are collinear or constant); remove redundant covariates.',
      { size: n },
    );
  }
  return choleskyInverse(l, n);
}
