/**
 * Omitted-variable-bias sensitivity of Cinelli & Hazlett (2020, JRSS-B 82:39), as `sensemakr`
 * computes it (`R/sensitivity_stats.R` robustness_value, `R/bias_functions.R`,
 * `R/ovb_bounds.R` ovb_partial_r2_bound). METHODS.md §6.3.
 *
 * From the classical (iid) weighted OLS of Y on [1, D, X] with dof = n_{w>0} − rank:
 *   r2yd.x = t²/(t² + dof)
 *   f_q = q|t|/√dof;  f* = |t_{α/2, dof−1}|/√(dof − 1);  f_qa = f_q − f*
 *   RV_q   = ½(√(f_q⁴ + 4f_q²) − f_q²)
 *   RV_q,α = 0 if f_qa < 0;  (f_q² − f*²)/(1 + f_q²) if f_qa > 0 and f_q > 1/f*;
 *            else ½(√(f_qa⁴ + 4f_qa²) − f_qa²)
 *   bias(r2dz.x, r2yz.dx) = se·√dof·√(r2yz.dx·r2dz.x/(1 − r2dz.x))
 *   adjusted estimate = sign(β)(|β| − bias);  adjusted se = se·√((1 − r2yz.dx)/(1 − r2dz.x))·√(dof/(dof − 1))
 *   adjusted t = (adj − h0)/adj se;  adjusted CI = adj ± t_{1−α/2, dof}·adj se
 *   (the CI uses dof, not dof − 1: that is what sensemakr's ovb_bounds output holds; the
 *   darfur fixture differs by 4e-6 relative with dof − 1)
 * Benchmark X_j (a column or a group of dummy columns), multipliers kd, ky:
 *   r2dz.x   = kd·r2dxj.x/(1 − r2dxj.x)
 *   r2zxj.xd = kd·r2dxj.x²/((1 − kd·r2dxj.x)(1 − r2dxj.x))
 *   r2yz.dx  = ((√ky + √r2zxj.xd)/√(1 − r2zxj.xd))²·r2yxj.dx/(1 − r2yxj.dx), capped at 1
 * r2yxj.dx is the partial R² of X_j with Y given D and the other X; r2dxj.x the partial R² of X_j
 * with D in the treatment regression D ~ [1, X] with the SAME weights. Partial R² are computed
 * by FWL in float64 as 1 − SSR_full/SSR_without_Xj (identical to sensemakr's t- and Wald-based
 * group_partial_r2 for classical OLS, and numerically safer than squaring t).
 * The formulas assume classical SEs: never feed cluster-robust t-values in here.
 */
import { CausalInputError } from '../errors';
import { qrDecompose, weightedLeastSquares } from '../linalg';
import { studentTQuantile } from '../stats/distributions';
import type { Matrix } from '../types';

export interface OvbBenchmark {
  label: string;
  /** Covariate column names forming the benchmark (several for the dummies of a factor). */
  columns: readonly string[];
}

export interface OvbInput {
  y: Float64Array;
  /** Treatment (0/1 or continuous). */
  d: Float64Array;
  /** Covariates without an intercept column (one is added). */
  covariates: Matrix;
  covariateNames: readonly string[];
  /** Analysis weights (e.g. matching weights); default all 1. */
  weights?: Float64Array;
}

export interface OvbOptions {
  q?: number;
  alpha?: number;
  /** Benchmark multipliers for r2dz.x, default [1, 2, 3]. */
  kd?: readonly number[];
  /** Multipliers for r2yz.dx, default = kd. */
  ky?: readonly number[];
  benchmarks?: readonly OvbBenchmark[];
  /** Null value for the adjusted t, default 0. */
  h0?: number;
}

export interface OvbBound {
  label: string;
  kd: number;
  ky: number;
  r2dzX: number;
  r2yzDx: number;
  adjustedEstimate: number;
  adjustedSe: number;
  adjustedT: number;
  adjustedLower: number;
  adjustedUpper: number;
}

