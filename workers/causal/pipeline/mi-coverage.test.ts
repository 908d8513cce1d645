/**
 * Calibration of the multiple-imputation path against a known truth (METHODS §10.2, small
 * version of bench/simulation-mi-grid.ts): ./simulate-mar with ATT 2, 25% of X1 and of X2
 * missing at random given T, Y and X3 (β = 1), n = 500, m = 5, maxit = 5, 1:1 matching on the
 * logit with a 0.2 SD caliper, R = 200 replications.
 *
 * Monte Carlo error at R = 200 (why the bands are wider than the 93.6–96.4% of R = 1000):
 * - coverage of a calibrated 95% CI: MC SE √(.95·.05/200) = 1.5 points; band 95 ± 3 MC SE,
 *   [90.4%, 99.6%];
 * - mean SE / empirical SD: the SD of R normal estimates has relative MC SE ≈ 1/√(2(R−1)) = 5%,
 *   so a calibrated SE gives 1 ± 0.15 (3 MC SE);
 * - bias: within 3 MC SE of the mean (3·SD/√R) plus 0.2 SD. The extra 0.2 SD allows the small
 *   finite-sample bias of imputation with m = 5, maxit = 5 (≈ +0.015 here, under 1% of the
 *   effect); a bias of 0.2 SD moves coverage by under 1 point. Complete cases (≈ −0.29, 2.3 SD)
 *   fail it.
 * A halved SE (SE/SD ≈ 0.5, coverage ≈ 68%) or a doubled one (≈ 2, coverage ≈ 100%: 200/200
 * lies above 99.6%) fails every band.
 *
 * Checked: the complete-data g-computation (calibrated); MI within pooling the g-computation,
 * the default (unbiased; conservative but bounded: SE/SD in [0.85, 1.4], see ./within for the
 * re-matching noise Rubin's rules count); MI within with AIPW (a smooth estimator: calibrated);
 * and that the pooled difference in means, the old default, is the more conservative of the two
 * matched estimators on the same imputations.
 */
import { describe, expect, it } from 'vitest';
import { poolRubin } from '../pool/rubin';
import { createRng } from '../random/rng';
import { analyze } from './analyze';
import type { AnalyzeOptions } from './options';
import { simulatedFrame } from './simulate';
import { simulateMar } from './simulate-mar';
import { analyzeImputed, runImputationsSerial } from './within';
import type { ImputationRun } from './within-types';

const R = 200;
const n = 500;
const TRUTH = 2;
const base: AnalyzeOptions = { treatment: 'T', outcome: 'Y', covariates: ['X1', 'X2', 'X3', 'X4'], link: 'linear.logit', caliper: 0.2 };
const impute = { m: 5, maxit: 5 };

interface Summary {
  readonly bias: number;
  readonly sd: number;
  readonly mcSe: number;
  readonly seOverSd: number;
  readonly coverage: number;
}

class Tally {
  private readonly est: number[] = [];
  private readonly se: number[] = [];
  private covered = 0;

  add(estimate: number, se: number, ci95: readonly [number, number]): void {
    this.est.push(estimate);
    this.se.push(se);
    if (ci95[0] <= TRUTH && TRUTH <= ci95[1]) this.covered++;
  }

  summary(): Summary {
    const k = this.est.length;
    const mean = this.est.reduce((a, b) => a + b, 0) / k;
    const sd = Math.sqrt(this.est.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1));
    const meanSe = this.se.reduce((a, b) => a + b, 0) / k;
    return { bias: mean - TRUTH, sd, mcSe: sd / Math.sqrt(k), seOverSd: meanSe / sd, coverage: this.covered / k };
  }
}

const biasBound = (s: Summary): number => 3 * s.mcSe + 0.2 * s.sd;

function expectCalibrated(s: Summary, label: string): void {
  expect(Math.abs(s.bias), `${label} bias`).toBeLessThan(biasBound(s));
  expect(s.seOverSd, `${label} SE/SD`).toBeGreaterThan(0.85);
  expect(s.seOverSd, `${label} SE/SD`).toBeLessThan(1.15);
  expect(s.coverage, `${label} coverage`).toBeGreaterThan(0.904);
  expect(s.coverage, `${label} coverage`).toBeLessThan(0.996);
}

describe('MI calibration on MAR data with a known ATT (R = 200)', () => {
  it('complete-data g-computation and MI AIPW are calibrated; MI matching pools the g-computation, unbiased and at most mildly conservative', () => {
    const full = { g: new Tally(), dim: new Tally() };
    const mi = { g: new Tally(), dim: new Tally(), aipw: new Tally() };
    for (let r = 0; r < R; r++) {
      const seed = `mi-coverage:${r}`;
      const frame = simulatedFrame(simulateMar(n, createRng(seed)));
      const complete = analyze(simulatedFrame(simulateMar(n, createRng(seed), { missingRate: 0 })), base, createRng(`${seed}:full`));
      full.dim.add(complete.estimate, complete.se, complete.ci95);
      full.g.add(complete.gComputation!.estimate, complete.gComputation!.se, complete.gComputation!.ci95);

      // The runs are kept so that the difference in means can be pooled over the same imputations.
      let runs: ImputationRun[] = [];
      const capture = { imputeAnalyze: (input: Parameters<typeof runImputationsSerial>[0], rng: Parameters<typeof runImputationsSerial>[1]) => (runs = runImputationsSerial(input, rng)) };
      const within = analyzeImputed(frame, { ...base, impute, parallel: capture }, createRng(`${seed}:mi`));
      expect(within.imputation!.pool).toBe('g-computation');
      mi.g.add(within.estimate, within.se, within.ci95);
      const dim = poolRubin(Float64Array.from(runs, (x) => x.result.estimate), Float64Array.from(runs, (x) => x.result.se), { dfcom: Math.min(...runs.map((x) => x.dfcom)) });
      mi.dim.add(dim.estimate, dim.se, dim.ci);

      const aipw = analyzeImputed(frame, { ...base, estimator: 'aipw', impute }, createRng(`${seed}:aipw`));
      mi.aipw.add(aipw.estimate, aipw.se, aipw.ci95);
    }
    expectCalibrated(full.g.summary(), 'full-data g-computation');
    expectCalibrated(mi.aipw.summary(), 'MI within, AIPW');

    const g = mi.g.summary();
    expect(Math.abs(g.bias), 'MI g-computation bias').toBeLessThan(biasBound(g));
    expect(g.seOverSd, 'MI g-computation SE/SD').toBeGreaterThan(0.85);
    expect(g.seOverSd, 'MI g-computation SE/SD').toBeLessThan(1.4);
    expect(g.coverage, 'MI g-computation coverage').toBeGreaterThan(0.904);
    expect(g.coverage, 'MI g-computation coverage').toBeLessThan(0.996);

    // The difference in means ignores the covariates: larger SE relative to its spread, both
    // with complete data (estimated-score matching) and pooled (re-matching noise in B).
    expect(full.dim.summary().seOverSd).toBeGreaterThan(full.g.summary().seOverSd + 0.1);
    expect(mi.dim.summary().seOverSd).toBeGreaterThan(g.seOverSd + 0.15);
  }, 120_000);
});
