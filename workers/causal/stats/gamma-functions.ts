/**
 * Log-gamma and the Stirling-error helpers that the distribution functions build on.
 *
 * - `logGamma(x)`, x > 0: Stirling series with 8 Bernoulli terms for x ≥ 10 (error below
 *   1e-17 there), and the recurrence Γ(x) = Γ(x + k) / (x (x+1) … (x+k−1)) below 10.
 * - `lgammaCorrection(x)` = lgamma(x) − [(x − ½) log x − x + ½ log 2π] for x ≥ 10, which is what
 *   R's `lgammacor` returns; used by `logBeta` to avoid cancellation for large arguments.
 * - `stirlingError(n)` = lgamma(n + 1) − (n + ½) log n + n − ½ log 2π (Loader 2000, R `stirlerr`).
 * - `devianceTerm(x, np)` = x log(x / np) + np − x computed without cancellation (Loader's `bd0`).
 */

export const LN_SQRT_2PI = 0.918938533204672741780329736406;
export const LN_2PI = 1.837877066409345483560659472811;

/** Stirling-series coefficients B_2k / (2k (2k − 1)), k = 1..8. */
const STIRLING = [
  1 / 12,
  -1 / 360,
  1 / 1260,
  -1 / 1680,
  1 / 1188,
  -691 / 360360,
  1 / 156,
  -3617 / 122400,
];

export function lgammaCorrection(x: number): number {
  const inv2 = 1 / (x * x);
  let sum = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) sum = sum * inv2 + STIRLING[k]!;
  return sum / x;
}

export function logGamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x === Infinity) return Infinity;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + lgammaCorrection(x);
  // Shift up to 10 and divide by the product; the product stays well inside double range.
  let product = 1;
  let z = x;
  while (z < 10) {
    product *= z;
    z += 1;
  }
  return (z - 0.5) * Math.log(z) - z + LN_SQRT_2PI + lgammaCorrection(z) - Math.log(product);
}

/**
 * log B(a, b) = lgamma(a) + lgamma(b) − lgamma(a + b), arranged as in R's `lbeta` so that large
 * arguments do not cancel catastrophically.
 */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (p >= 10) {
    const corr = lgammaCorrection(p) + lgammaCorrection(q) - lgammaCorrection(p + q);
    return -0.5 * Math.log(q) + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= 10) {
    const corr = lgammaCorrection(q) - lgammaCorrection(p + q);
    return logGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return logGamma(p) + logGamma(q) - logGamma(p + q);
}

export function stirlingError(n: number): number {
  // For n ≥ 10 this equals lgammacor(n) (lgamma(n + 1) = lgamma(n) + log n).
  if (n >= 10) return lgammaCorrection(n);
  return logGamma(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI;
}

export function devianceTerm(x: number, np: number): number {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    let v = (x - np) / (x + np);
    let s = (x - np) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log(x / np) + np - x;
}

/** Poisson density at a real x > 0 with mean lambda > 0: x^x… form of R's `dpois_raw`. */
export function poissonDensityRaw(x: number, lambda: number): number {
  if (lambda === 0) return x === 0 ? 1 : 0;
  if (x === 0) return Math.exp(-lambda);
  return Math.exp(-stirlingError(x) - devianceTerm(x, lambda)) / Math.sqrt(2 * Math.PI * x);
}
