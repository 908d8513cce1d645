/**
 * Bayesian linear-regression parameter draw (Rubin 1987, p. 167; mice `.norm.draw` and
 * `estimice` in R/mice.impute.norm.R), the first half of `norm` and of `pmm`.
 *
 *   β̂ = least squares,  r = y − Xβ̂,  V = (XᵀX)⁻¹,  df = max(n_obs − q, 1)
 *   σ̇ = sqrt(rᵀr / g),  g ~ χ²_df                (one chi-square draw)
 *   β̇ = β̂ + chol(V)ᵀ z · σ̇,  z ~ N(0, I_q)
 *
 * If XᵀX is numerically singular, mice falls back to the ridge V = (XᵀX + diag(XᵀX)·κ)⁻¹ with
 * κ = 1e-5; so do we. Exactly aliased columns (pivoted QR, as `lm.fit` reports them with NA
 * coefficients) get β̂ = β̇ = 0, which is what mice's `rank.adjust` does; V then covers only
 * the kept columns. The draw order is χ² first, then the q normals, as in mice.
 *
 * β̂ comes from the normal equations (equilibrated Cholesky of XᵀX) when XᵀX is well
 * conditioned, which lets MICE get XᵀX and Xᵀy from one maintained Gram matrix
 * (chain-design.ts) instead of a QR over n_obs rows; rank-deficient or ill-conditioned designs
 * (a Cholesky pivot 1 − R² < 1e-6) take the pivoted QR of `lm.fit`, as before.
 */
import type { Matrix } from '../types';
import type { Rng } from '../random/rng';
import { aliasedCholeskySolve, cholesky, choleskyAliased, choleskyInverse, crossprod, crossprodVec, matVec, weightedLeastSquares } from '../linalg';

export interface NormDrawOptions {
  /** Ridge κ for a singular XᵀX (mice's `ridge`, default 1e-5). */
  readonly ridge?: number;
}

export interface NormDraw {
  /** Least-squares β̂ (q), 0 for aliased columns. */
  readonly coef: Float64Array;
  /** Drawn β̇ (q), 0 for aliased columns. */
  readonly beta: Float64Array;
  /** Drawn σ̇. */
  readonly sigma: number;
  /** V = (X_kᵀX_k)⁻¹ over the kept (non-aliased) columns, k × k row-major. */
  readonly v: Float64Array;
  /** Indices of the kept columns (length k). */
  readonly kept: Int32Array;
  /** Residual degrees of freedom max(n − q, 1) (q counts all columns, as in estimice). */
  readonly df: number;
  /** True when V had to be computed with the ridge penalty. */
  readonly ridgeUsed: boolean;
}

/**
 * Smallest accepted pivot of the equilibrated Cholesky of XᵀX (1 − R² of a column on the
 * columns before it). Above it the normal equations lose at most ~eps/pivot ≈ 2e-10 relative
 * accuracy; below it (near-collinear predictors) the QR path is used, as `lm.fit` would.
 */
const MIN_PIVOT = 1e-6;

type NormEstimate = Omit<NormDraw, 'beta' | 'sigma'>;

/**
 * β̂ and V from the normal equations XᵀX β = Xᵀy (q × q, row-major), or null when XᵀX is
 * rank-deficient or ill-conditioned (then the caller falls back to the pivoted QR).
 */
export function normEstimateGram(xtx: Float64Array, xty: Float64Array, q: number, nObs: number): NormEstimate | null {
  const eq = choleskyAliased(xtx, q);
  if (eq.rank < q) return null;
  for (let j = 0; j < q; j++) if (eq.l[j * q + j]! ** 2 < MIN_PIVOT) return null;
  const lower = cholesky(xtx, q);
  if (!lower) return null;
  const coef = aliasedCholeskySolve(eq, xty);
  const kept = Int32Array.from({ length: q }, (_, j) => j);
  return { coef, v: choleskyInverse(lower, q), kept, df: Math.max(nObs - q, 1), ridgeUsed: false };
}

