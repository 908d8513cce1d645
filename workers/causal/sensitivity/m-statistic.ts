/**
 * Rosenbaum bounds for k:1 and variable-ratio matched sets with a Huber–Maritz M-statistic, in
 * the style of `sensitivitymv::senmv` (Rosenbaum 2007, Biometrics 63:456–464; separable
 * approximation of Gastwirth, Krieger & Rosenbaum 2000). METHODS.md §6.1.
 *
 * Scores (`mscorev`, TonT = FALSE): in set i with n_i observed outcomes,
 *   h      = quantile_λ(|y_ij − y_ik|) over all ordered within-set pairs (R type-7 quantile)
 *   ψ(x)   = sign(x)·min(1, max(0, |x| − inner)/(trim − inner))   (trim < ∞)
 *            sign(x)·max(0, |x| − inner)                          (trim = ∞; no scaling when
 *                                                                   inner = 0 as well)
 *   q_ij   = (1/n_i) Σ_{k≠j} ψ((y_ij − y_ik)/h)
 * Test statistic T = Σ_i q_i,treated. Separable bound at Γ: sort q_i ascending; for each
 * a = 1..n_i−1 put weight 1 on the a smallest and Γ on the rest, p = w/Σw;
 *   μ_a = Σ p q,  σ²_a = Σ p q² − μ_a²;  take the a with the largest μ (ties: largest σ²);
 *   upper-bound p = 1 − Φ((T − Σμ)/√Σσ²).
 * Only valid for matching without replacement (independent matched sets).
 */
import { CausalInputError } from '../errors';
import { normalCdf } from '../stats/distributions';
import type { Matrix } from '../types';
import { largestSignificantGamma, type Alternative } from './rosenbaum';

export interface MStatisticOptions {
  /** Γ values to tabulate; default 1, 1.1, …, 3. */
  gammas?: readonly number[];
  alpha?: number;
  alternative?: Alternative;
  /** ψ is 0 for |x| ≤ inner; default 0. */
  inner?: number;
  /** ψ is ±1 for |x| ≥ trim; default 3 (senmv's default). Infinity gives the unscaled mean-type statistic. */
  trim?: number;
  /** Quantile of the absolute within-set differences used as the scale h; default 1/2. */
  lambda?: number;
}

export interface MStatisticBound {
  gamma: number;
  pValue: number;
  deviate: number;
  expectation: number;
  variance: number;
}

export interface MStatisticResult {
  method: 'huber-maritz-m';
  alternative: Alternative;
  alpha: number;
  nSets: number;
  statistic: number;
  scale: number;
  table: MStatisticBound[];
  gammaStar: number | null;
}

const DEFAULT_GAMMAS: readonly number[] = Array.from({ length: 21 }, (_, i) => Math.round((1 + i * 0.1) * 10) / 10);

/** R's `quantile(x, p, type = 7)` on an unsorted array (copied and sorted here). */
function quantileType7(values: number[], p: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Per-set scores q (row-major like `sets`, NaN where the outcome is missing) and the scale h.
 * `sets`: one row per matched set, column 0 the treated outcome, columns 1.. the controls,
 * NaN for empty control slots.
 */
export function mScores(sets: Matrix, inner: number, trim: number, lambda: number): { scores: Float64Array; scale: number } {
  const { rows, cols, data } = sets;
  const absDiffs: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const a = data[i * cols + j]!;
      if (Number.isNaN(a)) continue;
      for (let k = 0; k < cols; k++) {
        const b = data[i * cols + k]!;
        if (k !== j && !Number.isNaN(b)) absDiffs.push(Math.abs(a - b));
      }
    }
  }
  const scaled = trim < Infinity || inner > 0;
  let scale = 1;
  if (scaled) {
    scale = quantileType7(absDiffs, lambda);
    if (!(scale > 0)) {
      throw new CausalInputError(`The ${lambda} quantile of the within-set outcome differences is 0; increase lambda (more than that share of differences are zero).`, { lambda });
    }
  }
  const psi = (x: number): number => {
    if (!scaled) return x;
    const u = x / scale;
    const ab = Math.abs(u);
    let v: number;
    if (trim < Infinity && inner < trim) v = Math.min(1, Math.max(0, ab - inner) / (trim - inner));
    else if (trim < Infinity) v = ab > inner ? 1 : 0;
    else v = Math.max(0, ab - inner);
    return Math.sign(u) * v;
  };
  const scores = new Float64Array(rows * cols).fill(Number.NaN);
  for (let i = 0; i < rows; i++) {
    let n = 0;
    for (let j = 0; j < cols; j++) if (!Number.isNaN(data[i * cols + j]!)) n++;
    for (let j = 0; j < cols; j++) {
      const a = data[i * cols + j]!;
      if (Number.isNaN(a)) continue;
      let s = 0;
      for (let k = 0; k < cols; k++) {
        const b = data[i * cols + k]!;
        if (k !== j && !Number.isNaN(b)) s += psi(a - b);
      }
      scores[i * cols + j] = s / n;
    }
  }
  return { scores, scale };
}

