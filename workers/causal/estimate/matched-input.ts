/**
 * Shared input handling for the outcome-model estimators run on a matched (or weighted) sample:
 * checks lengths and the treatment coding, and picks the variance type. Kept apart so the
 * difference-in-means and g-computation files hold only their own algorithm.
 */
import type { EffectEstimate, Estimand } from '../types';
import { CausalInputError } from '../errors';
import type { VcovType } from './sandwich';

/** Options common to the matched-sample estimators (options object comes last). */
export interface MatchedEstimatorOptions {
  /** Matching (or other) weights per unit; 0 = not in the matched sample. Default: all 1. */
  readonly weights?: Float64Array;
  /** Matched set per unit (MatchResult.subclass, −1 = none). Needed for CR0/CR1. */
  readonly subclass?: Int32Array;
  /** Target population. Default ATT. Only g-computation uses it beyond labelling the result. */
  readonly estimand?: Estimand;
  /**
   * Variance type. Default: 'CR1' (vcovCL by subclass) when `subclass` is given and every
   * weighted unit has one, else 'HC3' (matching with replacement, MatchIt vignette).
   */
  readonly vcov?: VcovType;
}

export interface MatchedEffectEstimate extends EffectEstimate {
  /** Treated and control units with positive weight. */
  readonly nTreated: number;
  readonly nControl: number;
  /** Number of matched sets used for cluster-robust SEs (undefined for HC types). */
  readonly nClusters?: number;
}

export function checkTreatment(treat: Uint8Array, n: number, what = 'outcome'): void {
  if (treat.length !== n) throw new CausalInputError(`The treatment indicator has ${treat.length} values but the ${what} has ${n}.`, { treat: treat.length, n });
  for (let i = 0; i < n; i++) {
    const t = treat[i]!;
    if (t !== 0 && t !== 1) throw new CausalInputError(`Treatment in row ${i + 1} is ${t}; it must be coded 0 (control) or 1 (treated).`, { row: i });
  }
}

export function resolveVcov(options: MatchedEstimatorOptions, n: number): VcovType {
  if (options.vcov) return options.vcov;
  const { subclass, weights } = options;
  if (!subclass) return 'HC3';
  if (subclass.length !== n) throw new CausalInputError(`The subclass vector has ${subclass.length} values but the data have ${n} rows.`);
  for (let i = 0; i < n; i++) if ((weights ? weights[i]! > 0 : true) && subclass[i]! < 0) return 'HC3';
  return 'CR1';
}

/** Counts weighted treated/control units and, for cluster types, distinct weighted subclasses. */
export function sampleCounts(treat: Uint8Array, options: MatchedEstimatorOptions, vcov: VcovType): { nTreated: number; nControl: number; nClusters?: number } {
  const { weights, subclass } = options;
  let nTreated = 0;
  let nControl = 0;
  for (let i = 0; i < treat.length; i++) {
    if (weights && !(weights[i]! > 0)) continue;
    if (treat[i] === 1) nTreated++;
    else nControl++;
  }
  if (nTreated === 0 || nControl === 0) {
    throw new CausalInputError(`The weighted sample has ${nTreated} treated and ${nControl} control units; both groups are needed to estimate an effect.`, { nTreated, nControl });
  }
  const cluster = vcov === 'CR0' || vcov === 'CR1';
  return cluster ? { nTreated, nControl, nClusters: subclass ? countClusters(subclass, weights) : 0 } : { nTreated, nControl };
}

/** Distinct subclass values among the weighted units (a mark table for small ids, else a Set). */
function countClusters(subclass: Int32Array, weights: Float64Array | undefined): number {
  let min = 0;
  let max = 0;
  for (let i = 0; i < subclass.length; i++) {
    if (weights && !(weights[i]! > 0)) continue;
    const g = subclass[i]!;
    if (g < min) min = g;
    if (g > max) max = g;
  }
  if (max - min > 4 * subclass.length + 1024) {
    const set = new Set<number>();
    for (let i = 0; i < subclass.length; i++) if (!weights || weights[i]! > 0) set.add(subclass[i]!);
    return set.size;
  }
  const seen = new Uint8Array(max - min + 1);
  let count = 0;
  for (let i = 0; i < subclass.length; i++) {
    if (weights && !(weights[i]! > 0)) continue;
    const k = subclass[i]! - min;
    if (seen[k] === 0) {
      seen[k] = 1;
      count++;
    }
  }
  return count;
}

export function seTypeLabel(vcov: VcovType): string {
  switch (vcov) {
    case 'CR1':
      return 'cluster-robust by matched set (vcovCL, HC1)';
    case 'CR0':
      return 'cluster-robust by matched set (vcovCL, HC0)';
    default:
      return `robust (vcovHC, ${vcov})`;
  }
}
