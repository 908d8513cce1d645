/**
 * Data-generating processes with a known effect for the simulation studies of METHODS §10.2.
 * Each returns plain numeric columns (Float64Array, 0/1 treatment) and the true ATT; draws come
 * from the `Rng` passed in, so a seed reproduces a replication exactly.
 */
import { numericColumn, type Frame } from '../data/frame';
import { CausalInputError } from '../errors';
import type { Rng } from '../random/rng';
import { analyze } from './analyze';
import type { AnalyzeOptions } from './options';

export interface SimulatedData {
  /** Column name → values, in the order the columns are listed in `covariates`. */
  readonly columns: Readonly<Record<string, Float64Array>>;
  readonly treatment: string;
  readonly outcome: string;
  /** Covariates an analyst sees (for Kang–Schafer: the transformed X, not the latent Z). */
  readonly covariates: readonly string[];
  readonly trueAtt: number;
}

const expit = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Austin-style DGP from the MatchIt vignette `estimating-effects.Rmd` (METHODS §10.2 scenario 1):
 * X1…X9 ~ N(0,1) with X5 replaced by 1{X5 < 0.5};
 * logit P(A=1) = −1.2 + log2·X1 − log1.5·X2 + log2·X4 − log2.4·X5 + log2·X7 − log1.5·X8;
 * Y = 2A + 2X1 + 2X2 + 2X3 + X4 + 2X5 + X6 + N(0, 5²). Constant effect, so ATT = 2.
 */
export function simulateAustin(n: number, rng: Rng): SimulatedData {
  const x = Array.from({ length: 9 }, () => new Float64Array(n));
  const a = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 9; j++) x[j]![i] = rng.normal();
    x[4]![i] = x[4]![i]! < 0.5 ? 1 : 0;
    const v = (j: number): number => x[j - 1]![i]!;
    const lp = -1.2 + Math.LN2 * v(1) - Math.log(1.5) * v(2) + Math.LN2 * v(4) - Math.log(2.4) * v(5) + Math.LN2 * v(7) - Math.log(1.5) * v(8);
    const t = rng.next() < expit(lp) ? 1 : 0;
    a[i] = t;
    y[i] = 2 * t + 2 * v(1) + 2 * v(2) + 2 * v(3) + v(4) + 2 * v(5) + v(6) + 5 * rng.normal();
  }
  const columns: Record<string, Float64Array> = { A: a, Y: y };
  const covariates = x.map((_, j) => `X${j + 1}`);
  x.forEach((col, j) => (columns[`X${j + 1}`] = col));
  return { columns, treatment: 'A', outcome: 'Y', covariates, trueAtt: 2 };
}

/**
 * Kang & Schafer (2007), METHODS §10.2 scenario 2: Z1…Z4 ~ N(0,1);
 * T ~ Bernoulli(expit(−Z1 + 0.5Z2 − 0.25Z3 − 0.1Z4)); Y = 210 + 27.4Z1 + 13.7(Z2+Z3+Z4) + N(0,1)
 * (no treatment effect: ATT = 0). The analyst sees only X1 = exp(Z1/2), X2 = Z2/(1+exp(Z1)) + 10,
 * X3 = (Z1Z3/25 + 0.6)³, X4 = (Z2+Z4+20)², so a logistic PS on X is misspecified.
 */
export function simulateKangSchafer(n: number, rng: Rng): SimulatedData {
  const cols = Array.from({ length: 4 }, () => new Float64Array(n));
  const t = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z1 = rng.normal();
    const z2 = rng.normal();
    const z3 = rng.normal();
    const z4 = rng.normal();
    t[i] = rng.next() < expit(-z1 + 0.5 * z2 - 0.25 * z3 - 0.1 * z4) ? 1 : 0;
    y[i] = 210 + 27.4 * z1 + 13.7 * (z2 + z3 + z4) + rng.normal();
    cols[0]![i] = Math.exp(z1 / 2);
    cols[1]![i] = z2 / (1 + Math.exp(z1)) + 10;
    cols[2]![i] = (z1 * z3 / 25 + 0.6) ** 3;
    cols[3]![i] = (z2 + z4 + 20) ** 2;
  }
  const columns: Record<string, Float64Array> = { T: t, Y: y, X1: cols[0]!, X2: cols[1]!, X3: cols[2]!, X4: cols[3]! };
  return { columns, treatment: 'T', outcome: 'Y', covariates: ['X1', 'X2', 'X3', 'X4'], trueAtt: 0 };
}

