/**
 * Weighted least-squares fit prepared for sandwich variances, the way R's `lm(y ~ X, weights = w)`
 * followed by `sandwich` sees it:
 * - rows with weight 0 are dropped first (MatchIt's `match_data()` drops unmatched units, and
 *   `lm` gives them no residual df), so n counts only units with positive weight;
 * - aliased columns (rank deficiency, detected by the pivoted QR of `weightedLeastSquares`) get
 *   NaN coefficients like R and are left out of the bread and meat, like `sandwich`, which
 *   drops `is.na(coef(fit))` columns.
 *
 *   β̂ = (XᵀWX)⁻¹XᵀWy,   bread B = (X_rᵀ W X_r)⁻¹ over the k non-aliased columns X_r.
 * The bread of the non-aliased columns equals the non-NaN block of the pivoted-QR (XᵀWX)⁻¹.
 */
import type { Matrix } from '../types';
import { CausalInputError } from '../errors';
import { weightedLeastSquares } from '../linalg';

export interface WeightedLmFit {
  /** Row indices (into the caller's data) of the rows used: those with positive weight. */
  readonly rows: Int32Array;
  /** Design restricted to `rows` and to the non-aliased columns (n × k). */
  readonly x: Matrix;
  /** Weights of `rows`. */
  readonly w: Float64Array;
  /** Residuals y − Xβ̂ of `rows` (unweighted, like `residuals(lm)`). */
  readonly residuals: Float64Array;
  /** Coefficients for all p original columns, NaN where aliased. */
  readonly coef: Float64Array;
  /** Indices of the non-aliased original columns, in order (length k). */
  readonly kept: Int32Array;
  /** (X_rᵀWX_r)⁻¹, k × k row-major. */
  readonly bread: Float64Array;
  readonly n: number;
  readonly k: number;
  readonly dfResidual: number;
}

export function fitWeightedLm(x: Matrix, y: Float64Array, w: Float64Array | undefined, columnNames?: readonly string[]): WeightedLmFit {
  const { rows: nAll, cols: p } = x;
  if (y.length !== nAll) throw new CausalInputError(`The outcome has ${y.length} values but the design has ${nAll} rows.`, { outcome: y.length, rows: nAll });
  if (w && w.length !== nAll) throw new CausalInputError(`The weights have ${w.length} values but the design has ${nAll} rows.`, { weights: w.length, rows: nAll });
  const rows = positiveWeightRows(y, w);
  const n = rows.length;
  const xd = new Float64Array(n * p);
  const yd = new Float64Array(n);
  const wd = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const i = rows[r]!;
    for (let j = 0; j < p; j++) {
      const v = x.data[i * p + j]!;
      if (!Number.isFinite(v)) {
        const name = columnNames?.[j] ?? `column ${j + 1}`;
        throw new CausalInputError(`Covariate ${name} is missing or not finite in row ${i + 1}; impute or drop it before estimating.`, { row: i, column: name });
      }
      xd[r * p + j] = v;
    }
    yd[r] = y[i]!;
    wd[r] = w ? w[i]! : 1;
  }
  if (n <= p) throw new CausalInputError(`Only ${n} units have positive weight, too few to fit an outcome model with ${p} coefficients.`, { n, p });
  const full: Matrix = { data: xd, rows: n, cols: p };
  const fit = weightedLeastSquares(full, yd, wd);
  const keptList: number[] = [];
  for (let j = 0; j < p; j++) if (!fit.aliased[j]) keptList.push(j);
  const kept = Int32Array.from(keptList);
  const k = kept.length;
  let xr: Matrix = full;
  if (k < p) {
    const data = new Float64Array(n * k);
    for (let r = 0; r < n; r++) for (let c = 0; c < k; c++) data[r * k + c] = xd[r * p + kept[c]!]!;
    xr = { data, rows: n, cols: k };
  }
  // The bread comes from the QR factor (R⁻¹R⁻ᵀ), not from inverting XᵀWX: covariates in dollars
  // make XᵀWX badly conditioned, and the QR route keeps the SEs at the accuracy of R's.
  const bread = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) bread[a * k + b] = fit.xtwxInverse[kept[a]! * p + kept[b]!]!;
  return { rows, x: xr, w: wd, residuals: fit.residuals, coef: fit.coef, kept, bread, n, k, dfResidual: n - k };
}

/**
 * The rows with positive weight (all rows when `w` is undefined), after checking that every
 * weight is finite and non-negative and that the outcome is finite where the weight is positive.
 */
export function positiveWeightRows(y: Float64Array, w: Float64Array | undefined): Int32Array {
  const nAll = y.length;
  let count = 0;
  for (let i = 0; i < nAll; i++) {
    const wi = w ? w[i]! : 1;
    if (!(wi >= 0) || !Number.isFinite(wi)) throw new CausalInputError(`Weight of row ${i + 1} is ${wi}; weights must be finite and non-negative.`, { row: i });
    if (wi > 0) {
      if (!Number.isFinite(y[i]!)) throw new CausalInputError(`Outcome of row ${i + 1} is missing or not finite; impute or drop it before estimating.`, { row: i });
      count++;
    }
  }
  const rows = new Int32Array(count);
  for (let i = 0, r = 0; i < nAll; i++) if ((w ? w[i]! : 1) > 0) rows[r++] = i;
  return rows;
}

/** Position of original column `j` among the kept columns, or -1 when it is aliased. */
export function keptPosition(fit: WeightedLmFit, j: number): number {
  for (let c = 0; c < fit.kept.length; c++) if (fit.kept[c] === j) return c;
  return -1;
}
