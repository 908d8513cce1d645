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
import { normDraw } from './norm-draw';
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
