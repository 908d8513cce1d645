/**
 * DoWhy-style refutation checks (py-why/dowhy `causal_refuter.py`, `causal_refuters/*`;
 * METHODS.md §6.4) as pure functions over a caller-supplied estimator callback. The callback
 * runs the caller's pipeline (PS, matching, ATT) on modified inputs and returns the estimate.
 *
 * - Placebo treatment (`placebo_type = "permute"`): permute the treatment across rows and
 *   re-estimate; the reference value tested against the placebo distribution is 0.
 * - Random common cause: add an N(0,1) covariate and re-estimate; the original estimate is
 *   tested against the distribution of new estimates.
 * - Data subset: re-estimate on random subsets of ⌊0.8 n⌋ rows (without replacement); the
 *   original estimate is tested against the distribution.
 * Significance (`CausalRefuter.test_significance`, test_type = "auto"):
 *   ≥ 100 simulations: empirical quantile of the reference value among the sorted simulations
 *     (searchsorted "left" in the upper half, "right" in the lower half);
 *   fewer: normal test with the simulations' mean and SD (ddof = 0).
 * We report the TWO-TAILED p-value (twice the one-tail quantile, capped at 1), as newer DoWhy
 * does; older DoWhy printed the one-tail quantile. A check fails when p ≤ α (default 0.05).
 * Each simulation costs one pipeline run: callers should run the refuters on a single
 * imputation and reuse what the refutation does not change.
 */
import { CausalInputError } from '../errors';
import { normalCdf } from '../stats/distributions';
import { permutation, type Rng } from '../random/rng';

export type Verdict = 'passed' | 'failed';

export interface SimulationSummary {
  n: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
  /** 2.5% and 97.5% empirical quantiles (R type 7). */
  q025: number;
  q975: number;
}

export interface RefutationResult {
  name: 'placebo-treatment' | 'random-common-cause' | 'data-subset' | 'negative-control';
  /** The original estimate being refuted. */
  estimate: number;
  /** The value compared against the simulated distribution (0 for the placebo). */
  referenceValue: number;
  simulations: SimulationSummary | null;
  pValue: number;
  testType: 'bootstrap' | 'normal' | 'confidence-interval';
  verdict: Verdict;
  explanation: string;
}

export interface RefuterOptions {
  /** Default 100 (DoWhy's DEFAULT_NUM_SIMULATIONS). */
  simulations?: number;
  /** Default 0.05. */
  alpha?: number;
}

export interface SubsetOptions extends RefuterOptions {
  /** Fraction of rows kept in each subset, default 0.8. */
  fraction?: number;
}

function checkCommon(options: RefuterOptions): { sims: number; alpha: number } {
  const sims = options.simulations ?? 100;
  const alpha = options.alpha ?? 0.05;
  if (!(Number.isInteger(sims) && sims >= 2)) throw new CausalInputError(`simulations must be a whole number ≥ 2; got ${sims}.`, { sims });
  if (!(alpha > 0 && alpha < 1)) throw new CausalInputError(`alpha must lie strictly between 0 and 1; got ${alpha}.`, { alpha });
  return { sims, alpha };
}

function quantile7(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function summarise(values: Float64Array): SimulationSummary {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let mean = 0;
  for (const v of sorted) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of sorted) ss += (v - mean) * (v - mean);
  return { n, mean, sd: Math.sqrt(ss / (n - 1)), min: sorted[0]!, max: sorted[n - 1]!, q025: quantile7(sorted, 0.025), q975: quantile7(sorted, 0.975) };
}