/**
 * β̂ and V by the pivoted QR (lm.fit), with mice's ridge when the kept XᵀX is singular: the
 * path for designs with aliased or near-collinear columns.
 */
export function normEstimateQr(x: Matrix, y: Float64Array, ridge: number): NormEstimate & { readonly rss: number } {
  const q = x.cols;
  const fit = weightedLeastSquares(x, y);
  const keptList: number[] = [];
  for (let j = 0; j < q; j++) if (!fit.aliased[j]) keptList.push(j);
  const kept = Int32Array.from(keptList);
  const k = kept.length;
  const coef = new Float64Array(q);
  for (const j of kept) coef[j] = fit.coef[j]!;
  let rss = 0;
  for (let i = 0; i < fit.residuals.length; i++) rss += fit.residuals[i]! * fit.residuals[i]!;

  const full = crossprod(x);
  const xtx = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) xtx[a * k + b] = full[kept[a]! * q + kept[b]!]!;
  let ridgeUsed = false;
  let lower = cholesky(xtx, k);
  if (!lower) {
    ridgeUsed = true;
    const penalised = Float64Array.from(xtx);
    for (let a = 0; a < k; a++) penalised[a * k + a] = xtx[a * k + a]! * (1 + ridge);
    lower = cholesky(penalised, k);
    if (!lower) throw new RangeError('the imputation model design is singular even with the ridge penalty');
  }
  const v = choleskyInverse(lower, k);
  return { coef, v, kept, df: Math.max(x.rows - q, 1), ridgeUsed, rss };
}

/** Least-squares fit and V, without the random draw: the deterministic part of `.norm.draw`. */
export function normEstimate(
  x: Matrix,
  y: Float64Array,
  options: NormDrawOptions = {},
): Omit<NormDraw, 'beta' | 'sigma'> & { readonly rss: number } {
  const q = x.cols;
  const est = normEstimateGram(crossprod(x), crossprodVec(x, y), q, x.rows);
  if (!est) return normEstimateQr(x, y, options.ridge ?? 1e-5);
  // The residual sum of squares from the residuals themselves: yᵀy − β̂ᵀXᵀy cancels badly
  // when the fit is close.
  const fitted = matVec(x, est.coef);
  let rss = 0;
  for (let i = 0; i < y.length; i++) rss += (y[i]! - fitted[i]!) ** 2;
  return { ...est, rss };
}

/** The random half of `.norm.draw`: σ̇ = sqrt(rss/g), g ~ χ²_df, then β̇ = β̂ + chol(V)ᵀ z σ̇. */
export function normDrawFrom(est: NormEstimate, rss: number, rng: Rng): NormDraw {
  const k = est.kept.length;
  const sigma = Math.sqrt(rss / rng.chiSquare(est.df));
  const z = new Float64Array(k);
  for (let a = 0; a < k; a++) z[a] = rng.normal();
  // chol(V)ᵀ in R is the lower factor L with V = LLᵀ, which is what `cholesky` returns.
  const lower = cholesky(symmetrise(est.v, k), k);
  if (!lower) throw new RangeError('the posterior covariance of the imputation model is not positive definite');
  const beta = Float64Array.from(est.coef);
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let b = 0; b <= a; b++) s += lower[a * k + b]! * z[b]!;
    const j = est.kept[a]!;
    beta[j] = est.coef[j]! + s * sigma;
  }
  return { coef: est.coef, beta, sigma, v: est.v, kept: est.kept, df: est.df, ridgeUsed: est.ridgeUsed };
}

/** `.norm.draw`: β̂, V and one posterior draw (σ̇, β̇). */
export function normDraw(x: Matrix, y: Float64Array, rng: Rng, options: NormDrawOptions = {}): NormDraw {
  const est = normEstimate(x, y, options);
  return normDrawFrom(est, est.rss, rng);
}

/** (A + Aᵀ)/2, mice's `sym()`: removes rounding asymmetry before the Cholesky factorisation. */
export function symmetrise(a: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = 0.5 * (a[i * n + j]! + a[j * n + i]!);
  return out;
}
