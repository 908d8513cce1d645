/**
 * Data augmentation against perfect prediction in categorical imputation models
 * (White, Daniel & Royston 2010, CSDA 54:2267–2275; mice `augment()` in R/mice.impute.logreg.R).
 *
 * With p predictors (intercept excluded) and k observed categories, 2·p·k pseudo-rows are
 * added. Block j (j = 0..p-1) holds 2k rows in which predictor j is set to mean_j ± 0.5·sd_j
 * (clamped to [min_j, max_j]) and every other predictor to its mean; within the block the rows
 * run over the categories c = 0..k-1 as (c, +0.5), (c, −0.5). Every pseudo-row has weight
 * (p + 1) / (2pk), so together they carry the weight of p + 1 observations. Means, SDs (n − 1
 * denominator) and ranges are taken over all rows of the current predictor matrix, as in mice.
 */
import type { Matrix } from '../types';

export interface Augmentation {
  /** (2pk) × cols pseudo-rows, same columns as the input design. */
  readonly x: Matrix;
  /** Category index (0..k-1) of each pseudo-row. */
  readonly category: Int32Array;
  /** Prior weight of each pseudo-row: (p + 1) / (2pk). */
  readonly weight: number;
}

export interface AugmentationOptions {
  /** Column 0 of `x` is an intercept: it is not a predictor and stays 1 in the pseudo-rows. */
  readonly intercept?: boolean;
}

/**
 * Builds the augmentation rows for the design `x` (n × cols, complete; the current values of
 * all rows, observed and imputed, as in mice) and `nCategories` = k observed categories of the
 * imputed variable. The pseudo-rows have the same columns as `x`.
 */
export function augmentationRows(x: Matrix, nCategories: number, options: AugmentationOptions = {}): Augmentation {
  const { rows: n, cols, data } = x;
  const first = options.intercept ? 1 : 0;
  const mean = new Float64Array(cols);
  const sd = new Float64Array(cols);
  const min = new Float64Array(cols).fill(Infinity);
  const max = new Float64Array(cols).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const base = i * cols;
    for (let j = first; j < cols; j++) {
      const v = data[base + j]!;
      mean[j] = mean[j]! + v;
      if (v < min[j]!) min[j] = v;
      if (v > max[j]!) max[j] = v;
    }
  }
  for (let j = first; j < cols; j++) mean[j] = mean[j]! / n;
  // Two-pass variance: stable when a predictor has a large mean (earnings in dollars).
  for (let i = 0; i < n; i++) {
    const base = i * cols;
    for (let j = first; j < cols; j++) {
      const d = data[base + j]! - mean[j]!;
      sd[j] = sd[j]! + d * d;
    }
  }
  for (let j = first; j < cols; j++) sd[j] = n > 1 ? Math.sqrt(sd[j]! / (n - 1)) : 0;
  return augmentationFromMoments({ mean, sd, min, max }, nCategories, options);
}

/** Per-column mean, SD (n − 1 denominator), minimum and maximum of the predictors. */
export interface PredictorMoments {
  readonly mean: Float64Array;
  readonly sd: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
}

/**
 * The augmentation rows from the predictors' moments (entries of an intercept column 0 are
 * ignored): lets MICE take them from its maintained Gram matrix and column ranges instead of a
 * pass over the n × q design every column step.
 */
export function augmentationFromMoments(moments: PredictorMoments, nCategories: number, options: AugmentationOptions = {}): Augmentation {
  const { sd, min, max } = moments;
  const cols = moments.mean.length;
  const first = options.intercept ? 1 : 0;
  const p = cols - first;
  const k = nCategories;
  const nr = 2 * p * k;
  const mean = Float64Array.from(moments.mean);
  if (first === 1) mean[0] = 1;

  const out = new Float64Array(nr * cols);
  const category = new Int32Array(nr);
  for (let jp = 0; jp < p; jp++) {
    const j = jp + first;
    for (let c = 0; c < k; c++) {
      for (let s = 0; s < 2; s++) {
        const row = 2 * jp * k + 2 * c + s;
        out.set(mean, row * cols);
        const shifted = mean[j]! + (s === 0 ? 0.5 : -0.5) * sd[j]!;
        out[row * cols + j] = Math.min(max[j]!, Math.max(min[j]!, shifted));
        category[row] = c;
      }
    }
  }
  return { x: { data: out, rows: nr, cols }, category, weight: nr > 0 ? (p + 1) / nr : 0 };
}
