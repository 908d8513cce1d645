/**
 * Empirical-CDF balance statistics, MatchIt 4.7.2 `qqsum(x, t, w, standardize = TRUE)`
 * (R/match.qoi.R):
 *   binary 0/1 x with two distinct values: both statistics are |wm(x₁) − wm(x₀)|;
 *   otherwise weights are normalised to sum to 1 within each group, units sorted by x (stable),
 *   the running sum of the signed weights (−w for the group of the first unit in data order,
 *   +w for the other) is taken at the last index of each distinct x value, and
 *   eCDF Mean = mean |·|, eCDF Max = max |·| (the weighted Kolmogorov–Smirnov statistic).
 * Units with zero weight still supply evaluation points, as in MatchIt.
 */
import { argsortStable } from '../match/argsort';

export function ecdfStats(x: Float64Array, treat: Uint8Array, w: Float64Array | null, idx: Int32Array): { mean: number; max: number } {
  const n = idx.length;
  const xs = new Float64Array(n);
  const ws = new Float64Array(n);
  const ts = new Uint8Array(n);
  let distinct = 0;
  let first = Number.NaN;
  let allBinary = true;
  for (let k = 0; k < n; k++) {
    const i = idx[k]!;
    xs[k] = x[i]!;
    ws[k] = w === null ? 1 : w[i]!;
    ts[k] = treat[i]!;
    if (xs[k] !== 0 && xs[k] !== 1) allBinary = false;
    if (k === 0) {
      first = xs[k]!;
      distinct = 1;
    } else if (distinct === 1 && xs[k] !== first) distinct = 2;
  }
  if (n === 0) return { mean: Number.NaN, max: Number.NaN };
  const t0 = ts[0]!;
  if (distinct === 2 && allBinary) {
    const sums = [0, 0, 0, 0];
    for (let k = 0; k < n; k++) {
      const g = ts[k] === t0 ? 0 : 1;
      sums[2 * g]! += ws[k]! * xs[k]!;
      sums[2 * g + 1]! += ws[k]!;
    }
    const diff = Math.abs(sums[0]! / sums[1]! - sums[2]! / sums[3]!);
    return { mean: diff, max: diff };
  }
  const total = [0, 0];
  for (let k = 0; k < n; k++) total[ts[k] === t0 ? 0 : 1]! += ws[k]!;
  const order = argsortStable(xs);
  let cum = 0;
  let sum = 0;
  let max = 0;
  let count = 0;
  for (let p = 0; p < n; p++) {
    const k = order[p]!;
    const g = ts[k] === t0 ? 0 : 1;
    const wk = ws[k]! / total[g]!;
    cum += g === 0 ? -wk : wk;
    const last = p === n - 1 || xs[order[p + 1]!]! !== xs[k]!;
    if (!last) continue;
    const a = Math.abs(cum);
    sum += a;
    if (a > max) max = a;
    count++;
  }
  return { mean: sum / count, max };
}
