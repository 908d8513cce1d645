/**
 * Weighted multinomial logistic regression by Newton–Raphson, in float64: the model that mice's
 * `polyreg` fits with `nnet::multinom` (baseline category = the first level).
 *
 *   P(Y = c | x) = exp(xᵀβ_c) / Σ_d exp(xᵀβ_d),   β_0 = 0,  c = 1..K−1
 *   log-likelihood ℓ(β) = Σ_i w_i log π_{i,y_i}
 *   score     g_c   = Σ_i w_i x_i (1{y_i = c} − π_ic)
 *   information H_cd = Σ_i w_i π_ic (δ_cd − π_id) x_i x_iᵀ
 *
 * Newton steps β ← β + H⁻¹g with step halving when ℓ falls, stopped by glm.fit's rule
 * |dev − dev_old| / (|dev| + 0.1) < ε (ε = 1e-8). The returned covariance is H⁻¹ from the last
 * Newton step, i.e. evaluated at the iterate before the final (converged, tiny) update: that is
 * what glm.fit's `cov.unscaled` is (the QR of its last IRLS pass), and it saves one more pass
 * over the data. For K = 2 this is exactly logistic regression (Newton = IRLS for the canonical
 * link). Parameters are stacked class-major: index (c − 1)·q + j holds β_cj.
 */
import type { Matrix } from '../types';
import { cholesky, choleskyInverse, choleskySolve } from '../linalg';
import { matrixBlock, spreadCoef } from './row-block';
import type { RowBlock } from './row-block';

export interface MultinomialFitOptions {
  readonly maxit?: number;
  readonly epsilon?: number;
  /** Starting coefficients (e.g. the previous Gibbs sweep's estimate); zeros by default. */
  readonly start?: Float64Array;
  /**
   * Switches to the modified-Newton ("chord") iteration below, stopped when the Newton
   * decrement gᵀH⁻¹g falls under this value. Unset: full Newton with glm.fit's rule.
   */
  readonly decrement?: number;
  /**
   * Cholesky factor of the information from an earlier fit of the same model (the previous
   * sweep's `informationFactor`) or of an approximation to it (start-values.ts), used for the
   * chord steps instead of evaluating H at `start`. Only with `decrement`; H is still evaluated
   * near β̂ for the covariance.
   */
  readonly startFactor?: Float64Array;
  /**
   * `startFactor` is the information of this same model at the previous Gibbs sweep (not an
   * approximation): it may then also serve as the covariance, when the chord steps show it is
   * within about 10% of H at β̂ (see `fitChord`).
   */
  readonly startFactorIsPrevious?: boolean;
}

/**
 * Newton-decrement tolerance of the imputation models: the remaining step is under 0.01
 * posterior SD in every direction (gᵀH⁻¹g = ‖step‖² in SD units), negligible beside the
 * posterior draw of one SD that follows.
 */
export const IMPUTATION_DECREMENT = 1e-4;

/** Options of the logreg / polyreg imputers: the warm start of their fit (`MultinomialFitOptions`). */
export type CategoricalImputeOptions = Pick<MultinomialFitOptions, 'start' | 'startFactor' | 'startFactorIsPrevious'>;

/** Imputed category indices plus β̂ and the information factor, to warm-start the next sweep. */
export interface CategoricalImputation {
  readonly values: Int32Array;
  readonly coef: Float64Array;
  readonly informationFactor: Float64Array;
}

export interface MultinomialFit {
  /** (K − 1)·q coefficients, class-major; class 0 is the baseline. */
  readonly coef: Float64Array;
  /** ((K − 1)q)² covariance H⁻¹ at the estimate, row-major. */
  readonly cov: Float64Array;
  readonly nClasses: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly deviance: number;
  /** Lower Cholesky factor of the information H that `cov` inverts. */
  readonly informationFactor: Float64Array;
}

/**
 * Rows of the fit, read in place (row-block.ts), the class index of each row and its prior
 * weight (one number for the whole block, e.g. the augmentation rows, or one per row).
 * Several blocks spare stacking the observed and augmentation rows into one new matrix. Every
 * block has the same number of columns (the model's q), in the same order.
 */
export interface FitBlock {
  readonly x: RowBlock;
  readonly y: Int32Array;
  readonly weight: number | Float64Array;
}

/**
 * Fills `probs[b]` (nRows × K per block) with softmax(Xβ), adds the score g_c = Σ_i w_i x_i
 * (1{y_i = c} − π_ic) to `score` (class-major, zeroed here) and returns the weighted deviance
 * −2ℓ. Per block: one `dots` pass for the K − 1 linear predictors and one `xtv` pass for the
 * K − 1 scores (row-kernels.ts), with the softmax in between.
 */
