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
import { cholesky, choleskyInverse, choleskySolve, crossprodRange, symmetrizeUpper } from '../linalg';

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
}

/**
 * Newton-decrement tolerance of the imputation models: the remaining step is under 0.01
 * posterior SD in every direction (gᵀH⁻¹g = ‖step‖² in SD units), negligible beside the
 * posterior draw of one SD that follows.
 */
export const IMPUTATION_DECREMENT = 1e-4;

/** Options of the logreg / polyreg imputers. */
export interface CategoricalImputeOptions {
  /** Warm start for the Newton iterations: the previous sweep's β̂ for the same model. */
  readonly start?: Float64Array;
}

/** Imputed category indices plus β̂, to warm-start the next sweep. */
export interface CategoricalImputation {
  readonly values: Int32Array;
  readonly coef: Float64Array;
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
}

/** Fills `probs` (n × K) with softmax(Xβ) and returns the weighted deviance −2ℓ. */
function probabilities(x: Matrix, y: Int32Array, w: Float64Array | undefined, coef: Float64Array, nClasses: number, probs: Float64Array): number {
  const { rows: n, cols: q, data } = x;
  const K = nClasses;
  const eta = new Float64Array(K);
  let loglik = 0;
  for (let i = 0; i < n; i++) {
    const base = i * q;
    let max = 0;
    eta[0] = 0;
    for (let c = 1; c < K; c++) {
      let s = 0;
      const off = (c - 1) * q;
      for (let j = 0; j < q; j++) s += data[base + j]! * coef[off + j]!;
      eta[c] = s;
      if (s > max) max = s;
    }
    let total = 0;
    for (let c = 0; c < K; c++) {
      const e = Math.exp(eta[c]! - max);
      probs[i * K + c] = e;
      total += e;
    }
    for (let c = 0; c < K; c++) probs[i * K + c] = probs[i * K + c]! / total;
    const wi = w ? w[i]! : 1;
    loglik += wi * (eta[y[i]!]! - max - Math.log(total));
  }
  return -2 * loglik;
}

/**
 * Score vector and information matrix at the current probabilities. Each (c, e) block of the
 * information is X diag(w π_c(δ_ce − π_e)) Xᵀ, itself symmetric, so it is one weighted
 * cross-product (`crossprodRange`, upper triangle) per block: K(K−1)/2 passes over X.
 */
function scoreAndInformation(x: Matrix, y: Int32Array, w: Float64Array | undefined, probs: Float64Array, nClasses: number): { score: Float64Array; info: Float64Array } {
  return { score: scoreVector(x, y, w, probs, nClasses), info: information(x, w, probs, nClasses) };
}

