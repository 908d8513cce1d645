/**
 * Heteroskedasticity- and cluster-robust covariance of a weighted `lm` (R package `sandwich`).
 * With B = (XᵀWX)⁻¹, score rows s_i = x_i w_i e_i (`estfun.lm`), hat values
 * h_i = w_i x_iᵀ B x_i (`hatvalues.lm` of a weighted fit), n units, k coefficients:
 *
 *   HC0  = B (Σ_i s_i s_iᵀ) B                                   vcovHC(type = "HC0")
 *   HC1  = n/(n−k) · HC0                                        vcovHC(type = "HC1")
 *   HC3  = B (Σ_i s_i s_iᵀ / (1−h_i)²) B                        vcovHC(type = "HC3")
 *   CR1  = G/(G−1) · (n−1)/(n−k) · B (Σ_g S_g S_gᵀ) B,  S_g = Σ_{i∈g} s_i
 *          = vcovCL(fit, cluster = ~subclass), defaults type = "HC1", cadjust = TRUE
 *   CR0  = G/(G−1) · B (Σ_g S_g S_gᵀ) B                          vcovCL(type = "HC0")
 *
 * sandwich writes these as bread·meat·bread/n with bread = n·B and meat = Σ/n; the n's cancel.
 * HC3 is what MatchIt's vignette recommends after matching with replacement (Hill & Reiter 2006);
 * CR1 by matched set is its default after matching without replacement (Abadie & Spiess 2022).
 */
import { CausalInputError } from '../errors';
import { crossprod } from '../linalg';
import type { WeightedLmFit } from './weighted-lm';

export type VcovType = 'HC0' | 'HC1' | 'HC3' | 'CR0' | 'CR1';

export interface SandwichOptions {
  readonly type: VcovType;
  /** Cluster id per ORIGINAL data row (e.g. MatchResult.subclass); required for CR0/CR1. */
  readonly cluster?: Int32Array;
}

/** k × k robust covariance of the non-aliased coefficients (order of `fit.kept`). */
export function sandwichVcov(fit: WeightedLmFit, options: SandwichOptions): Float64Array {
  const { x, w, residuals, n, k } = fit;
  const { type } = options;
  let meat: Float64Array;
  let factor = 1;
  if (type === 'CR0' || type === 'CR1') {
    const cluster = options.cluster;
    if (!cluster) throw new CausalInputError(`Cluster-robust standard errors (${type}) need a cluster id per unit (the matched-set subclass).`);
    const { dense, G } = denseClusters(cluster, fit.rows, type);
    const scores = new Float64Array(G * k);
    for (let r = 0; r < n; r++) {
      const we = w[r]! * residuals[r]!;
      const o = dense[r]! * k;
      for (let a = 0; a < k; a++) scores[o + a] = scores[o + a]! + x.data[r * k + a]! * we;
    }
    meat = crossprod({ data: scores, rows: G, cols: k });
    factor = G / (G - 1);
    if (type === 'CR1') factor *= (n - 1) / (n - k);
  } else {
    // Σ_i x_i x_iᵀ (w_i e_i)² ω_i with ω_i = 1, or 1/(1−h_i)² for HC3.
    const omega = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const we = w[r]! * residuals[r]!;
      omega[r] = we * we;
    }
    if (type === 'HC3') {
      const h = hatValues(fit);
      for (let r = 0; r < n; r++) omega[r] = omega[r]! / ((1 - h[r]!) * (1 - h[r]!));
    }
    meat = crossprod(x, omega);
    if (type === 'HC1') factor = n / (n - k);
  }
  const v = sandwichProduct(fit.bread, meat, k);
  if (factor !== 1) for (let i = 0; i < v.length; i++) v[i] = v[i]! * factor;
  return v;
}

/** h_r = w_r x_rᵀ B x_r, the diagonal of W^½ X B Xᵀ W^½ (R's hatvalues for a weighted lm). */
function hatValues(fit: WeightedLmFit): Float64Array {
  const { x, bread, k, n } = fit;
  const h = new Float64Array(n);
  const bx = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    const o = r * k;
    bx.fill(0);
    // B x_r as a sum of B's rows scaled by x_r (B symmetric), skipping zero entries (dummies).
    for (let b = 0; b < k; b++) {
      const xb = x.data[o + b]!;
      if (xb === 0) continue;
      const ob = b * k;
      for (let a = 0; a < k; a++) bx[a] = bx[a]! + bread[ob + a]! * xb;
    }
    let s = 0;
    for (let a = 0; a < k; a++) s += x.data[o + a]! * bx[a]!;
    h[r] = fit.w[r]! * s;
  }
  return h;
}