function evaluate(blocks: readonly FitBlock[], coef: Float64Array, K: number, probs: readonly Float64Array[], score: Float64Array): number {
  score.fill(0);
  let loglik = 0;
  blocks.forEach((fb, bi) => {
    const block = fb.x;
    const nRows = block.nRows;
    const q = block.cols.length;
    const groups = K - 1;
    const linear = block.kernels.dots(block.rows, nRows, spreadCoef(block, coef, groups), groups);
    const resid = new Float64Array(nRows * groups);
    const p = probs[bi]!;
    const y = fb.y;
    const weight = fb.weight;
    loglik += K === 2 ? logisticRows(linear, y, weight, p, resid) : softmaxRows(linear, K, y, weight, p, resid);
    const g = block.kernels.xtv(block.rows, nRows, resid, groups);
    const stride = block.kernels.stride;
    for (let c = 0; c < groups; c++) {
      for (let a = 0; a < q; a++) score[c * q + a] = score[c * q + a]! + g[c * stride + block.cols[a]!]!;
    }
  });
  return -2 * loglik;
}

/**
 * `evaluate`'s row loop for K > 2 classes: π_i = softmax(0, η_i1 … η_i,K−1) with the largest
 * η subtracted before exp, the weighted residuals w_i(1{y_i = c} − π_ic) for c ≥ 1, and
 * Σ w log π_y as the return value (summed in a local: a captured variable updated per row would
 * cost a heap number each time).
 */
function softmaxRows(linear: Float64Array, K: number, y: Int32Array, weight: number | Float64Array, p: Float64Array, resid: Float64Array): number {
  const groups = K - 1;
  const eta = new Float64Array(K);
  let loglik = 0;
  const n = linear.length / groups;
  for (let i = 0; i < n; i++) {
    let max = 0;
    eta[0] = 0;
    for (let c = 1; c < K; c++) {
      const s = linear[i * groups + c - 1]!;
      eta[c] = s;
      if (s > max) max = s;
    }
    let total = 0;
    for (let c = 0; c < K; c++) {
      const e = Math.exp(eta[c]! - max);
      eta[c] = e;
      total += e;
    }
    const wi = typeof weight === 'number' ? weight : weight[i]!;
    const yi = y[i]!;
    loglik += wi * ((yi === 0 ? 0 : linear[i * groups + yi - 1]!) - max - Math.log(total));
    for (let c = 0; c < K; c++) p[i * K + c] = eta[c]! / total;
    for (let c = 1; c < K; c++) resid[i * groups + c - 1] = wi * ((yi === c ? 1 : 0) - p[i * K + c]!);
  }
  return loglik;
}

/**
 * The two-class case of `evaluate`'s row loop: with e = exp(−|η|), π₁ = 1/(1 + e) for η ≥ 0 and
 * e/(1 + e) otherwise (π₀ likewise, never 1 − π₁, which would lose π₀'s digits when π₁ ≈ 1),
 * log(1 + exp(η)) = max(η, 0) + log1p(e): one exp and one log1p per row. Returns Σ w log π_y.
 */
function logisticRows(linear: Float64Array, y: Int32Array, weight: number | Float64Array, p: Float64Array, resid: Float64Array): number {
  let loglik = 0;
  for (let i = 0; i < linear.length; i++) {
    const s = linear[i]!;
    const e = Math.exp(-Math.abs(s));
    const p1 = s >= 0 ? 1 / (1 + e) : e / (1 + e);
    const p0 = s >= 0 ? e / (1 + e) : 1 / (1 + e);
    p[2 * i] = p0;
    p[2 * i + 1] = p1;
    const wi = typeof weight === 'number' ? weight : weight[i]!;
    const yi = y[i]!;
    loglik += wi * ((yi === 1 ? s : 0) - (s > 0 ? s : 0) - Math.log1p(e));
    resid[i] = wi * (yi === 1 ? p0 : -p1);
  }
  return loglik;
}

/**
 * Information matrix at the current probabilities. Each (c, e) block of the information is
 * X diag(w π_c(δ_ce − π_e)) Xᵀ, itself symmetric, so it is one weighted cross-product
 * (`gram`) per block: K(K−1)/2 passes over the rows.
 */
