/**
 * Predictive mean matching (mice `mice.impute.pmm`, defaults donors = 5, matchtype = 1,
 * ridge = 1e-5; Little 1988, van Buuren 2018 §3.4):
 *
 *   (β̂, β̇, σ̇) = .norm.draw(y_obs, X_obs)
 *   ŷ_obs = X_obs β̂  (least squares),   ŷ_mis = X_mis β̇  (drawn)      ← type-1 matching
 *   for each missing case: the `donors` observed cases with ŷ_obs closest to ŷ_mis, one drawn
 *   uniformly; its observed y is imputed.
 *
 * Imputed values are always observed values, so they keep the variable's range, its integer
 * grid and its point masses (zero earnings).
 */
import type { Matrix } from '../types';
import type { Rng } from '../random/rng';
import { matVec } from '../linalg';
import { normDraw, normDrawFrom, normEstimateGram, normEstimateQr } from './norm-draw';
import { designRows, subMatrix } from './chain-design';
import type { ChainDesign } from './chain-design';
import type { NormDraw } from './norm-draw';
import { drawDonors, sortPredictions } from './pmm-match';

export interface PmmOptions {
  readonly donors?: number;
  readonly ridge?: number;
}

export interface PmmResult {
  readonly values: Float64Array;
  readonly draw: NormDraw;
}

export function imputePmm(xObs: Matrix, yObs: Float64Array, xMis: Matrix, rng: Rng, options: PmmOptions = {}): PmmResult {
  const draw = normDraw(xObs, yObs, rng, { ridge: options.ridge ?? 1e-5 });
  const yhatObs = matVec(xObs, draw.coef);
  const yhatMis = matVec(xMis, draw.beta);
  const sorted = sortPredictions(yhatObs, rng);
  const donor = drawDonors(sorted, yhatMis, options.donors ?? 5, rng);
  const values = new Float64Array(xMis.rows);
  for (let i = 0; i < values.length; i++) values[i] = yObs[donor[i]!]!;
  return { values, draw };
}

/**
 * One PMM step of a MICE chain on the maintained design (chain-design.ts): XᵀX, Xᵀy of the
 * observed rows are entries of `gramObs` (the Gram of D over the observed rows, from
 * `gramExcept`), ŷ_obs and the residual sum of squares come from one pass over the observed
 * rows of D, ŷ_mis from one pass over the missing rows (row-kernels.ts `dots`). Same draws, in
 * the same order, as `imputePmm` on the explicit design (columns `cols` of D, response column
 * `yCol`, whose values `y` (length n) are also read from their own array: one scattered read
 * per row of D costs a cache miss). Returns the imputed values for `missing`.
 */
export function imputePmmChain(
  d: ChainDesign,
  gramObs: Float64Array,
  cols: Int32Array,
  yCol: number,
  y: Float64Array,
  observed: Int32Array,
  missing: Int32Array,
  rng: Rng,
  options: PmmOptions = {},
): PmmResult {
  const q = d.width;
  const k = cols.length;
  const xtx = subMatrix(gramObs, q, cols);
  const xty = Float64Array.from(cols, (c) => gramObs[c * q + yCol]!);
  const gramEstimate = normEstimateGram(xtx, xty, k, observed.length);
  let est: NonNullable<typeof gramEstimate>;
  let rss = 0;
  let yhatObs: Float64Array;
  if (gramEstimate) {
    est = gramEstimate;
    // β̂ spread over all Q columns of D (0 outside the model): contiguous dot products.
    yhatObs = d.kernels.dots(observed, observed.length, spread(est.coef, cols, q));
    for (let r = 0; r < observed.length; r++) {
      const e = y[observed[r]!]! - yhatObs[r]!;
      rss += e * e;
    }
  } else {
    const xObs = designRows(d, cols, observed);
    const yObs = Float64Array.from(observed, (i) => y[i]!);
    const qr = normEstimateQr(xObs, yObs, options.ridge ?? 1e-5);
    est = qr;
    rss = qr.rss;
    yhatObs = matVec(xObs, qr.coef);
  }
  const draw = normDrawFrom(est, rss, rng);
  const yhatMis = d.kernels.dots(missing, missing.length, spread(draw.beta, cols, q));
  const sorted = sortPredictions(yhatObs, rng);
  const donor = drawDonors(sorted, yhatMis, options.donors ?? 5, rng);
  const values = new Float64Array(missing.length);
  for (let i = 0; i < values.length; i++) values[i] = y[observed[donor[i]!]!]!;
  return { values, draw };
}

/** Coefficients of the model columns `cols` placed in a length-q vector, 0 elsewhere. */
function spread(coef: Float64Array, cols: Int32Array, q: number): Float64Array {
  const out = new Float64Array(q);
  for (let a = 0; a < cols.length; a++) out[cols[a]!] = coef[a]!;
  return out;
}
