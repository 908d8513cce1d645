/**
 * K-fold cross-fitted GBM propensity scores (METHODS.md §7.2, "cross-fitting against
 * overfit propensities"; Chernozhukov et al. 2018): units are split into K folds stratified by
 * treatment; for each fold a GBM is trained on the other K − 1 folds (with its own inner
 * early-stopping split, `validationFraction` of the training rows, also stratified) and scores
 * only the held-out fold. Every unit's score is therefore out-of-fold.
 *
 * Determinism: fold assignment uses `rng`; fold k trains with `rng.derive('gbm-fold-k')`
 * via `fitGbmFold`, a pure function of (binned data, labels, fold ids, k, options, rng), so a
 * caller may run folds in worker threads and get bit-identical results.
 */
import { CausalInputError } from '../errors';
import type { Rng } from '../random/rng';
import type { BinnedData } from './binning';
import type { GbmOptions } from './gbm';
import { predictGbm, sigmoid, trainGbm } from './gbm';

export interface CrossFitOptions extends GbmOptions {
  /** Number of folds K ≥ 2 (default 5). */
  readonly folds?: number;
  /** Share of each fold's training rows held out for early stopping (default 0.2). */
  readonly validationFraction?: number;
}

export interface FoldResult {
  readonly fold: number;
  /** Held-out rows of this fold and their out-of-fold raw scores. */
  readonly rows: Int32Array;
  readonly rawScore: Float64Array;
  readonly trees: number;
  /** Trees grown before early stopping ended training (≥ trees; the cost of the fold). */
  readonly treesGrown: number;
}

export interface CrossFitResult {
  /** Out-of-fold F(x) (logit scale) per unit. */
  readonly rawScore: Float64Array;
  /** σ(F(x)) per unit. */
  readonly probability: Float64Array;
  /** Fold of each unit. */
  readonly foldOf: Int32Array;
  /** Trees kept per fold after early stopping. */
  readonly treesPerFold: Int32Array;
}

/** Stratified assignment of units to K folds: each treatment group is shuffled and dealt in turn. */
export function assignFolds(treat: Float64Array, folds: number, rng: Rng): Int32Array {
  const foldOf = new Int32Array(treat.length);
  let offset = 0;
  for (const group of [1, 0]) {
    const members: number[] = [];
    for (let i = 0; i < treat.length; i++) if ((treat[i] === 1 ? 1 : 0) === group) members.push(i);
    for (let i = members.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      const t = members[i]!;
      members[i] = members[j]!;
      members[j] = t;
    }
    members.forEach((unit, k) => {
      foldOf[unit] = (k + offset) % folds;
    });
    offset += members.length;
  }
  return foldOf;
}

/** Trains on all folds but `fold` (inner early stopping) and scores fold `fold`. */
export function fitGbmFold(data: BinnedData, treat: Float64Array, foldOf: Int32Array, fold: number, rng: Rng, options: CrossFitOptions = {}): FoldResult {
  const validationFraction = options.validationFraction ?? 0.2;
  const held: number[] = [];
  const trainTreated: number[] = [];
  const trainControl: number[] = [];
  for (let i = 0; i < foldOf.length; i++) {
    if (foldOf[i] === fold) held.push(i);
    else if (treat[i] === 1) trainTreated.push(i);
    else trainControl.push(i);
  }
  const train: number[] = [];
  const valid: number[] = [];
  for (const group of [trainTreated, trainControl]) {
    for (let i = group.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      const t = group[i]!;
      group[i] = group[j]!;
      group[j] = t;
    }
    const nValid = Math.round(group.length * validationFraction);
    valid.push(...group.slice(0, nValid));
    train.push(...group.slice(nValid));
  }
  // Row order does not change the model; sorted rows read the bins sequentially.
  const trainRows = Int32Array.from(train).sort();
  const validRows = Int32Array.from(valid).sort();
  const model = trainGbm(data, treat, trainRows, validRows, rng, options);
  const rows = Int32Array.from(held);
  return { fold, rows, rawScore: predictGbm(model, data, rows), trees: model.trees.length, treesGrown: Math.max(model.validationLoss.length, model.trees.length) };
}

export function crossFitGbm(data: BinnedData, treat: Float64Array, rng: Rng, options: CrossFitOptions = {}): CrossFitResult {
  const folds = options.folds ?? 5;
  if (!(Number.isInteger(folds) && folds >= 2)) throw new CausalInputError(`Cross-fitting needs an integer number of folds ≥ 2, got ${folds}.`);
  if (treat.length !== data.rows) throw new CausalInputError(`The treatment has ${treat.length} values but the data have ${data.rows} rows.`);
  const foldOf = assignFolds(treat, folds, rng);
  const rawScore = new Float64Array(data.rows);
  const treesPerFold = new Int32Array(folds);
  for (let k = 0; k < folds; k++) {
    const result = fitGbmFold(data, treat, foldOf, k, rng.derive(`gbm-fold-${k}`), options);
    result.rows.forEach((r, s) => {
      rawScore[r] = result.rawScore[s]!;
    });
    treesPerFold[k] = result.trees;
  }
  return { rawScore, probability: rawScore.map(sigmoid), foldOf, treesPerFold };
}
