/**
 * Seeded bootstrap for effect estimates (METHODS §4.5).
 *
 * - `clusterBootstrap`: resamples matched sets with replacement (G draws from G sets) and hands
 *   the estimator a multiplicity per unit (how often its set was drawn); the estimator refits
 *   with weights w_i · m_i, which is the same as refitting on the stacked resampled rows.
 *   Valid after matching WITHOUT replacement (Abadie & Spiess 2022; Austin & Small 2014).
 * - `unitBootstrap`: the "full re-run" bootstrap. Resamples units (optionally within strata,
 *   e.g. treatment groups, to keep n1 and n0 fixed) and calls a caller-supplied pure function
 *   indices → estimate, so the pipeline can redo PS estimation + matching + estimation in each
 *   replicate. This is the one to use after matching WITH replacement, where the naive pairs
 *   bootstrap is invalid (Abadie & Imbens 2008).
 * - `matchedBootstrap`: clusterBootstrap with the difference-in-means or g-computation refit.
 *
 * Summaries over the B successful replicates t*_b (B default 999, MacKinnon):
 *   SE = sd(t*) (denominator B − 1);  normal CI = t̂ ± z_{0.975} SE;
 *   percentile CI = R `quantile(t*, c(.025, .975), type = 7)`.
 * Intervals and p-values are normal-based (df = Infinity). A replicate whose estimator throws a
 * CausalInputError (e.g. no controls drawn) or returns a non-finite value is counted as failed
 * and left out; more than `maxFailureFraction` failures is an error.
 */
import type { EffectEstimate, Estimand, Matrix } from '../types';
import type { Rng } from '../random/rng';
import { CausalInputError } from '../errors';
import { normalQuantile } from '../stats/distributions';
import { toEffectEstimate } from './interval';
import { gComputationEstimate } from './g-computation';
import { weightedGroupMeans } from './difference-in-means';

export interface BootstrapOptions {
  readonly rng: Rng;
  /** Number of replicates B; default 999. */
  readonly replicates?: number;
  readonly estimand?: Estimand;
  /** Largest tolerated share of failed replicates; default 0.05. */
  readonly maxFailureFraction?: number;
}

export interface BootstrapResult {
  /** The estimator on the original sample. */
  readonly estimate: number;
  /** Successful replicate estimates, in draw order. */
  readonly replicates: Float64Array;
  readonly se: number;
  readonly bias: number;
  readonly percentileCi: readonly [number, number];
  readonly normalCi: readonly [number, number];
  readonly nFailed: number;
  /** SE, normal interval and normal p-value in the shared shape. */
  readonly effect: EffectEstimate;
}

function summarise(estimate: number, values: number[], nFailed: number, options: BootstrapOptions, label: string): BootstrapResult {
  const B = values.length + nFailed;
  const maxFail = options.maxFailureFraction ?? 0.05;
  if (values.length < 2 || nFailed > maxFail * B) {
    throw new CausalInputError(`${nFailed} of ${B} bootstrap replicates could not be estimated (e.g. a replicate drew no treated or no control units); the sample is too small or too unbalanced for this bootstrap.`, { failed: nFailed, replicates: B });
  }
  const reps = Float64Array.from(values);
  let mean = 0;
  for (const v of reps) mean += v;
  mean /= reps.length;
  let ss = 0;
  for (const v of reps) ss += (v - mean) * (v - mean);
  const se = Math.sqrt(ss / (reps.length - 1));
  const sorted = Float64Array.from(reps).sort();
  const z = normalQuantile(0.975);
  const effect = toEffectEstimate({ estimand: options.estimand ?? 'ATT', estimate, se, df: Number.POSITIVE_INFINITY, seType: `bootstrap (${label}, B = ${reps.length})` });
  return {
    estimate,
    replicates: reps,
    se,
    bias: mean - estimate,
    percentileCi: [quantileType7(sorted, 0.025), quantileType7(sorted, 0.975)],
    normalCi: [estimate - z * se, estimate + z * se],
    nFailed,
    effect,
  };
}

