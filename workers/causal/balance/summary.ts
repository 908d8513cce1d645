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
 * Flags: |SMD| > smdThreshold (default 0.1); variance ratio outside varRatioBounds
 * (default [0.5, 2]) — MatchIt vignette thresholds.
 */
import { CausalInputError } from '../errors';
import type { Estimand, Matrix } from '../types';
import { ecdfStats } from './ecdf';
import { isBinary, weightedMean, weightedVariance } from './weighted-stats';

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
}

export interface BalanceSummary {
  readonly before: readonly BalanceRow[];
  readonly after: readonly BalanceRow[];
}

const SQRT_EPS = Math.sqrt(Number.EPSILON);

function groupIndices(treat: Uint8Array): { i1: Int32Array; i0: Int32Array } {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < treat.length; i++) (treat[i] ? a : b).push(i);
  return { i1: Int32Array.from(a), i0: Int32Array.from(b) };
}

/** s*: the SMD denominator, sampling weights only, unmatched sample. */
function smdDenominator(x: Float64Array, sw: Float64Array | null, i1: Int32Array, i0: Int32Array, binary: boolean, estimand: Estimand): number {
  const v1 = weightedVariance(x, sw, i1, binary);
  const v0 = weightedVariance(x, sw, i0, binary);
  let s = estimand === 'ATT' ? Math.sqrt(v1) : estimand === 'ATC' ? Math.sqrt(v0) : Math.sqrt((v1 + v0) / 2);
  if (!Number.isFinite(s) || s < SQRT_EPS) {
    // MatchIt's `pooled_sd` with proportional contribution: group variances weighted by group size.
    s = Math.sqrt((i1.length * v1 + i0.length * v0) / (i1.length + i0.length));
  }
  return s;
}

function countNonZero(w: Float64Array | null, idx: Int32Array): number {
  if (w === null) return idx.length;
  let c = 0;
  for (let k = 0; k < idx.length; k++) if (w[idx[k]!] !== 0) c++;
  return c;
}

function rowStats(
  name: string,
  x: Float64Array,
  treat: Uint8Array,
  w: Float64Array | null,
  i1: Int32Array,
  i0: Int32Array,
  all: Int32Array,
  binary: boolean,
  denom: number,
  options: BalanceOptions,
): BalanceRow {
  const m1 = weightedMean(x, w, i1);
  const m0 = weightedMean(x, w, i0);
  const diff = m1 - m0;
  const tooSmall = countNonZero(w, i1) < 2 && countNonZero(w, i0) < 2;
  let smd = diff;
  if (Math.abs(diff) > SQRT_EPS) smd = tooSmall ? Number.NaN : diff / denom;
  let varRatio = Number.NaN;
  let ecdfMean = Number.NaN;
  let ecdfMax = Number.NaN;
  if (binary) {
    ecdfMean = Math.abs(diff);
    ecdfMax = Math.abs(diff);
  } else if (!tooSmall) {
    varRatio = weightedVariance(x, w, i1, false) / weightedVariance(x, w, i0, false);
    const e = ecdfStats(x, treat, w, all);
    ecdfMean = e.mean;
    ecdfMax = e.max;
  }
  const [lo, hi] = options.varRatioBounds ?? [0.5, 2];
  return {
    variable: name,
    binary,
    meansTreated: m1,
    meansControl: m0,
    smd,
    varRatio,
    ecdfMean,
    ecdfMax,
    flagSmd: Math.abs(smd) > (options.smdThreshold ?? 0.1),
    flagVarRatio: !binary && Number.isFinite(varRatio) && (varRatio < lo || varRatio > hi),
  };
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
  if (matchWeights.length !== n) throw new CausalInputError(`The matching weights have ${matchWeights.length} values but there are ${n} units.`);
  const sw = options.sWeights ?? null;
  if (sw !== null && sw.length !== n) throw new CausalInputError(`The sampling weights have ${sw.length} values but there are ${n} units.`);
  const estimand = options.estimand ?? 'ATT';
  const { i1, i0 } = groupIndices(treat);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const after = new Float64Array(n);
  for (let i = 0; i < n; i++) after[i] = matchWeights[i]! * (sw === null ? 1 : sw[i]!);
  const col = new Float64Array(n);
  const before: BalanceRow[] = [];
  const afterRows: BalanceRow[] = [];
  for (let j = 0; j < x.cols; j++) {
    for (let i = 0; i < n; i++) {
      const v = x.data[i * x.cols + j]!;
      if (!Number.isFinite(v)) throw new CausalInputError(`Covariate "${names[j]}" is missing or not finite in row ${i + 1}.`, { row: i, column: names[j] });
      col[i] = v;
    }
    const binary = isBinary(col);
    const denom = smdDenominator(col, sw, i1, i0, binary, estimand);
    const xj = Float64Array.from(col);
    before.push(rowStats(names[j]!, xj, treat, sw, i1, i0, all, binary, denom, options));
    afterRows.push(rowStats(names[j]!, xj, treat, after, i1, i0, all, binary, denom, options));
  }
  return { before, after: afterRows };
}