export interface OvbResult {
  estimate: number;
  se: number;
  t: number;
  dof: number;
  r2ydX: number;
  q: number;
  alpha: number;
  rvQ: number;
  rvQAlpha: number;
  benchmarks: { label: string; r2yxjDx: number; r2dxjX: number }[];
  bounds: OvbBound[];
}

/** Partial R² of the treatment with the outcome from its t-value: t²/(t² + dof). */
export function partialR2FromT(t: number, dof: number): number {
  return (t * t) / (t * t + dof);
}

/** Robustness value RV_q (alpha = 1) or RV_{q,α} (sensemakr's current two-case formula). */
export function robustnessValue(t: number, dof: number, q = 1, alpha = 1): number {
  const fq = (q * Math.abs(t)) / Math.sqrt(dof);
  const fCrit = alpha >= 1 ? 0 : Math.abs(studentTQuantile(alpha / 2, dof - 1)) / Math.sqrt(dof - 1);
  const fqa = fq - fCrit;
  if (fqa < 0) return 0;
  if (fCrit > 0 && fq > 1 / fCrit) return (fq * fq - fCrit * fCrit) / (1 + fq * fq);
  return 0.5 * (Math.sqrt(fqa ** 4 + 4 * fqa * fqa) - fqa * fqa);
}

/** sensemakr's ovb_partial_r2_bound for one benchmark and one (kd, ky). */
export function benchmarkPartialR2(r2dxjX: number, r2yxjDx: number, kd: number, ky = kd): { r2dzX: number; r2yzDx: number } {
  const r2dzX = (kd * r2dxjX) / (1 - r2dxjX);
  if (r2dzX >= 1) throw new CausalInputError(`kd = ${kd} implies a confounder explaining all of the treatment (r2dz.x ≥ 1); use a smaller kd.`, { kd });
  const r2zxjXd = (kd * r2dxjX * r2dxjX) / ((1 - kd * r2dxjX) * (1 - r2dxjX));
  if (r2zxjXd >= 1) throw new CausalInputError(`kd = ${kd} implies an impossible confounder (r2zxj.xd ≥ 1); use a smaller kd.`, { kd });
  const r2yzDx = ((Math.sqrt(ky) + Math.sqrt(r2zxjXd)) / Math.sqrt(1 - r2zxjXd)) ** 2 * (r2yxjDx / (1 - r2yxjDx));
  return { r2dzX, r2yzDx: Math.min(1, r2yzDx) };
}

/** Bias-adjusted estimate, se, t and CI for a hypothesised confounder (reduce = TRUE). */
export function adjustForConfounder(estimate: number, se: number, dof: number, r2dzX: number, r2yzDx: number, alpha = 0.05, h0 = 0) {
  const bias = se * Math.sqrt(dof) * Math.sqrt((r2yzDx * r2dzX) / (1 - r2dzX));
  const adjustedEstimate = Math.sign(estimate) * (Math.abs(estimate) - bias);
  const adjustedSe = se * Math.sqrt((1 - r2yzDx) / (1 - r2dzX)) * Math.sqrt(dof / (dof - 1));
  const crit = studentTQuantile(1 - alpha / 2, dof);
  return {
    bias,
    adjustedEstimate,
    adjustedSe,
    adjustedT: (adjustedEstimate - h0) / adjustedSe,
    adjustedLower: adjustedEstimate - crit * adjustedSe,
    adjustedUpper: adjustedEstimate + crit * adjustedSe,
  };
}

/** What the analysis needs from one regression. */
interface Regression {
  coef: Float64Array;
  xtwxInverse: Float64Array;
  aliased: Uint8Array;
  /** Weighted residual sum of squares. */
  ssr: number;
  /** n_{w>0} − rank. */
  dof: number;
}

