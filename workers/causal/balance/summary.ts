/**
 * Covariate balance before and after matching, MatchIt 4.7.2 `summary.matchit(m, un = TRUE)`
 * (R/summary.matchit.R, `bal1var` and `smd_denom` in R/match.qoi.R), per column of a design matrix:
 * - Means Treated / Means Control: weighted means (sampling weights × matching weights).
 * - Std. Mean Diff. = (x̄₁ − x̄₀) / s*, with s* from the UNMATCHED sample and sampling weights only
 *   (so before and after share it): ATT "treated" √wvar(x₁), ATC "control" √wvar(x₀), ATE
 *   "pooled" √((wvar(x₁) + wvar(x₀))/2); if s* < √eps or not finite, the pooled SD. When
 *   |x̄₁ − x̄₀| ≤ √eps the raw difference is reported (MatchIt does the same).
 *   Binary (0/1) variables are standardised too (wvar = m(1 − m)).
 * - Var. Ratio = wvar(x₁; w) / wvar(x₀; w); NaN for binary variables.
 * - eCDF Mean / Max: ./ecdf (|mean difference| for binary variables).
 *   Unlike MatchIt, ties in the sort need no stable order: only run ends are evaluated.
 * Flags: |SMD| > smdThreshold (default 0.1); variance ratio outside varRatioBounds
 * (default [0.5, 2]) — MatchIt vignette thresholds.
 */
import { CausalInputError } from '../errors';
import type { Estimand, Matrix } from '../types';
import { ecdfIncrements, ecdfStats, type EcdfStats } from './ecdf';
import { valueOrder } from './value-order';
import { groupMoments, isBinary, type GroupMoments } from './weighted-stats';

export interface BalanceRow {
  readonly variable: string;
  readonly binary: boolean;
  readonly meansTreated: number;
  readonly meansControl: number;
  readonly smd: number;
  readonly varRatio: number;
  readonly ecdfMean: number;
  readonly ecdfMax: number;
  readonly flagSmd: boolean;
  readonly flagVarRatio: boolean;
}

export interface BalanceOptions {
  /** Chooses the SMD denominator (default 'ATT'). */
  readonly estimand?: Estimand;
  /** Sampling weights (default 1). */
  readonly sWeights?: Float64Array;
  readonly smdThreshold?: number;
  readonly varRatioBounds?: readonly [number, number];
  /**
   * Whether to compute the eCDF statistics before matching (default true; false leaves NaN in
   * the before rows). The sort is shared with the after statistics, so this saves only part of
   * the eCDF scan, for callers that report the after-matching eCDF alone.
   */
  readonly ecdfBefore?: boolean;
}

export interface BalanceSummary {
  readonly before: readonly BalanceRow[];
  readonly after: readonly BalanceRow[];
}

/** One covariate as a column (no copy of the caller's data). */
export interface BalanceColumn {
  readonly name: string;
  readonly values: Float64Array;
}

const SQRT_EPS = Math.sqrt(Number.EPSILON);

/** Per weighting, everything that does not depend on the column. */
interface Weighting {
  readonly increments: Float64Array;
  /** Fewer than 2 units with non-zero weight in both groups: SMD and eCDF are not computed. */
  readonly tooSmall: boolean;
}

function weighting(treat: Uint8Array, w: Float64Array | null): Weighting {
  let c1 = 0;
  let c0 = 0;
  for (let i = 0; i < treat.length; i++) {
    if (w !== null && w[i] === 0) continue;
    if (treat[i] === 1) c1++;
    else c0++;
  }
  return { increments: ecdfIncrements(treat, w), tooSmall: c1 < 2 && c0 < 2 };
}

/** s*: the SMD denominator, sampling weights only, unmatched sample. */
function smdDenominator(before: GroupMoments, n1: number, n0: number, estimand: Estimand): number {
  const { var1: v1, var0: v0 } = before;
  let s = estimand === 'ATT' ? Math.sqrt(v1) : estimand === 'ATC' ? Math.sqrt(v0) : Math.sqrt((v1 + v0) / 2);
  if (!Number.isFinite(s) || s < SQRT_EPS) {
    // MatchIt's `pooled_sd` with proportional contribution: group variances weighted by group size.
    s = Math.sqrt((n1 * v1 + n0 * v0) / (n1 + n0));
  }
  return s;
}