/** First index i with sorted[i] ≥ v ("left") or > v ("right"), as numpy.searchsorted. */
function searchSorted(sorted: Float64Array, v: number, side: 'left' | 'right'): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (side === 'left' ? sorted[mid]! < v : sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** DoWhy's test_significance (auto mode), two-tailed. */
export function refutationPValue(reference: number, simulations: Float64Array): { pValue: number; testType: 'bootstrap' | 'normal' } {
  const n = simulations.length;
  if (n >= 100) {
    const sorted = Float64Array.from(simulations).sort();
    const median = sorted[Math.floor(n / 2)]!;
    const oneTail = reference > median ? 1 - searchSorted(sorted, reference, 'left') / n : searchSorted(sorted, reference, 'right') / n;
    return { pValue: Math.min(1, 2 * oneTail), testType: 'bootstrap' };
  }
  let mean = 0;
  for (const v of simulations) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of simulations) ss += (v - mean) * (v - mean);
  const sd = Math.sqrt(ss / n);
  if (!(sd > 0)) return { pValue: reference === mean ? 1 : 0, testType: 'normal' };
  const z = (reference - mean) / sd;
  return { pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))), testType: 'normal' };
}

function runSimulations(sims: number, one: (k: number) => number, name: string): Float64Array {
  const out = new Float64Array(sims);
  for (let k = 0; k < sims; k++) {
    const v = one(k);
    if (!Number.isFinite(v)) throw new CausalInputError(`The ${name} refuter's simulation ${k + 1} returned a non-finite estimate (${v}).`, { simulation: k + 1 });
    out[k] = v;
  }
  return out;
}

const fmt = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toPrecision(4));

/**
 * Placebo treatment by permutation. `reestimate(placeboTreatment)` must run the full pipeline
 * with the treatment column replaced. Passes when 0 is consistent with the placebo estimates.
 */
export function placeboTreatmentRefuter(
  estimate: number,
  treatment: Float64Array,
  reestimate: (placeboTreatment: Float64Array) => number,
  rng: Rng,
  options: RefuterOptions = {},
): RefutationResult {
  const { sims, alpha } = checkCommon(options);
  const n = treatment.length;
  const values = runSimulations(
    sims,
    () => {
      const perm = permutation(n, rng);
      return reestimate(Float64Array.from(perm, (j) => treatment[j]!));
    },
    'placebo treatment',
  );
  const { pValue, testType } = refutationPValue(0, values);
  const s = summarise(values);
  const verdict: Verdict = pValue > alpha ? 'passed' : 'failed';
  const explanation =
    verdict === 'passed'
      ? `With the treatment randomly permuted, the estimates centre on ${fmt(s.mean)} (95% of ${sims} runs in [${fmt(s.q025)}, ${fmt(s.q975)}]); 0 is consistent with them (two-tailed p = ${fmt(pValue)}), as it should be when the effect comes from the real treatment.`
      : `With the treatment randomly permuted the pipeline still finds an "effect" (mean ${fmt(s.mean)}, 95% of ${sims} runs in [${fmt(s.q025)}, ${fmt(s.q975)}]); 0 is outside that distribution (two-tailed p = ${fmt(pValue)}). The estimate is produced by something other than the treatment: check the pipeline.`;
  return { name: 'placebo-treatment', estimate, referenceValue: 0, simulations: s, pValue, testType, verdict, explanation };
}

/**
 * Random common cause: `reestimate(covariate)` must rerun the pipeline with an extra N(0,1)
 * covariate of length n. Passes when the original estimate is consistent with the new ones.
 */
export function randomCommonCauseRefuter(
  estimate: number,
  n: number,
  reestimate: (covariate: Float64Array) => number,
  rng: Rng,
  options: RefuterOptions = {},
): RefutationResult {
  const { sims, alpha } = checkCommon(options);
  if (!(Number.isInteger(n) && n > 0)) throw new CausalInputError(`n must be a positive whole number of rows; got ${n}.`, { n });
  const values = runSimulations(
    sims,
    () => {
      const z = new Float64Array(n);
      for (let i = 0; i < n; i++) z[i] = rng.normal();
      return reestimate(z);
    },
    'random common cause',
  );
  return compareWithOriginal('random-common-cause', estimate, values, alpha, 'adding an unrelated random covariate');
}

