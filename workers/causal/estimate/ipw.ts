/**
 * Inverse-probability weighting, Hajek (normalised) form. With score e = P(T=1 | X):
 *
 *   ATE weights: treated 1/e, controls 1/(1−e)
 *   ATT weights: treated 1,   controls e/(1−e)
 *   ATC weights: treated (1−e)/e, controls 1
 *   μ̂_1 = Σ_T w Y / Σ_T w,   μ̂_0 = Σ_C w Y / Σ_C w,   τ̂ = μ̂_1 − μ̂_0
 *
 * Stabilised weights (`stabilize`) multiply the treated by P̂(T=1) and controls by P̂(T=0)
 * (Robins et al. 2000); the Hajek estimate and both SEs are invariant to that, so it only
 * changes the returned weights (useful for diagnostics / ESS).
 *
 * Standard errors (influence functions φ_i, Var = Σ φ_i² / n²; normal intervals, df = ∞):
 * - `seFixedScores`: the scores are treated as known. φ_i = n[T w (Y−μ̂_1)/Σ_T w − (1−T) w (Y−μ̂_0)/Σ_C w],
 *   identical to the HC0 sandwich of lm(y ~ treat, weights = w), which is what WeightIt /
 *   `survey::svyglm` report. Conservative for the ATE; for the ATT it can err either way.
 * - `sePsAdjusted` (when `psDesign` — the logistic model's design, intercept included — is
 *   given and e = expit(Xβ̂) is its ML fit): stacked M-estimation (Lunceford & Davidian 2004;
 *   Reifeis & Hudgens 2022). With c_i = ∂w_i/∂η_i, H = Σ e(1−e) x xᵀ,
 *     D_g = Σ_{i∈g} c_i (Y_i − μ̂_g) x_i,   φ_i += n (H⁻¹D_1 /Σ_T w − H⁻¹D_0 /Σ_C w)ᵀ (T_i − e_i) x_i.
 *   Truncated (clipped) units have c_i = 0; trimmed units drop out of μ̂ but stay in the PS fit.
 * The reported `se` is `sePsAdjusted` when available, else `seFixedScores`.
 */
import type { EffectEstimate, Matrix } from '../types';
import { CausalInputError } from '../errors';
import { choleskySolve, cholesky, crossprod } from '../linalg';
import { toEffectEstimate } from './interval';
import { prepareScores, type ScoreOptions } from './scores';

export interface IpwOptions extends ScoreOptions {
  readonly stabilize?: boolean;
  /** Design of the logistic PS model (n × q, with intercept) for the PS-adjusted SE. */
  readonly psDesign?: Matrix;
}

export interface IpwEstimate extends EffectEstimate {
  /** Per-unit weights used (0 for trimmed units), stabilised when requested. */
  readonly weights: Float64Array;
  readonly seFixedScores: number;
  readonly sePsAdjusted?: number;
  readonly nTrimmed: number;
  /** Kish effective sample sizes (Σw)²/Σw² per group. */
  readonly essTreated: number;
  readonly essControl: number;
}