function information(x: Matrix, w: Float64Array | undefined, probs: Float64Array, K: number): Float64Array {
  const { rows: n, cols: q } = x;
  const d = (K - 1) * q;
  const info = new Float64Array(d * d);
  const weight = new Float64Array(n);
  const block = new Float64Array(q * q);
  for (let c = 1; c < K; c++) {
    const offC = (c - 1) * q;
    for (let e = c; e < K; e++) {
      const offE = (e - 1) * q;
      for (let i = 0; i < n; i++) weight[i] = (w ? w[i]! : 1) * probs[i * K + c]! * ((c === e ? 1 : 0) - probs[i * K + e]!);
      block.fill(0);
      crossprodRange(x, weight, 0, n, block);
      symmetrizeUpper(block, q);
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

/** Score g_c = Σ_i w_i x_i (1{y_i = c} − π_ic), class-major. */
function scoreVector(x: Matrix, y: Int32Array, w: Float64Array | undefined, probs: Float64Array, K: number): Float64Array {
  const { rows: n, cols: q, data } = x;
  const score = new Float64Array((K - 1) * q);
  for (let c = 1; c < K; c++) {
    const offC = (c - 1) * q;
    for (let i = 0; i < n; i++) {
      const resid = (w ? w[i]! : 1) * ((y[i] === c ? 1 : 0) - probs[i * K + c]!);
      if (resid === 0) continue;
      const base = i * q;
      for (let a = 0; a < q; a++) score[offC + a] = score[offC + a]! + resid * data[base + a]!;
    }
  }
  return score;
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
  if (options.decrement !== undefined) return fitChord(x, y, nClasses, w, options, options.decrement);
  const maxit = options.maxit ?? 100;
  const epsilon = options.epsilon ?? 1e-8;
  const K = nClasses;
  const q = x.cols;
  const d = (K - 1) * q;
  const probs = new Float64Array(x.rows * K);
  let coef: Float64Array = options.start && options.start.length === d ? Float64Array.from(options.start) : new Float64Array(d);
  let deviance = probabilities(x, y, w, coef, K, probs);
  let iterations = 0;
  let converged = false;
  let info: Float64Array = new Float64Array(0);
  while (iterations < maxit) {
    iterations++;
    const current = scoreAndInformation(x, y, w, probs, K);
    const score = current.score;
    info = current.info;
    const step = choleskySolve(factor(info, d), d, score);
    let scale = 1;
    const next = new Float64Array(d);
    let nextDeviance = Infinity;
    for (let half = 0; half < 30; half++) {
      for (let r = 0; r < d; r++) next[r] = coef[r]! + scale * step[r]!;
      nextDeviance = probabilities(x, y, w, next, K, probs);
      if (Number.isFinite(nextDeviance) && nextDeviance <= deviance + 1e-12 * Math.abs(deviance)) break;
      scale /= 2;
    }
    const change = Math.abs(nextDeviance - deviance) / (Math.abs(nextDeviance) + 0.1);
    coef = next;
    deviance = nextDeviance;
    if (change < epsilon) {
      converged = true;
      break;
    }
  }
  if (iterations === 0) info = scoreAndInformation(x, y, w, probs, K).info;
  const cov = choleskyInverse(factor(info, d), d);
  return { coef, cov, nClasses: K, iterations, converged, deviance };
}

/**
 * Modified Newton for a warm start (MICE sweeps after the first): the information H is
 * computed at the start — K(K−1)/2 weighted cross-products, the dominant cost — and reused
 * for further steps β ← β + H⁻¹g(β) (one cheap pass each for π and g) while they keep
 * shrinking at least tenfold in the decrement gᵀH⁻¹g; otherwise (far from the optimum, e.g.
 * the cold first sweep) H is recomputed, which is full Newton. Stops when the decrement is below
 * `tolerance`, taking that last step. Steps are halved while the deviance rises. The returned
 * covariance is H⁻¹ from the last evaluation of H when that was within 0.01·√n SDs of β̂ (H
 * changes by O(distance/√n) relative, under 1%, far below the Monte Carlo error of one draw);
 * otherwise H is evaluated once more at β̂.
 */
function fitChord(x: Matrix, y: Int32Array, K: number, w: Float64Array | undefined, options: MultinomialFitOptions, tolerance: number): MultinomialFit {
  const maxit = options.maxit ?? 100;
  const q = x.cols;
  const d = (K - 1) * q;
  const probs = new Float64Array(x.rows * K);
  let coef: Float64Array = options.start && options.start.length === d ? Float64Array.from(options.start) : new Float64Array(d);
  let deviance = probabilities(x, y, w, coef, K, probs);
  let lower = factor(information(x, w, probs, K), d);
  let score = scoreVector(x, y, w, probs, K);
  let previous = Infinity;
  // H was evaluated at the current β (so this step is a full Newton step).
  let fresh = true;
  // Decrement of the first step taken with the current H: its squared distance to β̂ in SDs.
  let farness = Infinity;
  let iterations = 0;
  let converged = false;
  while (iterations < maxit) {
    iterations++;
    const step = choleskySolve(lower, d, score);
    let dec = 0;
    for (let r = 0; r < d; r++) dec += score[r]! * step[r]!;
    if (fresh) farness = dec;
    if (dec < tolerance) {
      for (let r = 0; r < d; r++) coef[r] = coef[r]! + step[r]!;
      converged = true;
      break;
    }
    if (!fresh && !(dec < 0.1 * previous)) {
      lower = factor(information(x, w, probs, K), d);
      fresh = true;
      continue;
    }
    let scale = 1;
    const next = new Float64Array(d);
    let nextDeviance = Infinity;
    for (let half = 0; half < 30; half++) {
      for (let r = 0; r < d; r++) next[r] = coef[r]! + scale * step[r]!;
      nextDeviance = probabilities(x, y, w, next, K, probs);
      if (Number.isFinite(nextDeviance) && nextDeviance <= deviance + 1e-12 * Math.abs(deviance)) break;
      scale /= 2;
    }
    coef = next;
    deviance = nextDeviance;
    score = scoreVector(x, y, w, probs, K);
    previous = dec;
    fresh = false;
  }
  // H from a point more than ~0.01·√n SDs away from β̂ (a cold start) would misstate the
  // covariance by over 1%: evaluate it again at β̂.
  if (farness > 1e-4 * x.rows) {
    probabilities(x, y, w, coef, K, probs);
    lower = factor(information(x, w, probs, K), d);
  }
  const cov = choleskyInverse(lower, d);
  return { coef, cov, nClasses: K, iterations, converged, deviance };
}