/** Regresses Y (or D) on [1, D?, X_keep]; `withD` puts D second, as in the outcome regression. */
type Regress = (target: 'y' | 'd', keep: readonly number[], withD: boolean) => Regression;

/** The regressions on the n rows themselves. */
function rowRegressions(y: Float64Array, d: Float64Array, x: Matrix, weights: Float64Array | undefined): Regress {
  const n = y.length;
  return (target, keep, withD) => {
    const cols = 1 + (withD ? 1 : 0) + keep.length;
    const data = new Float64Array(n * cols);
    for (let i = 0; i < n; i++) {
      let c = i * cols;
      data[c++] = 1;
      if (withD) data[c++] = d[i]!;
      for (const j of keep) data[c++] = x.data[i * x.cols + j]!;
    }
    const fit = weightedLeastSquares({ data, rows: n, cols }, target === 'y' ? y : d, weights);
    let ssr = 0;
    for (let i = 0; i < n; i++) ssr += (weights === undefined ? 1 : weights[i]!) * fit.residuals[i]! ** 2;
    return { coef: fit.coef, xtwxInverse: fit.xtwxInverse, aliased: fit.aliased, ssr, dof: fit.dfResidual };
  };
}

/**
 * The same regressions from one QR of the data. With Z = √W·[1, X, D, Y] over the rows with
 * w > 0 and Z = QR (Householder, p = q + 3 columns), each column of Z is Q times the matching
 * column of R, so any regression among Z's columns has the same coefficients, (ZᵀZ)⁻¹ block and
 * residual sum of squares on the p rows of R as on the n rows of Z, at QR accuracy (no normal
 * equations). The outcome, treatment and two regressions per benchmark then cost one QR of the
 * data instead of 2 + 2·benchmarks. Null when Z is rank-deficient (collinear covariates, or Y
 * fitted exactly): R then does not hold every column, and the caller regresses on the rows.
 */
function compressedRegressions(y: Float64Array, d: Float64Array, x: Matrix, weights: Float64Array | undefined): Regress | null {
  const n = y.length;
  const q = x.cols;
  const p = q + 3;
  const used: number[] = [];
  for (let i = 0; i < n; i++) if (weights === undefined || weights[i]! > 0) used.push(i);
  const m = used.length;
  if (m <= p) return null;
  const z = new Float64Array(m * p);
  used.forEach((i, r) => {
    const sw = weights === undefined ? 1 : Math.sqrt(weights[i]!);
    z[r] = sw;
    for (let j = 0; j < q; j++) z[(1 + j) * m + r] = x.data[i * q + j]! * sw;
    z[(q + 1) * m + r] = d[i]! * sw;
    z[(q + 2) * m + r] = y[i]! * sw;
  });
  const qr = qrDecompose(z, m, p);
  if (qr.rank < p) return null;
  // Column j of Z in the basis Q: the upper part of R's column at j's pivot position.
  const columns: Float64Array[] = new Array(p);
  for (let k = 0; k < p; k++) {
    const column = new Float64Array(p);
    for (let i = 0; i <= k; i++) column[i] = qr.qr[k * m + i]!;
    columns[qr.pivot[k]!] = column;
  }
  return (target, keep, withD) => {
    const picked = [0, ...(withD ? [q + 1] : []), ...keep.map((j) => 1 + j)];
    const data = new Float64Array(p * picked.length);
    for (let i = 0; i < p; i++) picked.forEach((c, k) => (data[i * picked.length + k] = columns[c]![i]!));
    const fit = weightedLeastSquares({ data, rows: p, cols: picked.length }, columns[target === 'y' ? q + 2 : q + 1]!);
    let ssr = 0;
    for (const r of fit.residuals) ssr += r * r;
    return { coef: fit.coef, xtwxInverse: fit.xtwxInverse, aliased: fit.aliased, ssr, dof: m - fit.rank };
  };
}

