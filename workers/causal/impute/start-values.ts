/**
 * Starting values for the first (cold) logistic / multinomial fit of a MICE chain, from the
 * linear probability model, which the chain's Gram matrix gives for free (chain-design.ts):
 *
 *   b_k = (XᵀX)⁻¹ Xᵀ1{y = k}                 (least squares of each class indicator on X)
 *   slope of class c vs the baseline 0:  β_c = b_c / p̄_c − b_0 / p̄_0
 *   intercept:                         α_c = log(p̄_c / p̄_0) − β_cᵀ x̄
 *
 * The slopes are the derivative of log(π_c/π_0) = log π_c − log π_0 at the class shares, with
 * ∂π_k/∂x ≈ b_k (the linear-probability slope); for two classes β = b_1 / (p̄(1 − p̄)), the
 * classic rescaling of the linear probability model (Amemiya 1981, J. Econ. Lit. 19:1483).
 * With it comes the matching approximation of the information, H ≈ (diag(p̄) − p̄p̄ᵀ) ⊗ XᵀX
 * (classes 1..K−1; the information with every π_i at the class shares), a chord matrix for the
 * first Newton steps that costs no pass over the data (multinomial.ts `startFactor`; the fit
 * evaluates the exact H before it is used as the covariance).
 * Both only speed up Newton's method: the fit still iterates to the same maximum (a unique
 * optimum, the augmentation rows keep it finite), typically in two or three steps instead of
 * five or six from β = 0.
 */
import { cholesky, choleskySolve } from '../linalg';

/**
 * Start (class-major, (K − 1)·k) for k model columns with the intercept first. `xtx` is XᵀX over
 * the fitted rows (k × k), `xtClass[c]` is Xᵀ1{y = c} (length k; its first entry, the intercept,
 * is the count of class c), `n` the number of rows. Undefined when XᵀX is not positive definite
 * or a class is empty.
 */
export function linearProbabilityStart(xtx: Float64Array, xtClass: readonly Float64Array[], k: number, n: number): Float64Array | undefined {
  return linearProbabilityModel(xtx, xtClass, k, n)?.start;
}

/** The start and the lower Cholesky factor of the approximate information (d × d, d = (K − 1)·k). */
export function linearProbabilityModel(xtx: Float64Array, xtClass: readonly Float64Array[], k: number, n: number): { start: Float64Array; informationFactor: Float64Array | undefined } | undefined {
  const K = xtClass.length;
  const lower = cholesky(xtx, k);
  if (!lower || K < 2 || n <= 0) return undefined;
  const share = xtClass.map((v) => v[0]! / n);
  if (share.some((p) => !(p > 0))) return undefined;
  const slopes = xtClass.map((v) => choleskySolve(lower, k, v));
  const start = new Float64Array((K - 1) * k);
  for (let c = 1; c < K; c++) {
    const off = (c - 1) * k;
    let intercept = Math.log(share[c]! / share[0]!);
    for (let a = 1; a < k; a++) {
      const beta = slopes[c]![a]! / share[c]! - slopes[0]![a]! / share[0]!;
      start[off + a] = beta;
      intercept -= beta * (xtx[a]! / n);
    }
    start[off] = intercept;
  }
  if (!start.every(Number.isFinite)) return undefined;
  const d = (K - 1) * k;
  const info = new Float64Array(d * d);
  for (let c = 1; c < K; c++) {
    for (let e = 1; e < K; e++) {
      const m = share[c]! * ((c === e ? 1 : 0) - share[e]!);
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) info[((c - 1) * k + a) * d + (e - 1) * k + b] = m * xtx[a * k + b]!;
    }
  }
  return { start, informationFactor: cholesky(info, d) ?? undefined };
}