/** R's default quantile (type 7) of an ascending array. */
export function quantileType7(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function runReplicate(fn: () => number): number | null {
  try {
    const v = fn();
    return Number.isFinite(v) ? v : null;
  } catch (error) {
    if (error instanceof CausalInputError) return null;
    throw error;
  }
}

/**
 * Cluster bootstrap over matched sets. `cluster[i]` is unit i's set (−1 = not in the matched
 * sample, multiplicity always 0). `statistic(multiplicity)` must return the estimate with unit
 * weights multiplied by `multiplicity[i]`; on the original sample every clustered unit has 1.
 */
export function clusterBootstrap(cluster: Int32Array, statistic: (multiplicity: Float64Array) => number, options: BootstrapOptions): BootstrapResult {
  const n = cluster.length;
  const ids = new Map<number, number>();
  const dense = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const c = cluster[i]!;
    if (c < 0) continue;
    let d = ids.get(c);
    if (d === undefined) {
      d = ids.size;
      ids.set(c, d);
    }
    dense[i] = d;
  }
  const G = ids.size;
  if (G < 2) throw new CausalInputError(`The cluster bootstrap needs at least 2 matched sets; found ${G}.`);
  const base = new Float64Array(n);
  for (let i = 0; i < n; i++) base[i] = dense[i]! >= 0 ? 1 : 0;
  const estimate = statistic(base);
  const B = options.replicates ?? 999;
  const draws = new Float64Array(G);
  const mult = new Float64Array(n);
  const values: number[] = [];
  let failed = 0;
  for (let b = 0; b < B; b++) {
    draws.fill(0);
    for (let g = 0; g < G; g++) {
      const k = options.rng.nextInt(G);
      draws[k] = draws[k]! + 1;
    }
    for (let i = 0; i < n; i++) mult[i] = dense[i]! >= 0 ? draws[dense[i]!]! : 0;
    const v = runReplicate(() => statistic(mult));
    if (v === null) failed++;
    else values.push(v);
  }
  return summarise(estimate, values, failed, options, 'matched sets');
}

export interface UnitBootstrapOptions extends BootstrapOptions {
  /** Resample within these groups (e.g. the treatment indicator) so group sizes stay fixed. */
  readonly strata?: Uint8Array | Int32Array;
}

/**
 * Full re-run bootstrap: `statistic(indices)` receives n resampled row indices (with repeats)
 * and must redo the whole analysis on those rows; it must be pure (no hidden state).
 */
export function unitBootstrap(n: number, statistic: (indices: Int32Array) => number, options: UnitBootstrapOptions): BootstrapResult {
  const identity = new Int32Array(n);
  for (let i = 0; i < n; i++) identity[i] = i;
  const estimate = statistic(identity);
  const groups: number[][] = [];
  if (options.strata) {
    if (options.strata.length !== n) throw new CausalInputError(`strata has ${options.strata.length} values but the data have ${n} rows.`);
    const byLabel = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const s = options.strata[i]!;
      let list = byLabel.get(s);
      if (!list) byLabel.set(s, (list = []));
      list.push(i);
    }
    groups.push(...byLabel.values());
  } else groups.push(Array.from(identity));
  const B = options.replicates ?? 999;
  const values: number[] = [];
  let failed = 0;
  for (let b = 0; b < B; b++) {
    const idx = new Int32Array(n);
    let o = 0;
    for (const group of groups) for (let k = 0; k < group.length; k++) idx[o++] = group[options.rng.nextInt(group.length)]!;
    const v = runReplicate(() => statistic(idx));
    if (v === null) failed++;
    else values.push(v);
  }
  return summarise(estimate, values, failed, options, options.strata ? 'units, stratified' : 'units');
}

export interface MatchedBootstrapOptions extends BootstrapOptions {
  readonly weights: Float64Array;
  readonly subclass: Int32Array;
  /** When given, each replicate refits g-computation with these covariates; else difference in means. */
  readonly covariates?: Matrix;
}

/** Weighted difference in means, without the sandwich (replicates only need the point estimate). */
function weightedDiff(y: Float64Array, treat: Uint8Array, w: Float64Array): number {
  const means = weightedGroupMeans(y, treat, w);
  return means.treatedWeight === 0 || means.controlWeight === 0 ? Number.NaN : means.treated - means.control;
}

/** Cluster (matched-set) bootstrap of the difference in means or g-computation estimate. */
export function matchedBootstrap(y: Float64Array, treat: Uint8Array, options: MatchedBootstrapOptions): BootstrapResult {
  const { weights, subclass, covariates } = options;
  const n = y.length;
  if (weights.length !== n || subclass.length !== n || treat.length !== n) throw new CausalInputError('y, treat, weights and subclass must have one value per unit.');
  const w = new Float64Array(n);
  const statistic = (mult: Float64Array): number => {
    for (let i = 0; i < n; i++) w[i] = weights[i]! * mult[i]!;
    if (!covariates) return weightedDiff(y, treat, w);
    return gComputationEstimate(y, treat, covariates, { weights: w, estimand: options.estimand });
  };
  // Units with weight 0 have no subclass in MatchIt; weighted units without one cannot be resampled.
  for (let i = 0; i < n; i++) {
    if (weights[i]! > 0 && subclass[i]! < 0) throw new CausalInputError(`Unit in row ${i + 1} has positive weight but no matched set; the matched-set bootstrap needs matching without replacement. Use unitBootstrap (full re-run) instead.`, { row: i });
  }
  return clusterBootstrap(subclass, statistic, options);
}