function information(blocks: readonly FitBlock[], probs: readonly Float64Array[], K: number): Float64Array {
  const q = blocks[0]!.x.cols.length;
  const d = (K - 1) * q;
  const info = new Float64Array(d * d);
  const block = new Float64Array(q * q);
  for (let c = 1; c < K; c++) {
    const offC = (c - 1) * q;
    for (let e = c; e < K; e++) {
      const offE = (e - 1) * q;
      block.fill(0);
      blocks.forEach((fb, bi) => {
        const { kernels, rows, nRows, cols } = fb.x;
        const p = probs[bi]!;
        const weight = new Float64Array(nRows);
        for (let i = 0; i < nRows; i++) weight[i] = (typeof fb.weight === 'number' ? fb.weight : fb.weight[i]!) * p[i * K + c]! * ((c === e ? 1 : 0) - p[i * K + e]!);
        const g = kernels.gram(rows, nRows, weight);
        const stride = kernels.stride;
        for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) block[a * q + b] = block[a * q + b]! + g[cols[a]! * stride + cols[b]!]!;
      });
      for (let a = 0; a < q; a++) {
        for (let b = 0; b < q; b++) {
          info[(offC + a) * d + offE + b] = block[a * q + b]!;
          info[(offE + b) * d + offC + a] = block[a * q + b]!;
        }
      }
    }
  }
  return info;
}

/** Cholesky factor of the information, with a small diagonal ridge if it is not PD. */
function factor(info: Float64Array, d: number): Float64Array {
  const lower = cholesky(info, d);
  if (lower) return lower;
  const ridged = Float64Array.from(info);
  for (let r = 0; r < d; r++) ridged[r * d + r] = info[r * d + r]! * (1 + 1e-5) + 1e-10;
  const again = cholesky(ridged, d);
  if (!again) throw new RangeError('the multinomial information matrix is singular');
  return again;
}

export function fitMultinomial(
  x: Matrix,
  y: Int32Array,
  nClasses: number,
  w?: Float64Array,
  options: MultinomialFitOptions = {},
): MultinomialFit {
  return fitMultinomialBlocks([{ x: matrixBlock(x), y, weight: w ?? 1 }], nClasses, options);
}

/** `fitMultinomial` over rows read in place from one or more blocks (same columns in each). */
export function fitMultinomialBlocks(blocks: readonly FitBlock[], nClasses: number, options: MultinomialFitOptions = {}): MultinomialFit {
  if (options.decrement !== undefined) return fitChord(blocks, nClasses, options, options.decrement);
  const maxit = options.maxit ?? 100;
  const epsilon = options.epsilon ?? 1e-8;
  const K = nClasses;
  const q = blocks[0]!.x.cols.length;
  const d = (K - 1) * q;
  const probs = blocks.map((b) => new Float64Array(b.x.nRows * K));
  let score = new Float64Array(d);
  let coef: Float64Array = options.start && options.start.length === d ? Float64Array.from(options.start) : new Float64Array(d);
  let deviance = evaluate(blocks, coef, K, probs, score);
  let iterations = 0;
  let converged = false;
  let info: Float64Array = new Float64Array(0);
  while (iterations < maxit) {
    iterations++;
    info = information(blocks, probs, K);
    const step = choleskySolve(factor(info, d), d, score);
    const nextScore = new Float64Array(d);
    let scale = 1;
    const next = new Float64Array(d);
    let nextDeviance = Infinity;
    for (let half = 0; half < 30; half++) {
      for (let r = 0; r < d; r++) next[r] = coef[r]! + scale * step[r]!;
      nextDeviance = evaluate(blocks, next, K, probs, nextScore);
      if (Number.isFinite(nextDeviance) && nextDeviance <= deviance + 1e-12 * Math.abs(deviance)) break;
      scale /= 2;
    }
    const change = Math.abs(nextDeviance - deviance) / (Math.abs(nextDeviance) + 0.1);
    coef = next;
    score = nextScore;
    deviance = nextDeviance;
    if (change < epsilon) {
      converged = true;
      break;
    }
  }
  if (iterations === 0) info = information(blocks, probs, K);
  const lower = factor(info, d);
  const cov = choleskyInverse(lower, d);
  return { coef, cov, nClasses: K, iterations, converged, deviance, informationFactor: lower };
}

/**
 * Modified Newton for a warm start (MICE sweeps after the first): the information H is
 * computed at the start — K(K−1)/2 weighted cross-products, the dominant cost — and reused
 * for further steps β ← β + H⁻¹g(β) (one cheap pass each for π and g) while they keep
 * shrinking at least tenfold in the decrement gᵀH⁻¹g; otherwise (far from the optimum, e.g.
 * the cold first sweep) H is recomputed, which is full Newton. Stops when the decrement is below
 * `tolerance`, taking that last step. Steps are halved while the deviance rises. With
 * `startFactor` the first chord matrix is the previous sweep's H instead (the same test
 * recomputes it if steps stop shrinking tenfold). The returned
 * covariance is H⁻¹ from the last evaluation of H when that was within 0.01·√n SDs of β̂ (H
 * changes by O(distance/√n) relative, under 1%, far below the Monte Carlo error of one draw);
 * otherwise H is evaluated once more, at the last iterate's probabilities (within 0.01 SD of β̂),
 * unless the previous sweep's H passed the contraction test below.
 */
