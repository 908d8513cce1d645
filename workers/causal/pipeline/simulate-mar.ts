/**
 * Data with a known effect and covariate values missing at random (MAR), for the multiple-
 * imputation studies (METHODS §1, §10.2). X1…X4 share a factor (corr 0.36):
 *   X_k = 0.6Z + 0.8E_k;  T ~ Bernoulli(expit(−1 + 0.4X1 + 0.4X2 − 0.2X3 + 0.2X4));
 *   Y = 2T + X1 + X2 + 0.5X3 + 0.5X4 + N(0, 1)   (constant effect: ATT = 2).
 * X1 and X2 are each missing with probability expit(a + β(2T − 1)Ỹ + 0.5·X3) (Ỹ = standardised
 * Y; high outcomes go missing among the treated, low ones among the controls), a set by
 * bisection so that `missingRate` of each is missing. Missingness depends on observed values
 * only (treatment, outcome, X3), so it is MAR — and because it depends on the outcome, a
 * complete-case analysis is biased (toward 0 here) while imputation with T and Y in the model is
 * not.
 */
import type { Rng } from '../random/rng';
import type { SimulatedData } from './simulate';

const expit = (x: number): number => 1 / (1 + Math.exp(-x));

export interface MarOptions {
  /** Share of X1 and of X2 missing (default 0.25). */
  readonly missingRate?: number;
  /** Strength of the dependence of missingness on the standardised outcome (default 1). */
  readonly outcomeDependence?: number;
}

export function simulateMar(n: number, rng: Rng, options: MarOptions = {}): SimulatedData {
  const rate = options.missingRate ?? 0.25;
  const beta = options.outcomeDependence ?? 1;
  const x = Array.from({ length: 4 }, () => new Float64Array(n));
  const t = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    for (let k = 0; k < 4; k++) x[k]![i] = 0.6 * z + 0.8 * rng.normal();
    const v = (k: number): number => x[k]![i]!;
    t[i] = rng.next() < expit(-1 + 0.4 * v(0) + 0.4 * v(1) - 0.2 * v(2) + 0.2 * v(3)) ? 1 : 0;
    y[i] = 2 * t[i]! + v(0) + v(1) + 0.5 * v(2) + 0.5 * v(3) + rng.normal();
  }
  let mu = 0;
  for (const v of y) mu += v;
  mu /= n;
  let ss = 0;
  for (const v of y) ss += (v - mu) ** 2;
  const sdY = Math.sqrt(ss / (n - 1));
  const score = Float64Array.from(y, (v, i) => beta * (2 * t[i]! - 1) * ((v - mu) / sdY) + 0.5 * x[2]![i]!);
  let lo = -20;
  let hi = 20;
  for (let it = 0; it < 60; it++) {
    const a = (lo + hi) / 2;
    let p = 0;
    for (const s of score) p += expit(a + s);
    if (p / n < rate) lo = a;
    else hi = a;
  }
  const a = (lo + hi) / 2;
  for (const k of [0, 1]) for (let i = 0; i < n; i++) if (rng.next() < expit(a + score[i]!)) x[k]![i] = Number.NaN;
  return { columns: { T: t, Y: y, X1: x[0]!, X2: x[1]!, X3: x[2]!, X4: x[3]! }, treatment: 'T', outcome: 'Y', covariates: ['X1', 'X2', 'X3', 'X4'], trueAtt: 2 };
}
