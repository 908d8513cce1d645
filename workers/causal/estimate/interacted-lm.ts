/**
 * Weighted least squares for the g-computation design X = [1, t, Z, t·Z] (R's
 * `lm(y ~ treat * (z_1 + … + z_p), weights = w)`, columns in that order) by the normal equations,
 * for n ≫ p. With a_i = [1, z_i] and the per-group cross-products
 *
 *   A = Σ_i w_i a_i a_iᵀ,   A₁ = Σ_{T=1} w_i a_i a_iᵀ,   XᵀWX = [[A, A₁], [A₁, A₁]]
 *
 * (in the [a, t·a] column blocks, permuted to R's order), only p+1 columns are accumulated per
 * row instead of 2p+2, and X is never materialised. XᵀWX is factorised by the equilibrated
 * Cholesky of linalg/cholesky-aliased; one step of iterative refinement (δ = (XᵀWX)⁻¹XᵀW(y − Xβ̂))
 * brings β̂ to the accuracy of a QR solve. The bread B = (XᵀWX)⁻¹ comes from the same factor.
 *
 * Only well-conditioned full-rank designs are taken: when any equilibrated Cholesky pivot is
 * below MIN_PIVOT (a column whose W-norm after projecting out the earlier columns is under 10⁻³
 * of its own, so aliasing or ill-conditioning) the function returns null and the caller uses
 * the pivoted QR of ./weighted-lm, which reproduces R's aliasing decisions exactly.
 * Rows with zero weight are skipped (R's lm drops them from the fit and the residual df).
 */
import type { Matrix } from '../types';
import { CausalInputError } from '../errors';
import { aliasedCholeskyInverse, aliasedCholeskySolve, choleskyAliased, crossprodRange, symmetrizeUpper } from '../linalg';

export interface InteractedLmFit {
  /** Data rows with positive weight (the fitted rows). */
  readonly rows: Int32Array;
  /** Coefficients in R's column order [(Intercept), t, z_1…z_p, t:z_1…t:z_p] (q = 2p + 2). */
  readonly coef: Float64Array;
  /** (XᵀWX)⁻¹, q × q row-major. */
  readonly bread: Float64Array;
  /** Residuals y − Xβ̂ of `rows`. */
  readonly residuals: Float64Array;
  readonly n: number;
  readonly q: number;
  /** First covariate column of the caller's matrix (the row stride is its column count). */
  readonly first: number;
}

const MIN_PIVOT = 1e-6;
const BLOCK = 1024;

/** Column of XᵀWX (R order) for the main effect (block 0) or the t-interaction (block 1) of a_j. */
function position(j: number, block: 0 | 1, p: number): number {
  if (j === 0) return block;
  return block === 0 ? 1 + j : 1 + p + j;
}

/** Σ over a group of w a aᵀ (upper triangle) and Σ w y a, through linalg's tiled crossprod. */
class GroupAccumulator {
  readonly cross: Float64Array;
  readonly xty: Float64Array;
  private readonly block: Float64Array;
  private readonly bw: Float64Array;
  private count = 0;

  constructor(private readonly m: number) {
    this.cross = new Float64Array(m * m);
    this.xty = new Float64Array(m);
    this.block = new Float64Array(BLOCK * m);
    this.bw = new Float64Array(BLOCK);
  }

  add(z: Float64Array, offset: number, wi: number, yi: number): void {
    const m = this.m;
    const o = this.count * m;
    const b = this.block;
    b[o] = 1;
    this.xty[0] = this.xty[0]! + wi * yi;
    for (let j = 1; j < m; j++) {
      const v = z[offset + j - 1]!;
      b[o + j] = v;
      this.xty[j] = this.xty[j]! + wi * yi * v;
    }
    this.bw[this.count] = wi;
    if (++this.count === BLOCK) this.flush();
  }

  flush(): void {
    if (this.count === 0) return;
    crossprodRange({ data: this.block, rows: BLOCK, cols: this.m }, this.bw, 0, this.count, this.cross);
    this.count = 0;
  }
}