function fitChord(blocks: readonly FitBlock[], K: number, options: MultinomialFitOptions, tolerance: number): MultinomialFit {
  const maxit = options.maxit ?? 100;
  const q = blocks[0]!.x.cols.length;
  const d = (K - 1) * q;
  const nRows = blocks.reduce((total, b) => total + b.x.nRows, 0);
  const probs = blocks.map((b) => new Float64Array(b.x.nRows * K));
  let coef: Float64Array = options.start && options.start.length === d ? Float64Array.from(options.start) : new Float64Array(d);
  let score = new Float64Array(d);
  let deviance = evaluate(blocks, coef, K, probs, score);
  // The previous sweep's H is within a few percent of H at the warm start (the data change
  // little between sweeps): as good a chord matrix, and one K(K−1)/2-Gram evaluation fewer.
  // `farness` stays infinite with it, so H is evaluated again for the covariance unless the
  // chord steps confirm H_prev (below).
  const reuse = options.startFactor !== undefined && options.startFactor.length === d * d && options.start !== undefined;
  let lower = reuse ? options.startFactor! : factor(information(blocks, probs, K), d);
  let previous = Infinity;
  // H was evaluated at the current β (so this step is a full Newton step).
  let fresh = !reuse;
  // Decrement of the first step taken with the current H: its squared distance to β̂ in SDs.
  let farness = Infinity;
  let iterations = 0;
  let converged = false;
  // Largest ratio of successive decrements while the previous sweep's H is the chord matrix
  // (−1: none measured yet; Infinity: H had to be re-evaluated).
  let slowest = reuse ? -1 : Infinity;
  while (iterations < maxit) {
    iterations++;
    const step = choleskySolve(lower, d, score);
    let dec = 0;
    for (let r = 0; r < d; r++) dec += score[r]! * step[r]!;
    if (fresh) farness = dec;
    if (iterations > 1 && !fresh) slowest = Math.max(slowest, dec / previous);
    if (dec < tolerance) {
      for (let r = 0; r < d; r++) coef[r] = coef[r]! + step[r]!;
      converged = true;
      break;
    }
    if (!fresh && !(dec < 0.1 * previous)) {
      lower = factor(information(blocks, probs, K), d);
      fresh = true;
      slowest = Infinity;
      continue;
    }
    let scale = 1;
    const next = new Float64Array(d);
    const nextScore = new Float64Array(d);
    let nextDeviance = Infinity;
    for (let half = 0; half < 30; half++) {
      for (let r = 0; r < d; r++) next[r] = coef[r]! + scale * step[r]!;
      nextDeviance = evaluate(blocks, next, K, probs, nextScore);
      if (Number.isFinite(nextDeviance) && nextDeviance <= deviance + 1e-12 * Math.abs(deviance)) break;
      scale /= 2;
    }
    coef = next;
    deviance = nextDeviance;
    score = nextScore;
    previous = dec;
    fresh = false;
  }
  // H from a point more than ~0.01·√n SDs away from β̂ (a cold start, or the previous sweep's
  // H) would misstate the covariance by over 1%: evaluate it again, at the probabilities of the
  // last iterate, which the final step (decrement < tolerance) left within 0.01 SD of β̂ — as
  // glm.fit's cov.unscaled comes from its last IRLS iteration before the final update.
  //
  // Except when the chord matrix is the previous sweep's H and every chord step shrank the
  // decrement at least 100-fold: the chord error contracts by ‖I − H_prev⁻¹H‖, so that
  // ratio (its square) puts H_prev within about 10% of H along the steps taken; between
  // sweeps of a settled chain H changes by sampling noise only (measured at 75,000 rows ×
  // 35 columns: |eigenvalues of H_prev⁻¹H − 1| ≤ 4–6%, 0.3–0.5% on average; 13–17% on the
  // sweep after the cold start, which the test rejects). H_prev is then the covariance: a
  // few percent on the parameter part of the imputation variance, itself O(1/n) of the
  // total, for K(K−1)/2 weighted Grams fewer per fit.
  const settled = options.startFactorIsPrevious === true && converged && slowest >= 0 && slowest <= 0.01;
  if (!settled && farness > 1e-4 * nRows) lower = factor(information(blocks, probs, K), d);
  const cov = choleskyInverse(lower, d);
  return { coef, cov, nClasses: K, iterations, converged, deviance, informationFactor: lower };
}
