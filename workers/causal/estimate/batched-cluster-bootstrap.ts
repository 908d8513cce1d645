/**
 * Batched cluster bootstrap of the weighted difference in means (METHODS §4.5, §9), plain
 * typed-array form. It is the oracle of the tfjs version in ../tensor/bootstrap-batch and the CPU path
 * on tenants without an accelerator.
 *
 * Per matched set g: S_g = [Σ_T w(Y−c), Σ_T w, Σ_C w(Y−c), Σ_C w] (c = overall weighted mean of Y,
 * subtracted so float32 sums do not cancel catastrophically; the contrast is unchanged).
 * With a B × G matrix of cluster weights M (multinomial counts, or Poisson(1) draws):
 *
 *   T = M · S   (B × 4),    τ*_b = T_b0 / T_b1 − T_b2 / T_b3
 *
 * One matrix product replaces B refits; the SE is sd(τ*). Replicates with no treated or no
 * control weight are NaN.
 */
import type { Rng } from '../random/rng';
import { CausalInputError } from '../errors';

export interface ClusterSums {
  readonly G: number;
  /** G × 4 row-major: [Σ_T w(Y−c), Σ_T w, Σ_C w(Y−c), Σ_C w] per matched set. */
  readonly sums: Float64Array;
  /** Centring constant c. */
  readonly center: number;
}

export type ClusterWeightKind = 'multinomial' | 'poisson';

/** Aggregates the matched sample into per-set sums; units with weight 0 or subclass −1 are left out. */
export function clusterSums(y: Float64Array, treat: Uint8Array, weights: Float64Array, subclass: Int32Array): ClusterSums {
  const n = y.length;
  if (treat.length !== n || weights.length !== n || subclass.length !== n) throw new CausalInputError('y, treat, weights and subclass must have one value per unit.');
  const ids = new Map<number, number>();
  let sw = 0;
  let swy = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (!(w > 0)) continue;
    const s = subclass[i]!;
    if (s < 0) throw new CausalInputError(`Unit in row ${i + 1} has positive weight but no matched set; the cluster bootstrap needs matching without replacement.`, { row: i });
    if (!ids.has(s)) ids.set(s, ids.size);
    sw += w;
    swy += w * y[i]!;
  }
  const center = swy / sw;
  const G = ids.size;
  const sums = new Float64Array(G * 4);
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (!(w > 0)) continue;
    const g = ids.get(subclass[i]!)!;
    const o = g * 4 + (treat[i] === 1 ? 0 : 2);
    sums[o] = sums[o]! + w * (y[i]! - center);
    sums[o + 1] = sums[o + 1]! + w;
  }
  return { G, sums, center };
}

/** B × G cluster weights: multinomial counts (G draws of G sets) or independent Poisson(1). */
export function drawClusterWeights(B: number, G: number, rng: Rng, kind: ClusterWeightKind = 'multinomial'): Float32Array {
  const m = new Float32Array(B * G);
  for (let b = 0; b < B; b++) {
    const row = b * G;
    if (kind === 'poisson') for (let g = 0; g < G; g++) m[row + g] = rng.poisson(1);
    else
      for (let k = 0; k < G; k++) {
        const g = rng.nextInt(G);
        m[row + g] = m[row + g]! + 1;
      }
  }
  return m;
}

/** τ*_b for every row of the B × G weight matrix, in float64. */
export function batchedDiffInMeansCpu(weights: Float32Array, B: number, sums: ClusterSums): Float64Array {
  const { G } = sums;
  if (weights.length !== B * G) throw new CausalInputError(`Cluster weight matrix has ${weights.length} entries, expected ${B} × ${G}.`);
  const out = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    const row = b * G;
    for (let g = 0; g < G; g++) {
      const m = weights[row + g]!;
      if (m === 0) continue;
      const o = g * 4;
      t0 += m * sums.sums[o]!;
      t1 += m * sums.sums[o + 1]!;
      t2 += m * sums.sums[o + 2]!;
      t3 += m * sums.sums[o + 3]!;
    }
    out[b] = t1 > 0 && t3 > 0 ? t0 / t1 - t2 / t3 : Number.NaN;
  }
  return out;
}