/** Full Cinelli–Hazlett analysis from the data of the outcome regression. */
export function ovbSensitivity(input: OvbInput, options: OvbOptions = {}): OvbResult {
  const { y, d, covariates: x, covariateNames, weights } = input;
  const n = y.length;
  const q = options.q ?? 1;
  const alpha = options.alpha ?? 0.05;
  const kdList = options.kd ?? [1, 2, 3];
  const kyList = options.ky ?? kdList;
  const h0 = options.h0 ?? 0;
  if (d.length !== n || x.rows !== n) throw new CausalInputError(`Outcome (${n}), treatment (${d.length}) and covariates (${x.rows} rows) must have the same length.`, {});
  if (covariateNames.length !== x.cols) throw new CausalInputError(`Got ${covariateNames.length} covariate names for ${x.cols} columns.`, {});
  if (kyList.length !== kdList.length) throw new CausalInputError('kd and ky must have the same length.', {});
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]!) || !Number.isFinite(d[i]!)) throw new CausalInputError(`Row ${i + 1} has a missing outcome or treatment; impute or drop it first.`, { row: i + 1 });
  }

  const benchmarkColumns = (options.benchmarks ?? []).map((b) => {
    const idx = b.columns.map((name) => {
      const j = covariateNames.indexOf(name);
      if (j < 0) throw new CausalInputError(`Benchmark covariate "${name}" is not among the regression's covariates.`, { column: name });
      return j;
    });
    if (idx.length === 0) throw new CausalInputError(`Benchmark "${b.label}" names no columns.`, {});
    return [b, idx] as const;
  });

  const all = Array.from({ length: x.cols }, (_, j) => j);
  const regress = compressedRegressions(y, d, x, weights) ?? rowRegressions(y, d, x, weights);
  const full = regress('y', all, true);
  if (full.aliased[1]) throw new CausalInputError('The treatment is collinear with the covariates; its coefficient is not identified.', {});
  const dof = full.dof;
  if (!(dof > 1)) throw new CausalInputError(`The outcome regression has ${dof} residual degrees of freedom; OVB sensitivity needs at least 2.`, { dof });
  const estimate = full.coef[1]!;
  const se = Math.sqrt((full.ssr / dof) * full.xtwxInverse[1 * (full.coef.length + 1)]!);
  const t = estimate / se;
  const ssrY = full.ssr;
  const ssrD = regress('d', all, false).ssr;

  const benchmarks: OvbResult['benchmarks'] = [];
  const bounds: OvbBound[] = [];
  for (const [b, idx] of benchmarkColumns) {
    const keep = all.filter((j) => !idx.includes(j));
    const r2yxjDx = 1 - ssrY / regress('y', keep, true).ssr;
    const r2dxjX = 1 - ssrD / regress('d', keep, false).ssr;
    benchmarks.push({ label: b.label, r2yxjDx, r2dxjX });
    kdList.forEach((kd, k) => {
      const ky = kyList[k]!;
      const { r2dzX, r2yzDx } = benchmarkPartialR2(r2dxjX, r2yxjDx, kd, ky);
      const adj = adjustForConfounder(estimate, se, dof, r2dzX, r2yzDx, alpha, h0);
      bounds.push({
        label: `${kd}x ${b.label}`,
        kd,
        ky,
        r2dzX,
        r2yzDx,
        adjustedEstimate: adj.adjustedEstimate,
        adjustedSe: adj.adjustedSe,
        adjustedT: adj.adjustedT,
        adjustedLower: adj.adjustedLower,
        adjustedUpper: adj.adjustedUpper,
      });
    });
  }

  return {
    estimate,
    se,
    t,
    dof,
    r2ydX: partialR2FromT(t, dof),
    q,
    alpha,
    rvQ: robustnessValue(t, dof, q, 1),
    rvQAlpha: robustnessValue(t, dof, q, alpha),
    benchmarks,
    bounds,
  };
}
