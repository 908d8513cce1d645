/**
 * Quantile binning of covariates for histogram gradient boosting (LightGBM / sklearn
 * HistGradientBoosting style, METHODS.md §7.2). Per feature, at most `maxBins` (≤ 255) value
 * bins are cut at quantiles of a ≤ `sampleSize`-row random sample; when the sample has few
 * distinct values, every distinct value gets its own bin (cut at midpoints). Bin 0 is reserved
 * for missing (NaN), so a tree can learn where missing values go. Bins are stored row-major
 * (`bins[i * cols + f]`), the layout that makes histogram building one sequential pass.
 *
 * Value bin b ∈ 1..k covers (cut[b−2], cut[b−1]] with cut[−1] = −∞ and cut[k−1] = +∞.
 */
import { CausalInputError } from '../errors';
import type { Rng } from '../random/rng';
import type { Matrix } from '../types';

export interface Binning {
  /** Per feature: ascending cut points (length = number of value bins − 1). */
  readonly cuts: readonly Float64Array[];
  /** Per feature: number of bins including the missing bin 0. */
  readonly binCounts: Uint16Array;
}

export interface BinnedData {
  readonly bins: Uint8Array;
  readonly rows: number;
  readonly cols: number;
  readonly binning: Binning;
}

export interface BinningOptions {
  /** Value bins per feature, 2..255 (default 255). */
  readonly maxBins?: number;
  /** Rows sampled to place the cuts (default 20000). */
  readonly sampleSize?: number;
}

export function fitBinning(x: Matrix, rng: Rng, options: BinningOptions = {}): Binning {
  const maxBins = options.maxBins ?? 255;
  if (!(maxBins >= 2 && maxBins <= 255)) throw new CausalInputError(`maxBins must be between 2 and 255, got ${maxBins}.`);
  const { rows: n, cols: p, data } = x;
  const sampleSize = Math.min(n, options.sampleSize ?? 20000);
  // Sample rows without replacement (partial Fisher–Yates), shared by all features.
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = 0; i < sampleSize; i++) {
    const j = i + rng.nextInt(n - i);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const cuts: Float64Array[] = [];
  const binCounts = new Uint16Array(p);
  const values = new Float64Array(sampleSize);
  for (let f = 0; f < p; f++) {
    let m = 0;
    for (let s = 0; s < sampleSize; s++) {
      const v = data[order[s]! * p + f]!;
      if (!Number.isNaN(v)) values[m++] = v;
    }
    const sorted = values.subarray(0, m).sort();
    const distinct: number[] = [];
    for (let i = 0; i < m; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
    let featureCuts: number[];
    if (distinct.length <= maxBins) {
      featureCuts = [];
      for (let i = 1; i < distinct.length; i++) featureCuts.push((distinct[i - 1]! + distinct[i]!) / 2);
    } else {
      featureCuts = [];
      for (let b = 1; b < maxBins; b++) {
        const q = sorted[Math.floor((b * m) / maxBins)]!;
        // Cut just below the quantile value's successor so equal values share a bin.
        if (featureCuts.length === 0 || q > featureCuts[featureCuts.length - 1]!) featureCuts.push(q);
      }
      if (featureCuts[featureCuts.length - 1]! >= sorted[m - 1]!) featureCuts.pop();
    }
    cuts.push(Float64Array.from(featureCuts));
    binCounts[f] = featureCuts.length + 2;
  }
  return { cuts, binCounts };
}

/** Bin index of value v for cut points `c` (1-based; 0 for NaN). */
function binOf(c: Float64Array, v: number): number {
  if (Number.isNaN(v)) return 0;
  let lo = 0;
  let hi = c.length;
  // First cut ≥ v.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

export function applyBinning(x: Matrix, binning: Binning): BinnedData {
  const { rows: n, cols: p, data } = x;
  if (binning.cuts.length !== p) throw new CausalInputError(`The binning has ${binning.cuts.length} features but the data have ${p}.`);
  const bins = new Uint8Array(n * p);
  for (let f = 0; f < p; f++) {
    const c = binning.cuts[f]!;
    for (let i = 0; i < n; i++) bins[i * p + f] = binOf(c, data[i * p + f]!);
  }
  return { bins, rows: n, cols: p, binning };
}

export function binFeatures(x: Matrix, rng: Rng, options: BinningOptions = {}): BinnedData {
  return applyBinning(x, fitBinning(x, rng, options));
}
