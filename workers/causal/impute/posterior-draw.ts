/**
 * Approximate-posterior draw of GLM coefficients, β* = β̂ + chol(Σ)ᵀ z with z ~ N(0, I)
 * (Rubin 1987 pp. 169–170; mice `mice.impute.logreg`: `beta + t(chol(sym(cov.unscaled))) %*% rnorm`).
 * R's `chol` returns the upper factor U with Σ = UᵀU, so Uᵀ is our lower factor L (Σ = LLᵀ).
 */
import type { Rng } from '../random/rng';
import { cholesky } from '../linalg';
import { symmetrise } from './norm-draw';

export function drawCoefficients(coef: Float64Array, cov: Float64Array, rng: Rng): Float64Array {
  const d = coef.length;
  const sym = symmetrise(cov, d);
  let lower = cholesky(sym, d);
  if (!lower) {
    // A covariance that rounding made slightly indefinite: the same relative ridge as mice's κ.
    for (let r = 0; r < d; r++) sym[r * d + r] = sym[r * d + r]! * (1 + 1e-5) + 1e-12;
    lower = cholesky(sym, d);
    if (!lower) throw new RangeError('the coefficient covariance of the imputation model is not positive definite');
  }
  const z = new Float64Array(d);
  for (let r = 0; r < d; r++) z[r] = rng.normal();
  const out = Float64Array.from(coef);
  for (let r = 0; r < d; r++) {
    let s = 0;
    for (let c = 0; c <= r; c++) s += lower[r * d + c]! * z[c]!;
    out[r] = out[r]! + s;
  }
  return out;
}