/** XᵀW v for v given per fitted row (grouped sums, no design). */
function xtwv(rows: Int32Array, treat: Uint8Array, z: Matrix, first: number, w: Float64Array | undefined, v: Float64Array, q: number): Float64Array {
  const p = (q - 2) / 2;
  const out = new Float64Array(q);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    const wv = (w ? w[i]! : 1) * v[r]!;
    const t = treat[i] === 1;
    out[0] = out[0]! + wv;
    if (t) out[1] = out[1]! + wv;
    const o = i * z.cols + first;
    for (let j = 0; j < p; j++) {
      const x = wv * z.data[o + j]!;
      out[2 + j] = out[2 + j]! + x;
      if (t) out[2 + p + j] = out[2 + p + j]! + x;
    }
  }
  return out;
}

/** y − Xβ for the fitted rows. */
function residualsOf(rows: Int32Array, y: Float64Array, treat: Uint8Array, z: Matrix, first: number, beta: Float64Array, out: Float64Array): void {
  const p = (beta.length - 2) / 2;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    const t = treat[i] === 1;
    let fit = beta[0]! + (t ? beta[1]! : 0);
    const o = i * z.cols + first;
    if (t) for (let j = 0; j < p; j++) fit += z.data[o + j]! * (beta[2 + j]! + beta[2 + p + j]!);
    else for (let j = 0; j < p; j++) fit += z.data[o + j]! * beta[2 + j]!;
    out[r] = y[i]! - fit;
  }
}

/**
 * Fits the interacted model on the rows of `rows` (positive weights, finite y, checked by the
 * caller) with covariates z = columns `first`… of `z`; returns null when the design is
 * rank-deficient or ill-conditioned (see above).
 */
export function fitInteractedLm(y: Float64Array, treat: Uint8Array, z: Matrix, first: number, w: Float64Array | undefined, rows: Int32Array, columnNames: readonly string[]): InteractedLmFit | null {
  const p = z.cols - first;
  const m = p + 1;
  const q = 2 * m;
  const n = rows.length;
  if (n <= q) return null;
  const all = new GroupAccumulator(m);
  const treated = new GroupAccumulator(m);
  for (let r = 0; r < n; r++) {
    const i = rows[r]!;
    const o = i * z.cols + first;
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(z.data[o + j]!)) {
        const name = columnNames[2 + j] ?? `column ${j + 3}`;
        throw new CausalInputError(`Covariate ${name} is missing or not finite in row ${i + 1}; impute or drop it before estimating.`, { row: i, column: name });
      }
    }
    const wi = w ? w[i]! : 1;
    all.add(z.data, o, wi, y[i]!);
    if (treat[i] === 1) treated.add(z.data, o, wi, y[i]!);
  }
  all.flush();
  treated.flush();
  symmetrizeUpper(all.cross, m);
  symmetrizeUpper(treated.cross, m);
  // all.cross so far holds A₁ + A₀ = A (every row went into `all`).
  const xtwx = new Float64Array(q * q);
  const xtwy = new Float64Array(q);
  for (let j = 0; j < m; j++) {
    xtwy[position(j, 0, p)] = all.xty[j]!;
    xtwy[position(j, 1, p)] = treated.xty[j]!;
    for (let k = 0; k < m; k++) {
      const a = all.cross[j * m + k]!;
      const a1 = treated.cross[j * m + k]!;
      xtwx[position(j, 0, p) * q + position(k, 0, p)] = a;
      xtwx[position(j, 0, p) * q + position(k, 1, p)] = a1;
      xtwx[position(j, 1, p) * q + position(k, 0, p)] = a1;
      xtwx[position(j, 1, p) * q + position(k, 1, p)] = a1;
    }
  }
  const f = choleskyAliased(xtwx, q);
  if (f.rank < q) return null;
  for (let j = 0; j < q; j++) {
    const d = f.l[j * q + j]!;
    if (!(d * d >= MIN_PIVOT)) return null;
  }
  const coef = aliasedCholeskySolve(f, xtwy);
  const residuals = new Float64Array(n);
  residualsOf(rows, y, treat, z, first, coef, residuals);
  const delta = aliasedCholeskySolve(f, xtwv(rows, treat, z, first, w, residuals, q));
  for (let j = 0; j < q; j++) coef[j] = coef[j]! + delta[j]!;
  residualsOf(rows, y, treat, z, first, coef, residuals);
  return { rows, coef, bread: aliasedCholeskyInverse(f), residuals, n, q, first };
}