/**
 * Data subset: `reestimate(rows)` reruns the pipeline on the given 0-based rows (sorted, a
 * ⌊fraction·n⌋ subset drawn without replacement). Passes when the original estimate is
 * consistent with the subset estimates.
 */
export function dataSubsetRefuter(
  estimate: number,
  n: number,
  reestimate: (rows: Int32Array) => number,
  rng: Rng,
  options: SubsetOptions = {},
): RefutationResult {
  const { sims, alpha } = checkCommon(options);
  const fraction = options.fraction ?? 0.8;
  if (!(fraction > 0 && fraction < 1)) throw new CausalInputError(`fraction must lie strictly between 0 and 1; got ${fraction}.`, { fraction });
  const k = Math.floor(fraction * n);
  if (!(Number.isInteger(n) && k >= 2)) throw new CausalInputError(`A ${fraction} subset of ${n} rows is too small to estimate on.`, { n, fraction });
  const values = runSimulations(
    sims,
    () => {
      const rows = permutation(n, rng).subarray(0, k).slice().sort();
      return reestimate(rows);
    },
    'data subset',
  );
  return compareWithOriginal('data-subset', estimate, values, alpha, `re-estimating on random ${Math.round(fraction * 100)}% subsets`);
}

function compareWithOriginal(name: 'random-common-cause' | 'data-subset', estimate: number, values: Float64Array, alpha: number, what: string): RefutationResult {
  const { pValue, testType } = refutationPValue(estimate, values);
  const s = summarise(values);
  const verdict: Verdict = pValue > alpha ? 'passed' : 'failed';
  const explanation =
    verdict === 'passed'
      ? `After ${what}, the estimates (mean ${fmt(s.mean)}, 95% of ${s.n} runs in [${fmt(s.q025)}, ${fmt(s.q975)}]) are consistent with the original ${fmt(estimate)} (two-tailed p = ${fmt(pValue)}).`
      : `After ${what}, the estimates (mean ${fmt(s.mean)}, 95% of ${s.n} runs in [${fmt(s.q025)}, ${fmt(s.q975)}]) move away from the original ${fmt(estimate)} (two-tailed p = ${fmt(pValue)}). The estimate is not stable under a change that should not matter.`;
  return { name, estimate, referenceValue: estimate, simulations: s, pValue, testType, verdict, explanation };
}

/**
 * Negative-control outcome: the caller runs the identical pipeline (same imputations, PS,
 * matching, SE, pooling) on an outcome the treatment cannot affect and passes its estimate
 * here. The check tests ATT_nc = 0: it passes when the CI contains 0 (p > α).
 */
export function negativeControlVerdict(
  result: { estimate: number; ci95: readonly [number, number]; pValue: number },
  options: { alpha?: number; outcomeName?: string } = {},
): RefutationResult {
  const alpha = options.alpha ?? 0.05;
  const [lo, hi] = result.ci95;
  if (!(lo <= hi)) throw new CausalInputError(`The negative-control CI [${lo}, ${hi}] is not an interval.`, { lo, hi });
  const covers = lo <= 0 && 0 <= hi;
  const verdict: Verdict = covers && result.pValue > alpha ? 'passed' : 'failed';
  const label = options.outcomeName ? `the negative-control outcome "${options.outcomeName}"` : 'the negative-control outcome';
  const explanation =
    verdict === 'passed'
      ? `On ${label} the same pipeline estimates ${fmt(result.estimate)} with CI [${fmt(lo)}, ${fmt(hi)}], which includes 0 (p = ${fmt(result.pValue)}): no sign of residual confounding.`
      : `On ${label}, which the treatment cannot affect, the same pipeline estimates ${fmt(result.estimate)} with CI [${fmt(lo)}, ${fmt(hi)}] excluding 0 (p = ${fmt(result.pValue)}): this points to residual confounding or a pipeline problem.`;
  return { name: 'negative-control', estimate: result.estimate, referenceValue: 0, simulations: null, pValue: result.pValue, testType: 'confidence-interval', verdict, explanation };
}
