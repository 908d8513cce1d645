/**
 * Cholesky factorisation of a symmetric positive semi-definite matrix (e.g. XᵀWX) that detects
 * aliased columns left to right, the way R's `dqrdc2` pivoting does for the QR of X: column j
 * is aliased when its squared norm after projecting out the earlier non-aliased columns falls
 * below `tol` × its own squared norm. The matrix is equilibrated first (unit diagonal), which
 * makes the factorisation insensitive to column scale (a covariate in dollars next to a dummy).
 *
 * Tolerance: the residual squared norm from A's entries is exact only to ~1e-15 relative, so
 * the default `tol` is 1e-10 (norm ratio 1e-5), looser than the QR's 1e-11 norm ratio. Exact
 * collinearity (duplicated dummies, a constant column besides the intercept) is always caught.
 * Aliased coefficients solve as 0 (what glm.fit uses inside the iterations) and get NaN in the
 * inverse.
 */

export interface AliasedCholesky {
  readonly n: number;
  /** Lower-triangular factor of S A S, S = diag(1/√A_jj); rows/columns of aliased j are 0. */
  readonly l: Float64Array;
  readonly scale: Float64Array;
  readonly aliased: Uint8Array;
  readonly rank: number;
}

export function choleskyAliased(a: Float64Array, n: number, tol = 1e-10): AliasedCholesky {
  const scale = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const d = a[j * n + j]!;
    scale[j] = d > 0 && Number.isFinite(d) ? 1 / Math.sqrt(d) : 0;
  }
  const l = new Float64Array(n * n);
  const aliased = new Uint8Array(n);
  let rank = 0;
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = scale[j] === 0 ? 0 : 1;
    for (let k = 0; k < j; k++) d -= l[rowJ + k]! * l[rowJ + k]!;
    if (scale[j] === 0 || !(d > tol)) {
      aliased[j] = 1;
      for (let k = 0; k < j; k++) l[rowJ + k] = 0;
      continue;
    }
    rank++;
    const ljj = Math.sqrt(d);
    l[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = a[rowI + j]! * scale[i]! * scale[j]!;
      for (let k = 0; k < j; k++) s -= l[rowI + k]! * l[rowJ + k]!;
      l[rowI + j] = s / ljj;
    }
  }
  return { n, l, scale, aliased, rank };
}

/** Solves A x = b on the non-aliased columns; aliased entries of x are 0. */
export function aliasedCholeskySolve(f: AliasedCholesky, b: Float64Array): Float64Array {
  const { n, l, scale, aliased } = f;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (aliased[i] === 1) continue;
    let s = b[i]! * scale[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    if (aliased[i] === 1) continue;
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  for (let i = 0; i < n; i++) x[i] = x[i]! * scale[i]!;
  return x;
}

/** A⁻¹ restricted to the non-aliased columns (generalised inverse); NaN rows/columns for aliased. */
export function aliasedCholeskyInverse(f: AliasedCholesky): Float64Array {
  const { n, aliased } = f;
  const inv = new Float64Array(n * n).fill(Number.NaN);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    if (aliased[j] === 1) continue;
    e.fill(0);
    // Column j of A⁻¹ = solve(A, e_j).
    e[j] = 1;
    const col = aliasedCholeskySolve(f, e);
    for (let i = 0; i < n; i++) if (aliased[i] === 0) inv[i * n + j] = col[i]!;
  }
  return inv;
}