function row(name: string, binary: boolean, m: GroupMoments, tooSmall: boolean, denom: number, ecdf: EcdfStats | null, options: BalanceOptions): BalanceRow {
  const diff = m.mean1 - m.mean0;
  let smd = diff;
  if (Math.abs(diff) > SQRT_EPS) smd = tooSmall ? Number.NaN : diff / denom;
  let varRatio = Number.NaN;
  let ecdfMean = Number.NaN;
  let ecdfMax = Number.NaN;
  if (binary) {
    ecdfMean = Math.abs(diff);
    ecdfMax = Math.abs(diff);
  } else if (!tooSmall) {
    varRatio = m.var1 / m.var0;
    if (ecdf) {
      ecdfMean = ecdf.mean;
      ecdfMax = ecdf.max;
    }
  }
  const [lo, hi] = options.varRatioBounds ?? [0.5, 2];
  return {
    variable: name,
    binary,
    meansTreated: m.mean1,
    meansControl: m.mean0,
    smd,
    varRatio,
    ecdfMean,
    ecdfMax,
    flagSmd: Math.abs(smd) > (options.smdThreshold ?? 0.1),
    flagVarRatio: !binary && Number.isFinite(varRatio) && (varRatio < lo || varRatio > hi),
  };
}

function checkFinite(column: BalanceColumn): void {
  const x = column.values;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) throw new CausalInputError(`Covariate "${column.name}" is missing or not finite in row ${i + 1}.`, { row: i, column: column.name });
  }
}

/**
 * Balance of each column before matching (sampling weights) and after (matching weights ×
 * sampling weights). Per column: the group moments of both weightings in two passes, and for a
 * non-binary column one sort shared by the before and after eCDF statistics.
 */
export function balanceColumns(columns: readonly BalanceColumn[], treat: Uint8Array, matchWeights: Float64Array, options: BalanceOptions = {}): BalanceSummary {
  const n = treat.length;
  if (matchWeights.length !== n) throw new CausalInputError(`The matching weights have ${matchWeights.length} values but there are ${n} units.`);
  const sw = options.sWeights ?? null;
  if (sw !== null && sw.length !== n) throw new CausalInputError(`The sampling weights have ${sw.length} values but there are ${n} units.`);
  for (const c of columns) if (c.values.length !== n) throw new CausalInputError(`Covariate "${c.name}" has ${c.values.length} values but the treatment has ${n}.`, { rows: c.values.length, n });
  const estimand = options.estimand ?? 'ATT';
  let n1 = 0;
  for (let i = 0; i < n; i++) {
    const t = treat[i]!;
    if (t !== 0 && t !== 1) throw new CausalInputError(`Treatment in row ${i + 1} is ${t}; it must be coded 0 (control) or 1 (treated).`, { row: i });
    n1 += t;
  }
  const afterW = new Float64Array(n);
  for (let i = 0; i < n; i++) afterW[i] = matchWeights[i]! * (sw === null ? 1 : sw[i]!);
  const wBefore = weighting(treat, sw);
  const wAfter = weighting(treat, afterW);
  const withBefore = (options.ecdfBefore ?? true) && !wBefore.tooSmall;
  const before: BalanceRow[] = [];
  const after: BalanceRow[] = [];
  for (const column of columns) {
    checkFinite(column);
    const x = column.values;
    const binary = isBinary(x);
    const m = groupMoments(x, treat, sw, afterW, binary);
    const denom = smdDenominator(m.before, n1, n - n1, estimand);
    let eb: EcdfStats | null = null;
    let ea: EcdfStats | null = null;
    if (!binary && (withBefore || !wAfter.tooSmall)) {
      const { order, sorted } = valueOrder(x);
      const e = ecdfStats(sorted, order, wAfter.increments, withBefore ? wBefore.increments : null);
      ea = e.a;
      eb = e.b;
    }
    before.push(row(column.name, binary, m.before, wBefore.tooSmall, denom, eb, options));
    after.push(row(column.name, binary, m.after, wAfter.tooSmall, denom, ea, options));
  }
  return { before, after };
}

/**
 * Balance of every column of `x` (names in `names`) before matching (sampling weights) and after
 * (matching weights × sampling weights). Pass the propensity score as a column named "distance"
 * to get MatchIt's distance row.
 */
export function balanceSummary(
  x: Matrix,
  names: readonly string[],
  treat: Uint8Array,
  matchWeights: Float64Array,
  options: BalanceOptions = {},
): BalanceSummary {
  const n = treat.length;
  if (x.rows !== n) throw new CausalInputError(`The covariate matrix has ${x.rows} rows but the treatment has ${n}.`, { rows: x.rows, n });
  if (names.length !== x.cols) throw new CausalInputError(`${names.length} column names were given for ${x.cols} covariate columns.`);
  const columns: BalanceColumn[] = [];
  for (let j = 0; j < x.cols; j++) {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = x.data[i * x.cols + j]!;
    columns.push({ name: names[j]!, values });
  }
  return balanceColumns(columns, treat, matchWeights, options);
}