/** The simulated columns as a Frame for `analyze`. */
export function simulatedFrame(data: SimulatedData): Frame {
  const columns = Object.entries(data.columns).map(([name, values]) => numericColumn(name, values));
  return { rows: columns[0]!.kind === 'numeric' ? columns[0]!.values.length : 0, columns };
}

export interface SimulationSummary {
  readonly replications: number;
  /** Replications where the pipeline stopped on an input error (e.g. no overlap). */
  readonly failed: number;
  readonly trueAtt: number;
  readonly meanEstimate: number;
  readonly bias: number;
  readonly rmse: number;
  readonly meanSe: number;
  readonly empiricalSd: number;
  /** Share of 95% intervals that contain the true ATT. */
  readonly coverage: number;
  /**
   * The same summary for the g-computation reported beside a matching headline (treatment ×
   * covariate interactions, delta-method SE), over the replications where it was estimable;
   * null for the weighting estimators.
   */
  readonly gComputation: Omit<SimulationSummary, 'gComputation' | 'failed'> | null;
}

interface Tally {
  readonly estimates: number[];
  readonly ses: number[];
  covered: number;
}

function summarise(t: Tally, trueAtt: number): Omit<SimulationSummary, 'gComputation' | 'failed'> {
  const { estimates, ses } = t;
  const k = estimates.length;
  const mean = estimates.reduce((a, b) => a + b, 0) / k;
  const empiricalSd = Math.sqrt(estimates.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1));
  const rmse = Math.sqrt(estimates.reduce((a, b) => a + (b - trueAtt) ** 2, 0) / k);
  return {
    replications: k,
    trueAtt,
    meanEstimate: mean,
    bias: mean - trueAtt,
    rmse,
    meanSe: ses.reduce((a, b) => a + b, 0) / k,
    empiricalSd,
    coverage: t.covered / k,
  };
}

/**
 * Runs `analyze` on `replications` data sets of size `n` from `generate`, replication r drawing
 * from `rng.derive(r)` (so any replication can be rerun alone), and summarises bias, RMSE,
 * mean SE / empirical SD and CI coverage (METHODS §10.2) of the headline and, for matching, of
 * the g-computation reported beside it.
 */
export function runSimulation(
  generate: (n: number, rng: Rng) => SimulatedData,
  n: number,
  replications: number,
  options: Omit<AnalyzeOptions, 'treatment' | 'outcome' | 'covariates'>,
  rng: Rng,
): SimulationSummary {
  const head: Tally = { estimates: [], ses: [], covered: 0 };
  const g: Tally = { estimates: [], ses: [], covered: 0 };
  let failed = 0;
  let trueAtt = Number.NaN;
  const add = (t: Tally, e: { estimate: number; se: number; ci95: readonly [number, number] }, truth: number): void => {
    t.estimates.push(e.estimate);
    t.ses.push(e.se);
    if (e.ci95[0] <= truth && truth <= e.ci95[1]) t.covered++;
  };
  for (let r = 0; r < replications; r++) {
    const rRng = rng.derive(r);
    const data = generate(n, rRng.derive('data'));
    trueAtt = data.trueAtt;
    try {
      const result = analyze(simulatedFrame(data), { ...options, treatment: data.treatment, outcome: data.outcome, covariates: data.covariates }, rRng.derive('analyze'));
      add(head, result, data.trueAtt);
      if (result.gComputation) add(g, result.gComputation, data.trueAtt);
    } catch (err) {
      if (!(err instanceof CausalInputError)) throw err;
      failed++;
    }
  }
  return { ...summarise(head, trueAtt), failed, gComputation: g.estimates.length > 1 ? summarise(g, trueAtt) : null };
}