export function inverseProbabilityWeighting(y: Float64Array, treat: Uint8Array, ps: Float64Array, options: IpwOptions = {}): IpwEstimate {
  const n = y.length;
  const estimand = options.estimand ?? 'ATE';
  const { e, kept, clipped, nTrimmed } = prepareScores(ps, treat, y, options);
  const w = new Float64Array(n);
  // c_i = ∂w_i/∂η_i with η = logit(e).
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!kept[i]) continue;
    const ei = e[i]!;
    const t = treat[i]!;
    let wi: number;
    let ci: number;
    if (estimand === 'ATE') {
      wi = t === 1 ? 1 / ei : 1 / (1 - ei);
      ci = t === 1 ? -wi * (1 - ei) : wi * ei;
    } else if (estimand === 'ATT') {
      wi = t === 1 ? 1 : ei / (1 - ei);
      ci = t === 1 ? 0 : wi;
    } else {
      wi = t === 1 ? (1 - ei) / ei : 1;
      ci = t === 1 ? -wi : 0;
    }
    w[i] = wi;
    c[i] = clipped[i] ? 0 : ci;
  }
  let s1 = 0;
  let sw1 = 0;
  let s0 = 0;
  let sw0 = 0;
  for (let i = 0; i < n; i++) {
    if (!kept[i]) continue;
    if (treat[i] === 1) {
      s1 += w[i]! * y[i]!;
      sw1 += w[i]!;
    } else {
      s0 += w[i]! * y[i]!;
      sw0 += w[i]!;
    }
  }
  const mu1 = s1 / sw1;
  const mu0 = s0 / sw0;
  const estimate = mu1 - mu0;

  const phi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!kept[i]) continue;
    phi[i] = treat[i] === 1 ? (n * w[i]! * (y[i]! - mu1)) / sw1 : (-n * w[i]! * (y[i]! - mu0)) / sw0;
  }
  const seFixedScores = Math.sqrt(sumSquares(phi)) / n;

  let sePsAdjusted: number | undefined;
  if (options.psDesign) {
    const x = options.psDesign;
    if (x.rows !== n) throw new CausalInputError(`The propensity design has ${x.rows} rows but there are ${n} units.`);
    const q = x.cols;
    // H uses the model's own fitted scores (untruncated) for every unit in the PS fit.
    const info = new Float64Array(n);
    for (let i = 0; i < n; i++) info[i] = ps[i]! * (1 - ps[i]!);
    const L = cholesky(crossprod(x, info), q);
    if (!L) throw new CausalInputError('The propensity model information matrix is singular; the PS-adjusted SE is unavailable (check for collinear or constant covariates).');
    const d = new Float64Array(q);
    for (let i = 0; i < n; i++) {
      if (!kept[i] || c[i] === 0) continue;
      const scale = treat[i] === 1 ? (c[i]! * (y[i]! - mu1)) / sw1 : (-c[i]! * (y[i]! - mu0)) / sw0;
      for (let j = 0; j < q; j++) d[j] = d[j]! + scale * x.data[i * q + j]!;
    }
    const u = choleskySolve(L, q, d);
    const adj = Float64Array.from(phi);
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let j = 0; j < q; j++) dot += u[j]! * x.data[i * q + j]!;
      adj[i] = adj[i]! + n * dot * (treat[i]! - ps[i]!);
    }
    sePsAdjusted = Math.sqrt(sumSquares(adj)) / n;
  }

  if (options.stabilize) {
    let n1 = 0;
    let nk = 0;
    for (let i = 0; i < n; i++) {
      if (!kept[i]) continue;
      nk++;
      if (treat[i] === 1) n1++;
    }
    for (let i = 0; i < n; i++) if (kept[i]) w[i] = w[i]! * (treat[i] === 1 ? n1 / nk : (nk - n1) / nk);
  }
  const se = sePsAdjusted ?? seFixedScores;
  return {
    ...toEffectEstimate({ estimand, estimate, se, df: Number.POSITIVE_INFINITY, seType: sePsAdjusted !== undefined ? 'M-estimation sandwich (accounts for logistic PS)' : 'robust sandwich, PS treated as fixed (HC0)' }),
    weights: w,
    seFixedScores,
    ...(sePsAdjusted !== undefined ? { sePsAdjusted } : {}),
    nTrimmed,
    essTreated: ess(w, treat, 1),
    essControl: ess(w, treat, 0),
  };
}

function sumSquares(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return s;
}

function ess(w: Float64Array, treat: Uint8Array, group: number): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < w.length; i++) {
    if (treat[i] !== group) continue;
    s += w[i]!;
    s2 += w[i]! * w[i]!;
  }
  return s2 > 0 ? (s * s) / s2 : 0;
}