/** Worst-case (largest) null expectation and its variance for one set's scores at Γ. */
export function separableMoments(q: Float64Array, gamma: number): { mean: number; variance: number } {
  const sorted = Float64Array.from(q).sort();
  const n = sorted.length;
  let bestMu = -Infinity;
  let bestVar = -Infinity;
  for (let a = 1; a < n; a++) {
    const denom = a + (n - a) * gamma;
    let mu = 0;
    let m2 = 0;
    for (let j = 0; j < n; j++) {
      const w = (j < a ? 1 : gamma) / denom;
      mu += w * sorted[j]!;
      m2 += w * sorted[j]! * sorted[j]!;
    }
    const v = m2 - mu * mu;
    if (mu > bestMu) {
      bestMu = mu;
      bestVar = v;
    } else if (mu === bestMu) bestVar = Math.max(bestVar, v);
  }
  return { mean: bestMu, variance: bestVar };
}

/** Sensitivity bounds for an M-statistic over matched sets (treated in column 0). */
export function rosenbaumMStatistic(sets: Matrix, options: MStatisticOptions = {}): MStatisticResult {
  const gammas = options.gammas ?? DEFAULT_GAMMAS;
  const alpha = options.alpha ?? 0.05;
  const alternative = options.alternative ?? 'greater';
  const inner = options.inner ?? 0;
  const trim = options.trim ?? 3;
  const lambda = options.lambda ?? 0.5;
  if (sets.cols < 2) throw new CausalInputError('Matched sets need a treated column and at least one control column.', { cols: sets.cols });
  if (!(inner >= 0 && trim >= inner)) throw new CausalInputError(`Need 0 ≤ inner ≤ trim; got inner = ${inner}, trim = ${trim}.`, { inner, trim });
  if (!(lambda > 0 && lambda < 1)) throw new CausalInputError(`lambda must lie strictly between 0 and 1; got ${lambda}.`, { lambda });
  for (const g of gammas) if (!(g >= 1 && Number.isFinite(g))) throw new CausalInputError(`Every Γ must be a finite number ≥ 1; got ${g}.`, { gamma: g });

  const { rows, cols } = sets;
  const sign = alternative === 'greater' ? 1 : -1;
  const kept: number[] = [];
  for (let i = 0; i < rows; i++) {
    const t = sets.data[i * cols]!;
    if (Number.isNaN(t)) throw new CausalInputError(`Matched set ${i + 1} has no treated outcome.`, { set: i + 1 });
    let controls = 0;
    for (let j = 1; j < cols; j++) if (!Number.isNaN(sets.data[i * cols + j]!)) controls++;
    if (controls > 0) kept.push(i);
  }
  if (kept.length === 0) throw new CausalInputError('No matched set has both a treated and a control outcome.', {});
  const data = new Float64Array(kept.length * cols);
  kept.forEach((i, r) => {
    for (let j = 0; j < cols; j++) data[r * cols + j] = sign * sets.data[i * cols + j]!;
  });
  const { scores, scale } = mScores({ data, rows: kept.length, cols }, inner, trim, lambda);

  let statistic = 0;
  const setScores: Float64Array[] = [];
  for (let r = 0; r < kept.length; r++) {
    statistic += scores[r * cols]!;
    const q: number[] = [];
    for (let j = 0; j < cols; j++) {
      const v = scores[r * cols + j]!;
      if (!Number.isNaN(v)) q.push(v);
    }
    setScores.push(Float64Array.from(q));
  }

  const bound = (gamma: number): MStatisticBound => {
    let expectation = 0;
    let variance = 0;
    for (const q of setScores) {
      const m = separableMoments(q, gamma);
      expectation += m.mean;
      variance += m.variance;
    }
    const deviate = (statistic - expectation) / Math.sqrt(variance);
    return { gamma, pValue: normalCdf(deviate, { lowerTail: false }), deviate, expectation, variance };
  };
  return {
    method: 'huber-maritz-m',
    alternative,
    alpha,
    nSets: kept.length,
    statistic,
    scale,
    table: gammas.map(bound),
    gammaStar: largestSignificantGamma((g) => bound(g).pValue, alpha),
  };
}
