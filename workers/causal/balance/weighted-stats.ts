/**
 * Weighted mean and variance as MatchIt 4.7.2 computes them for balance statistics
 * (`wm`, `wvar` in R/utils.R):
 *   wm(x; w) = Σ w x / Σ w
 *   wvar(x; w): w ← w / Σw, m = Σ w x;
 *     binary 0/1 variable: m (1 − m) (no n − 1 correction);
 *     otherwise Σ w (x − m)² / (1 − Σ w²), the reliability-weights variance of `cov.wt`.
 * Both run over an index subset so group statistics need no copies.
 */
export function weightedMean(x: Float64Array, w: Float64Array | null, idx: Int32Array): number {
  let sx = 0;
  let sw = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    const wi = w === null ? 1 : w[i]!;
    sx += wi * x[i]!;
    sw += wi;
  }
  return sx / sw;
}

export function weightedVariance(x: Float64Array, w: Float64Array | null, idx: Int32Array, binary: boolean): number {
  let sw = 0;
  for (let k = 0; k < idx.length; k++) sw += w === null ? 1 : w[idx[k]!]!;
  let m = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    m += ((w === null ? 1 : w[i]!) / sw) * x[i]!;
  }
  if (binary) return m * (1 - m);
  let ss = 0;
  let sw2 = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    const wi = (w === null ? 1 : w[i]!) / sw;
    ss += wi * (x[i]! - m) ** 2;
    sw2 += wi * wi;
  }
  return ss / (1 - sw2);
}

/** True when every value is 0 or 1 (MatchIt's `all(x == 0 | x == 1)`). */
export function isBinary(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== 0 && x[i] !== 1) return false;
  return true;
}
