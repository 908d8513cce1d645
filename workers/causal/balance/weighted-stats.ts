/**
 * Weighted group means and variances as MatchIt 4.7.2 computes them for balance statistics
 * (`wm`, `wvar` in R/utils.R), for the treated (1) and control (0) groups at once:
 *   wm(x; w) = Σ w x / Σ w
 *   wvar(x; w): w ← w / Σw, m = Σ w x;
 *     binary 0/1 variable: m (1 − m) (no n − 1 correction);
 *     otherwise Σ w (x − m)² / (1 − Σ w²), the reliability-weights variance of `cov.wt`.
 * Two passes over the column (sums, then squared deviations), for two weightings together
 * (before matching: sampling weights, null = 1; after: matching × sampling weights), so a column
 * is read four times in all rather than once per statistic and group.
 */

export interface GroupMoments {
  readonly mean1: number;
  readonly mean0: number;
  readonly var1: number;
  readonly var0: number;
}

/** True when every value is 0 or 1 (MatchIt's `all(x == 0 | x == 1)`). */
export function isBinary(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== 0 && x[i] !== 1) return false;
  return true;
}

function variance(ss: number, sumW: number, sumW2: number, mean: number, binary: boolean): number {
  if (binary) return mean * (1 - mean);
  return ss / sumW / (1 - sumW2 / (sumW * sumW));
}

/**
 * Moments of x by group under weights `wb` (null = 1) and `wa`. Sums are kept in small arrays
 * indexed by the 0/1 treatment, so the loops have no data-dependent branch (a branch on a
 * random treatment mispredicts often and made these passes several times slower).
 */
export function groupMoments(x: Float64Array, treat: Uint8Array, wb: Float64Array | null, wa: Float64Array, binary: boolean): { before: GroupMoments; after: GroupMoments } {
  const n = x.length;
  // [before W₀, W₁, Σwx₀, Σwx₁, Σw²₀, Σw²₁, after …, …]
  const s = new Float64Array(12);
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const t = treat[i]!;
    const u = wb === null ? 1 : wb[i]!;
    const w = wa[i]!;
    s[t] = s[t]! + u;
    s[2 + t] = s[2 + t]! + u * v;
    s[4 + t] = s[4 + t]! + u * u;
    s[6 + t] = s[6 + t]! + w;
    s[8 + t] = s[8 + t]! + w * v;
    s[10 + t] = s[10 + t]! + w * w;
  }
  const mean = Float64Array.of(s[2]! / s[0]!, s[3]! / s[1]!, s[8]! / s[6]!, s[9]! / s[7]!);
  const ss = new Float64Array(4);
  if (!binary) {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      const t = treat[i]!;
      const u = wb === null ? 1 : wb[i]!;
      const db = v - mean[t]!;
      const da = v - mean[2 + t]!;
      ss[t] = ss[t]! + u * db * db;
      ss[2 + t] = ss[2 + t]! + wa[i]! * da * da;
    }
  }
  return {
    before: { mean1: mean[1]!, mean0: mean[0]!, var1: variance(ss[1]!, s[1]!, s[5]!, mean[1]!, binary), var0: variance(ss[0]!, s[0]!, s[4]!, mean[0]!, binary) },
    after: { mean1: mean[3]!, mean0: mean[2]!, var1: variance(ss[3]!, s[7]!, s[11]!, mean[3]!, binary), var0: variance(ss[2]!, s[6]!, s[10]!, mean[2]!, binary) },
  };
}
