/**
 * Empirical-CDF balance statistics, MatchIt 4.7.2 `qqsum(x, t, w, standardize = TRUE)`
 * (R/match.qoi.R), for non-binary x (binary 0/1 variables get |wm(x₁) − wm(x₀)| in ./summary):
 * weights are normalised to sum to 1 within each group, units sorted by x, the running sum of
 * the signed weights (+w/W₁ treated, −w/W₀ control; MatchIt signs by the group of the first unit,
 * which the absolute value removes) is taken at the last unit of each distinct x value, and
 *   eCDF Mean = mean |·| over the distinct values,  eCDF Max = max |·| (weighted KS statistic).
 * Units with zero weight still supply evaluation points, as in MatchIt.
 * The order by x is shared by every weighting (before and after matching), so one sort serves
 * both, and the increments depend only on the weights, so they are made once for all columns.
 */

export interface EcdfStats {
  readonly mean: number;
  readonly max: number;
}

/** Signed normalised increment per unit: w_i/W₁ for treated units, −w_i/W₀ for controls. */
export function ecdfIncrements(treat: Uint8Array, w: Float64Array | null): Float64Array {
  const n = treat.length;
  let w1 = 0;
  let w0 = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === null ? 1 : w[i]!;
    if (treat[i] === 1) w1 += wi;
    else w0 += wi;
  }
  const inc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const wi = w === null ? 1 : w[i]!;
    inc[i] = treat[i] === 1 ? wi / w1 : -wi / w0;
  }
  return inc;
}

/**
 * eCDF mean and max for one or two weightings (`incB` may be null), given the values in
 * ascending order (`sorted`) and the unit of each (`order`); ties may come in any order, as only
 * the sums at the ends of tie runs are used.
 */
export function ecdfStats(sorted: Float64Array, order: Int32Array, incA: Float64Array, incB: Float64Array | null): { a: EcdfStats; b: EcdfStats | null } {
  const n = order.length;
  if (n === 0) return { a: { mean: Number.NaN, max: Number.NaN }, b: incB ? { mean: Number.NaN, max: Number.NaN } : null };
  let cumA = 0;
  let cumB = 0;
  let sumA = 0;
  let sumB = 0;
  let maxA = 0;
  let maxB = 0;
  let count = 0;
  let prev = sorted[0]!;
  for (let p = 0; p < n; p++) {
    const k = order[p]!;
    const v = sorted[p]!;
    if (v !== prev) {
      // End of the run of `prev`: the cumulative sums now include every unit with x ≤ prev.
      const a = Math.abs(cumA);
      sumA += a;
      if (a > maxA) maxA = a;
      const b = Math.abs(cumB);
      sumB += b;
      if (b > maxB) maxB = b;
      count++;
      prev = v;
    }
    cumA += incA[k]!;
    if (incB !== null) cumB += incB[k]!;
  }
  const a = Math.abs(cumA);
  sumA += a;
  if (a > maxA) maxA = a;
  const b = Math.abs(cumB);
  sumB += b;
  if (b > maxB) maxB = b;
  count++;
  return { a: { mean: sumA / count, max: maxA }, b: incB ? { mean: sumB / count, max: maxB } : null };
}
