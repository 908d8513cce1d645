/**
 * Histogram gradient boosting for the propensity score, logistic loss (Friedman 2001;
 * XGBoost/LightGBM second-order form, METHODS.md §7.2):
 *
 *   F₀ = log(ȳ/(1 − ȳ)),  p = σ(F),  g = p − y,  h = max(p(1 − p), 1e-16)
 *   F ← F + tree(g, h) on a row subsample (default 0.8, drawn with the seeded Rng)
 *
 * Early stopping: after each tree, the log-loss on the validation rows; training stops when it
 * has not improved for `patience` trees (default 50) or at `maxTrees` (2000), and the model is
 * truncated to the best iteration. Defaults: depth 3 (MatchIt/twang `interaction.depth`),
 * shrinkage 0.05, λ = 1, min_data_in_leaf 20, min child hessian 1e-3.
 *
 * `trainGbm` is a pure function of (binned data, labels, row sets, options, rng), so folds of
 * a cross-fit can run in separate worker threads.
 */
import { CausalInputError } from '../errors';
import type { Rng } from '../random/rng';
import type { BinnedData } from './binning';
import type { Tree, TreeOptions } from './histogram-tree';
import { growTree, predictTreeRow, TreeWorkspace } from './histogram-tree';

export interface GbmOptions {
  readonly learningRate?: number;
  readonly maxDepth?: number;
  readonly lambda?: number;
  readonly minDataInLeaf?: number;
  readonly minChildHessian?: number;
  /** Fraction of training rows per tree (default 0.8). */
  readonly subsample?: number;
  /** Cap on trees (default 2000). */
  readonly maxTrees?: number;
  /** Early-stopping patience in trees (default 50). */
  readonly patience?: number;
}

export interface GbmModel {
  readonly init: number;
  readonly trees: readonly Tree[];
  /** Validation log-loss after each tree grown (before truncation); empty without validation. */
  readonly validationLoss: Float64Array;
  readonly bestIteration: number;
}

function resolve(o: GbmOptions): Required<GbmOptions> {
  const r = {
    learningRate: o.learningRate ?? 0.05,
    maxDepth: o.maxDepth ?? 3,
    lambda: o.lambda ?? 1,
    minDataInLeaf: o.minDataInLeaf ?? 20,
    minChildHessian: o.minChildHessian ?? 1e-3,
    subsample: o.subsample ?? 0.8,
    maxTrees: o.maxTrees ?? 2000,
    patience: o.patience ?? 50,
  };
  if (!(r.learningRate > 0) || !(r.subsample > 0 && r.subsample <= 1) || !(r.maxDepth >= 1 && r.maxDepth <= 12) || !(r.maxTrees >= 1)) {
    throw new CausalInputError('Invalid GBM options: need learningRate > 0, 0 < subsample ≤ 1, 1 ≤ maxDepth ≤ 12, maxTrees ≥ 1.', { ...r });
  }
  return r;
}

const sigmoid = (f: number): number => 1 / (1 + Math.exp(-f));

function logLoss(y: number, f: number): number {
  // −[y log σ(f) + (1−y) log(1−σ(f))] = log(1 + e^f) − y f, computed stably.
  return (f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f))) - y * f;
}

/**
 * Trains on `trainRows`; when `validRows` is non-empty, early-stops on their log-loss.
 * `y` is 0/1 per row of `data`.
 */
export function trainGbm(data: BinnedData, y: Float64Array, trainRows: Int32Array, validRows: Int32Array, rng: Rng, options: GbmOptions = {}): GbmModel {
  const o = resolve(options);
  const treeOptions: TreeOptions = o;
  if (trainRows.length === 0) throw new CausalInputError('The GBM has no training rows.');
  let ySum = 0;
  for (let s = 0; s < trainRows.length; s++) ySum += y[trainRows[s]!]!;
  if (ySum === 0 || ySum === trainRows.length) throw new CausalInputError('The GBM training rows contain only one treatment group; both treated and control units are needed.');
  const init = Math.log(ySum / (trainRows.length - ySum));
  const n = data.rows;
  const score = new Float64Array(n);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  for (let s = 0; s < trainRows.length; s++) score[trainRows[s]!] = init;
  for (let s = 0; s < validRows.length; s++) score[validRows[s]!] = init;
  const ws = new TreeWorkspace(data.cols, trainRows.length, o.maxDepth);
  const index = new Int32Array(trainRows.length);
  const trees: Tree[] = [];
  const losses: number[] = [];
  let bestLoss = Infinity;
  let bestIteration = 0;
  const p = data.cols;
  for (let iter = 0; iter < o.maxTrees; iter++) {
    let m = 0;
    for (let s = 0; s < trainRows.length; s++) {
      const r = trainRows[s]!;
      if (o.subsample < 1 && rng.next() >= o.subsample) continue;
      const pr = sigmoid(score[r]!);
      grad[r] = pr - y[r]!;
      hess[r] = Math.max(pr * (1 - pr), 1e-16);
      index[m++] = r;
    }
    const tree = growTree(data, grad, hess, index, m, treeOptions, ws);
    trees.push(tree);
    for (let s = 0; s < trainRows.length; s++) {
      const r = trainRows[s]!;
      score[r] = score[r]! + predictTreeRow(tree, data.bins, r * p);
    }
    if (validRows.length === 0) continue;
    let loss = 0;
    for (let s = 0; s < validRows.length; s++) {
      const r = validRows[s]!;
      score[r] = score[r]! + predictTreeRow(tree, data.bins, r * p);
      loss += logLoss(y[r]!, score[r]!);
    }
    loss /= validRows.length;
    losses.push(loss);
    if (loss < bestLoss) {
      bestLoss = loss;
      bestIteration = iter + 1;
    } else if (iter + 1 - bestIteration >= o.patience) break;
  }
  if (validRows.length === 0) bestIteration = trees.length;
  return { init, trees: trees.slice(0, bestIteration), validationLoss: Float64Array.from(losses), bestIteration };
}

/** Raw additive score F(x) (the logit) for the given rows of `data` (all rows when omitted). */
export function predictGbm(model: GbmModel, data: BinnedData, rows?: Int32Array): Float64Array {
  const count = rows === undefined ? data.rows : rows.length;
  const out = new Float64Array(count).fill(model.init);
  const p = data.cols;
  for (const tree of model.trees) {
    for (let s = 0; s < count; s++) {
      const r = rows === undefined ? s : rows[s]!;
      out[s] = out[s]! + predictTreeRow(tree, data.bins, r * p);
    }
  }
  return out;
}

export { sigmoid };