/** B M B for symmetric k × k B and M. */
function sandwichProduct(bread: Float64Array, meat: Float64Array, k: number): Float64Array {
  const tmp = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += bread[i * k + l]! * meat[l * k + j]!;
      tmp[i * k + j] = s;
    }
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += tmp[i * k + l]! * bread[l * k + j]!;
      out[i * k + j] = s;
    }
  return out;
}

/** gᵀ V g for a k-vector g. */
export function quadraticForm(v: Float64Array, g: Float64Array): number {
  const k = g.length;
  let s = 0;
  for (let i = 0; i < k; i++) {
    const gi = g[i]!;
    if (gi === 0) continue;
    for (let j = 0; j < k; j++) s += gi * v[i * k + j]! * g[j]!;
  }
  return s;
}

/**
 * Dense cluster index (0…G−1, in order of first appearance) of each fitted row; `rows` maps
 * fitted rows to the caller's data rows, where `cluster` is indexed. Small non-negative ids (the
 * usual matched-set numbers) use a lookup table instead of a Map.
 */
export function denseClusters(cluster: Int32Array, rows: Int32Array, type: VcovType): { dense: Int32Array; G: number } {
  const n = rows.length;
  const dense = new Int32Array(n);
  let maxId = -1;
  for (let r = 0; r < n; r++) {
    const row = rows[r]!;
    const g = cluster[row];
    if (g === undefined || g < 0) {
      throw new CausalInputError(`Unit in row ${row + 1} has positive weight but no matched set (subclass); cluster-robust SEs need a subclass for every weighted unit. With matching with replacement use HC3 or the Abadie–Imbens variance.`, { row });
    }
    if (g > maxId) maxId = g;
  }
  let G = 0;
  if (maxId <= 4 * n + 1024) {
    const table = new Int32Array(maxId + 1).fill(-1);
    for (let r = 0; r < n; r++) {
      const g = cluster[rows[r]!]!;
      let d = table[g]!;
      if (d < 0) table[g] = d = G++;
      dense[r] = d;
    }
  } else {
    const ids = new Map<number, number>();
    for (let r = 0; r < n; r++) {
      const g = cluster[rows[r]!]!;
      let d = ids.get(g);
      if (d === undefined) ids.set(g, (d = G++));
      dense[r] = d;
    }
  }
  if (G < 2) throw new CausalInputError(`Cluster-robust standard errors (${type}) need at least 2 matched sets; found ${G}.`, { clusters: G });
  return { dense, G };
}

export interface ContrastVarianceOptions extends SandwichOptions {
  /** Data row of each fitted row (indexes `cluster`). */
  readonly rows: Int32Array;
  /** Number of non-aliased coefficients of the fit. */
  readonly k: number;
  /** Hat values h_i of the fitted rows; required for HC3. */
  readonly hat?: Float64Array;
}

/**
 * gᵀVg for the sandwich V above without forming V: with v = B g and the per-row contrast scores
 * u_i = gᵀB s_i = w_i e_i (vᵀx_i) (passed in as `u`),
 *
 *   gᵀ B (Σ_g S_g S_gᵀ) B g = Σ_g (Σ_{i∈g} u_i)²,   gᵀ B (Σ_i ω_i s_i s_iᵀ) B g = Σ_i ω_i u_i²,
 *
 * times the same small-sample factors (CR1: G/(G−1)·(n−1)/(n−k); HC1: n/(n−k)). O(n) instead
 * of the O(n k²) meat, and the same number up to rounding.
 */
export function contrastVariance(u: Float64Array, options: ContrastVarianceOptions): number {
  const { type, rows, k } = options;
  const n = u.length;
  if (type === 'CR0' || type === 'CR1') {
    const cluster = options.cluster;
    if (!cluster) throw new CausalInputError(`Cluster-robust standard errors (${type}) need a cluster id per unit (the matched-set subclass).`);
    const { dense, G } = denseClusters(cluster, rows, type);
    const sums = new Float64Array(G);
    for (let r = 0; r < n; r++) sums[dense[r]!] = sums[dense[r]!]! + u[r]!;
    let s = 0;
    for (let g = 0; g < G; g++) s += sums[g]! * sums[g]!;
    let factor = G / (G - 1);
    if (type === 'CR1') factor *= (n - 1) / (n - k);
    return factor * s;
  }
  let s = 0;
  if (type === 'HC3') {
    const h = options.hat;
    if (!h) throw new Error('contrastVariance: HC3 needs the hat values.');
    for (let r = 0; r < n; r++) {
      const d = 1 - h[r]!;
      s += (u[r]! * u[r]!) / (d * d);
    }
  } else {
    for (let r = 0; r < n; r++) s += u[r]! * u[r]!;
  }
  return type === 'HC1' ? (s * n) / (n - k) : s;
}
