/**
 * Convergence check of MICE chains: the potential scale reduction factor R̂ (Gelman & Rubin
 * 1992, in the form of Gelman et al. 2013, Bayesian Data Analysis 3rd ed., §11.4) of each
 * variable's chain mean (mice's `chainMean`) across the m imputations, each imputation being one
 * chain, over the last W = ⌈maxit/2⌉ sweeps (the first half is burn-in):
 *   B = W/(m − 1) Σ_j (ψ̄_j − ψ̄)²,   Wv = mean_j var(ψ_j)  (n − 1 denominators)
 *   var⁺ = (W − 1)/W · Wv + B/W,     R̂ = sqrt(var⁺ / Wv)
 * R̂ well above 1 means the chains have not forgotten their random starting values (they sit at
 * different levels). We flag convergence when every R̂ is below 1.1 (Gelman et al.'s rule; the
 * 1.01 of Vehtari et al. 2021 needs far longer chains than MICE runs). Chains are not split in
 * halves: with W = 5 the halves would have 2 sweeps, and the lag-1 autocorrelation of Gibbs
 * chain means then inflates R̂ (≈ 1.12 at ρ = 0.2) even for stationary chains. It needs m ≥ 2
 * and W ≥ 2 (maxit ≥ 3); otherwise R̂ is NaN and the flag is null.
 */
import type { ImputationReport } from './types';

export interface ChainConvergence {
  /** R̂ per imputed variable (1 when the chain means do not vary at all). */
  readonly rhat: Readonly<Record<string, number>>;
  /** True when all R̂ < threshold, false when any is not, null when it cannot be computed. */
  readonly converged: boolean | null;
  readonly threshold: number;
  /** Sweeps per chain used (W). */
  readonly window: number;
}

/** R̂ of m ≥ 2 sequences of equal length W ≥ 2. */
export function gelmanRubin(sequences: readonly Float64Array[]): number {
  const M = sequences.length;
  const L = sequences[0]?.length ?? 0;
  if (M < 2 || L < 2) return Number.NaN;
  const means = sequences.map((s) => s.reduce((a, b) => a + b, 0) / L);
  const grand = means.reduce((a, b) => a + b, 0) / M;
  let between = 0;
  for (const m of means) between += (m - grand) ** 2;
  between *= L / (M - 1);
  let within = 0;
  sequences.forEach((s, k) => {
    let ss = 0;
    for (const v of s) ss += (v - means[k]!) ** 2;
    within += ss / (L - 1);
  });
  within /= M;
  if (within === 0) return between === 0 ? 1 : Number.POSITIVE_INFINITY;
  const varPlus = ((L - 1) / L) * within + between / L;
  return Math.sqrt(varPlus / within);
}

export function chainConvergence(reports: readonly ImputationReport[], options: { threshold?: number } = {}): ChainConvergence {
  const threshold = options.threshold ?? 1.1;
  const first = reports[0];
  const iterations = first ? Math.min(...reports.map((r) => r.iterations)) : 0;
  const W = Math.ceil(iterations / 2);
  const rhat: Record<string, number> = {};
  if (!first || reports.length < 2 || W < 2) return { rhat, converged: null, threshold, window: W };
  for (const name of Object.keys(first.chainMean)) {
    const sequences = reports.map((r) => r.chainMean[name]!.slice(iterations - W, iterations));
    rhat[name] = gelmanRubin(sequences);
  }
  return { rhat, converged: Object.values(rhat).every((v) => v < threshold), threshold, window: W };
}
