/**
 * Histogram gradient boosting for the propensity score, logistic loss (Friedman 2001;
 * XGBoost/LightGBM second-order form, METHODS.md §7.2):
 *
 *   F₀ = log(ȳ/(1 − ȳ)),  p = σ(F),  g = p − y,  h = max(p(1 − p), 1e-16)
 *   F ← F + tree(g, h) on a row subsample (default 0.5, drawn with the seeded Rng)
 *
 * Early stopping: after each tree, the log-loss on the validation rows; training stops when it
 * has not improved for `patience` trees (default 50) or at `maxTrees` (2000), and the model is
 * truncated to the best iteration. Defaults: depth 3 (MatchIt/twang `interaction.depth`),
 * shrinkage 0.1, subsample 0.5, λ = 1, min_data_in_leaf 20, min child hessian 1e-3.
 *
 * Why shrinkage 0.1 and subsample 0.5: METHODS.md §7.2 allows η ∈ [0.05, 0.1] and subsample
 * ∈ [0.5, 0.8]; 0.1 is the LightGBM/sklearn default, 0.5 is R gbm's `bag.fraction` default and
 * Friedman's (2002) stochastic gradient boosting recommendation. Early stopping picks the
 * number of trees, so a larger η costs little accuracy: on the 100k × 30 benchmark
 * (bench/propensity-gbm.ts, 5 folds) the out-of-fold AUC / log-loss were 0.7595 / 0.5811
 * with (0.05, 0.8), 0.7596 / 0.5810 with (0.1, 0.8) and 0.7604 / 0.5803 with (0.1, 0.5), at
 * 4218, 2529 and 2366 trees grown (each tree on 37% fewer rows with 0.5); these differences
 * are within seed-to-seed variation ((0.05, 0.8) with another sampling stream: 0.7606 /
 * 0.5801), so the cheaper setting loses nothing measurable. Patience stays at
 * 50 trees, which at η = 0.1 covers about the progress of 100 trees at η = 0.05.
 *
 * `trainGbm` is a pure function of (binned data, labels, row sets, options, rng), so folds of
 * a cross-fit can run in separate worker threads.
 */
import { CausalInputError } from '../errors';
import type { Rng } from '../random/rng';
import type { BinnedData } from './binning';
import type { Tree, TreeOptions } from './histogram-tree';
import { addTreeToScores, growTree, predictTreeRow, TreeWorkspace } from './histogram-tree';

export interface GbmOptions {
  readonly learningRate?: number;
  readonly maxDepth?: number;
  readonly lambda?: number;
  readonly minDataInLeaf?: number;
  readonly minChildHessian?: number;
  /** Fraction of training rows per tree (default 0.5). */
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
    learningRate: o.learningRate ?? 0.1,
    maxDepth: o.maxDepth ?? 3,
    lambda: o.lambda ?? 1,
    minDataInLeaf: o.minDataInLeaf ?? 20,
    minChildHessian: o.minChildHessian ?? 1e-3,
    subsample: o.subsample ?? 0.5,
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
  // (g, h) of row r at 2r, 2r + 1: one cache line serves both in the histogram pass.
  const gh = new Float64Array(2 * n);
  for (let s = 0; s < trainRows.length; s++) score[trainRows[s]!] = init;
  for (let s = 0; s < validRows.length; s++) score[validRows[s]!] = init;
  const ws = new TreeWorkspace(data.cols, trainRows.length, o.maxDepth);
  // Sampled rows (ascending, then permuted into leaf segments by growTree) and the rest.
  const index = new Int32Array(trainRows.length);
  const unsampled = new Int32Array(trainRows.length);
  const trees: Tree[] = [];
  const losses: number[] = [];
  let bestLoss = Infinity;
  let bestIteration = 0;
  // Row subsampling: each row is kept with probability `subsample`, decided by a 13-bit
  // uniform chunk c (four per rng.next(), which is the costly part of this loop): keep if
  // c < ⌊8192 q⌋, and on c = ⌊8192 q⌋ with probability frac(8192 q), so P(keep) = q exactly.
  const scaled = o.subsample * 8192;
  const cut = Math.floor(scaled);
  const frac = scaled - cut;
  const sampleAll = o.subsample >= 1;
  for (let iter = 0; iter < o.maxTrees; iter++) {
    let m = 0;
    let u = 0;
    let bits = 0;
    let chunks = 0;
    for (let s = 0; s < trainRows.length; s++) {
      const r = trainRows[s]!;
      if (!sampleAll) {
        if (chunks === 0) {
          bits = Math.floor(rng.next() * 4503599627370496);
          chunks = 4;
        }
        // bits < 2⁵²: low and high 26-bit halves, two 13-bit chunks each.
        const high = Math.floor(bits / 67108864);
        const half = chunks > 2 ? high : bits - high * 67108864;
        const c = chunks % 2 === 0 ? half & 8191 : half >>> 13;
        chunks--;
        if (c > cut || (c === cut && !(rng.next() < frac))) {
          unsampled[u++] = r;
          continue;
        }
      }
      const pr = 1 / (1 + Math.exp(-score[r]!));
      const h = pr * (1 - pr);
      gh[2 * r] = pr - y[r]!;
      gh[2 * r + 1] = h > 1e-16 ? h : 1e-16;
      index[m++] = r;
    }
    const tree = growTree(data, gh, index, m, treeOptions, ws);
    trees.push(tree);
    // Sampled rows: their leaf is known from the partition, no traversal needed.
    for (let leaf = 0; leaf < ws.leafCount; leaf++) {
      const v = tree.value[ws.leafNode[leaf]!]!;
      const end = ws.leafEnd[leaf]!;
      for (let s = ws.leafStart[leaf]!; s < end; s++) {
        const r = index[s]!;
        score[r] = score[r]! + v;
      }
    }
    addTreeToScores(tree, data, unsampled, u, score);
    if (validRows.length === 0) continue;
    addTreeToScores(tree, data, validRows, validRows.length, score);
    let loss = 0;
    for (let s = 0; s < validRows.length; s++) {
      const r = validRows[s]!;
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
