/**
 * Per-dataset sensitivity material for `analyze` (METHODS §6); ./sensitivity-report turns one
 * dataset's, or m imputations', material into the report.
 *
 * - Rosenbaum bounds (§6.1) on the matched sets, only for matching WITHOUT replacement (sets
 *   must be independent): 1:1 pairs → Wilcoxon signed rank (continuous outcome) or the
 *   McNemar-type bound (0/1 outcome); k:1 → Huber–Maritz M-statistic (senmv, trim 3), not for a
 *   0/1 outcome (the within-set scale is 0). Direction: 'greater' when the estimate is ≥ 0.
 *   Γ* by bisection (sensitivity/rosenbaum `largestSignificantGamma`), α = 0.05.
 * - E-value material (§6.2): continuous outcome → SD(Y), the total SD (n − 1) of the outcome over
 *   all analysed rows (the conservative choice of METHODS); 0/1 outcome → log RR = log(p₁/p₀)
 *   with p₁ the weighted treated risk (= the g-computation prediction under treatment, which
 *   reproduces the treated arm) and p₀ = p₁ − ATT_g (g-computation; the weighted difference when
 *   it is not available); Var(log RR) by the delta method with the CR1 (by matched set; HC0 per
 *   unit with replacement) covariance of the two weighted risks of the matched sample, i.e. the
 *   unadjusted risks — conservative when the covariates predict the outcome.
 * - Cinelli–Hazlett OVB (§6.3): the classical weighted OLS of Y on [1, D, X] over the matched
 *   rows with the matching (or weighting) weights, and the partial R² of each benchmark
 *   covariate (all its dummy columns for a categorical one).
 * - Refuters (§6.4), when asked: placebo treatment on the FIXED matched design (in each matched
 *   set the "treated" label moves to a member drawn at random and the weighted difference is
 *   recomputed, so the score and the matching are not refitted: cheap, and it tests the
 *   estimator on this design; with replacement, where sets overlap, labels are permuted over
 *   the matched units keeping their weights); random common cause and data subset re-run the
 *   score, the matching and the weighted difference (`rerun`).
 */
import type { DesignMatrix } from '../data/design-matrix';
import { CausalInputError } from '../errors';
import type { Rng } from '../random/rng';
import { rosenbaumMStatistic } from '../sensitivity/m-statistic';
import { ovbSensitivity } from '../sensitivity/ovb';
import { dataSubsetRefuter, randomCommonCauseRefuter, refutationPValue, summarise, type RefutationResult } from '../sensitivity/refuters';
import { discordantPairs, rosenbaumMcNemar, rosenbaumWilcoxon } from '../sensitivity/rosenbaum';
import type { MatchResult } from '../types';
import type { SensitivityOptions } from './options';
import type { EValueDetail, OvbDetail, RosenbaumDetail, SensitivityDetail } from './sensitivity-types';
import { weightedGroupMeans } from '../estimate/difference-in-means';

export interface SensitivityInput {
  readonly y: Float64Array;
  readonly treat: Uint8Array;
  readonly design: DesignMatrix;
  /** null for the weighting estimators. */
  readonly match: MatchResult | null;
  /** Matching or weighting weights (0 = not in the sample). */
  readonly weights: Float64Array;
  readonly estimate: number;
  /** G-computation ATT when available (binary outcome: p₀ = p₁ − this). */
  readonly gEstimate: number | null;
  /** Re-runs score, matching and weighted difference on rows (with repeats) plus extra covariates. */
  readonly rerun: (rows: Int32Array | null, extra: Float64Array | null) => number;
}

export const GAMMA_GRID: readonly number[] = [1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.75, 2, 2.5, 3, 4, 5];

const message = (err: unknown): string => {
  if (err instanceof CausalInputError) return err.message;
  throw err;
};

export function isBinary(y: Float64Array): boolean {
  for (let i = 0; i < y.length; i++) if (y[i] !== 0 && y[i] !== 1) return false;
  return true;
}

function rosenbaumStage(input: SensitivityInput, binary: boolean): RosenbaumDetail {
  const alternative = input.estimate >= 0 ? 'greater' : 'less';
  const none = (note: string): RosenbaumDetail => ({ method: null, alternative, gammaStar: null, grid: [], sets: 0, note });
  const { match, y } = input;
  if (!match) return none('Rosenbaum bounds need matched sets; the weighting estimators have none.');
  if (match.replace) return none('Rosenbaum bounds assume independent matched sets; with replacement a control serves several sets, so no bound is reported.');
  const { focalIndex, matchMatrix, ratio } = match;
  try {
    if (ratio === 1) {
      const t: number[] = [];
      const c: number[] = [];
      for (let f = 0; f < focalIndex.length; f++) {
        const ctrl = matchMatrix[f]!;
        if (ctrl < 0) continue;
        t.push(y[focalIndex[f]!]!);
        c.push(y[ctrl]!);
      }
      if (binary) {
        const { treatedOnly, controlOnly } = discordantPairs(Float64Array.from(t), Float64Array.from(c));
        const r = rosenbaumMcNemar(treatedOnly, controlOnly, { gammas: GAMMA_GRID, alternative });
        return { method: 'mcnemar', alternative, gammaStar: r.gammaStar, grid: r.table.map((b) => ({ gamma: b.gamma, upper: b.upper })), sets: t.length, note: `McNemar-type bound on ${r.discordant} discordant pairs of ${t.length} (0/1 outcome).` };
      }
      const d = Float64Array.from(t, (v, i) => v - c[i]!);
      const r = rosenbaumWilcoxon(d, { gammas: GAMMA_GRID, alternative });
      return { method: 'wilcoxon-signed-rank', alternative, gammaStar: r.gammaStar, grid: r.table.map((b) => ({ gamma: b.gamma, upper: b.upper })), sets: t.length, note: `Wilcoxon signed-rank bound on ${t.length} matched pairs (${r.summary.nZero} zero differences dropped).` };
    }
    if (binary) return none(`Matching is ${ratio}:1 and the outcome is 0/1: the M-statistic's within-set scale is 0 for such outcomes, and the McNemar bound is for pairs only, so no bound is reported (use --ratio 1).`);
    const cols = ratio + 1;
    const data = new Float64Array(focalIndex.length * cols).fill(Number.NaN);
    for (let f = 0; f < focalIndex.length; f++) {
      data[f * cols] = y[focalIndex[f]!]!;
      for (let k = 0; k < ratio; k++) {
        const ctrl = matchMatrix[f * ratio + k]!;
        if (ctrl >= 0) data[f * cols + 1 + k] = y[ctrl]!;
      }
    }
    const r = rosenbaumMStatistic({ data, rows: focalIndex.length, cols }, { gammas: GAMMA_GRID, alternative });
    return { method: 'huber-maritz-m', alternative, gammaStar: r.gammaStar, grid: r.table.map((b) => ({ gamma: b.gamma, upper: b.pValue })), sets: r.nSets, note: `Huber–Maritz M-statistic (senmv style, trim 3) on ${r.nSets} matched sets of up to ${ratio} controls.` };
  } catch (err) {
    return none(`No Rosenbaum bound: ${message(err)}`);
  }
}

/** CR1 (by cluster) covariance of the weighted treated and control means of y. */
function riskCovariance(y: Float64Array, treat: Uint8Array, w: Float64Array, cluster: Int32Array | null): { p1: number; p0: number; v1: number; v0: number; cov: number } {
  const { treated: p1, control: p0, treatedWeight: w1, controlWeight: w0 } = weightedGroupMeans(y, treat, w);
  const a = new Map<number, [number, number]>();
  let next = -1;
  for (let i = 0; i < y.length; i++) {
    const wi = w[i]!;
    if (!(wi > 0)) continue;
    const g = cluster && cluster[i]! >= 0 ? cluster[i]! : next--;
    const acc = a.get(g) ?? [0, 0];
    if (treat[i] === 1) acc[0] += (wi * (y[i]! - p1)) / w1;
    else acc[1] += (wi * (y[i]! - p0)) / w0;
    a.set(g, acc);
  }
  const G = a.size;
  const c = G > 1 ? G / (G - 1) : 1;
  let v1 = 0;
  let v0 = 0;
  let cov = 0;
  for (const [u1, u0] of a.values()) {
    v1 += u1 * u1;
    v0 += u0 * u0;
    cov += u1 * u0;
  }
  return { p1, p0, v1: c * v1, v0: c * v0, cov: c * cov };
}

function eValueStage(input: SensitivityInput, binary: boolean): EValueDetail {
  const { y, treat, weights, match } = input;
  if (!binary) {
    const n = y.length;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += y[i]!;
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (y[i]! - mean) ** 2;
    const sd = Math.sqrt(ss / (n - 1));
    return { binary, sdOutcome: sd > 0 ? sd : null, logRR: null, seLogRR: null, note: sd > 0 ? null : 'The outcome is constant; no E-value.' };
  }
  const cluster = match && !match.replace ? match.subclass : null;
  const r = riskCovariance(y, treat, weights, cluster);
  const tau = input.gEstimate ?? r.p1 - r.p0;
  const p0 = r.p1 - tau;
  if (!(r.p1 > 0 && r.p1 < 1 && p0 > 0 && p0 < 1)) {
    return { binary, sdOutcome: null, logRR: null, seLogRR: null, note: `The risks (treated ${r.p1.toFixed(4)}, counterfactual ${p0.toFixed(4)}) must lie strictly between 0 and 1 for a risk ratio; no E-value.` };
  }
  const varLog = r.v1 / (r.p1 * r.p1) + r.v0 / (p0 * p0) - (2 * r.cov) / (r.p1 * p0);
  return { binary, sdOutcome: null, logRR: Math.log(r.p1 / p0), seLogRR: Math.sqrt(Math.max(varLog, 0)), note: null };
}

function ovbStage(input: SensitivityInput, benchmarks: readonly string[], notes: string[]): OvbDetail | null {
  const { y, treat, weights, design } = input;
  const { data, cols } = design.matrix;
  const q = cols - 1;
  let count = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i]! > 0) count++;
  // The matched rows only: zero weights add nothing to the fit and would count in its dof.
  const ys = new Float64Array(count);
  const ds = new Float64Array(count);
  const ws = new Float64Array(count);
  const xs = new Float64Array(count * q);
  for (let i = 0, r = 0; i < weights.length; i++) {
    if (!(weights[i]! > 0)) continue;
    ys[r] = y[i]!;
    ds[r] = treat[i]!;
    ws[r] = weights[i]!;
    for (let j = 0; j < q; j++) xs[r * q + j] = data[i * cols + j + 1]!;
    r++;
  }
  const names = design.columnNames.slice(1);
  const groups = benchmarks.map((b) => {
    const term = design.terms.find((t) => t.column === b);
    if (!term) throw new CausalInputError(`Benchmark covariate "${b}" (--benchmark) is not one of the covariates.`, { column: b });
    return { label: b, columns: names.slice(term.start - 1, term.end - 1) };
  });
  try {
    const r = ovbSensitivity({ y: ys, d: ds, covariates: { data: xs, rows: count, cols: q }, covariateNames: names, weights: ws }, { benchmarks: groups.filter((g) => g.columns.length > 0), kd: [1] });
    return { estimate: r.estimate, se: r.se, dof: r.dof, benchmarks: r.benchmarks.map((b) => ({ covariate: b.label, r2dxjX: b.r2dxjX, r2yxjDx: b.r2yxjDx })) };
  } catch (err) {
    notes.push(`No OVB sensitivity: ${message(err)}`);
    return null;
  }
}

/** Placebo on the fixed matched design (see the file comment). */
function placeboFixedDesign(input: SensitivityInput, rng: Rng, sims: number): RefutationResult {
  const { y, treat, weights, match, estimate } = input;
  const values = new Float64Array(sims);
  const sets = new Map<number, number[]>();
  const withSets = match !== null && !match.replace;
  if (withSets) {
    for (let i = 0; i < y.length; i++) if (weights[i]! > 0 && match.subclass[i]! >= 0) {
      const s = match.subclass[i]!;
      const list = sets.get(s);
      if (list) list.push(i);
      else sets.set(s, [i]);
    }
  }
  const members = [...sets.values()];
  const matched = Int32Array.from(Array.from({ length: y.length }, (_, i) => i).filter((i) => weights[i]! > 0));
  for (let k = 0; k < sims; k++) {
    if (withSets) {
      let total = 0;
      for (const set of members) {
        const t = rng.nextInt(set.length);
        let c = 0;
        for (let a = 0; a < set.length; a++) if (a !== t) c += y[set[a]!]!;
        total += y[set[t]!]! - c / (set.length - 1);
      }
      values[k] = total / members.length;
    } else {
      // Permute the labels over the matched units; each unit keeps its weight.
      const labels = Uint8Array.from(matched, (i) => treat[i]!);
      for (let a = labels.length - 1; a > 0; a--) {
        const b = rng.nextInt(a + 1);
        const tmp = labels[a]!;
        labels[a] = labels[b]!;
        labels[b] = tmp;
      }
      let s1 = 0;
      let w1 = 0;
      let s0 = 0;
      let w0 = 0;
      matched.forEach((i, r) => {
        if (labels[r] === 1) {
          s1 += weights[i]! * y[i]!;
          w1 += weights[i]!;
        } else {
          s0 += weights[i]! * y[i]!;
          w0 += weights[i]!;
        }
      });
      values[k] = s1 / w1 - s0 / w0;
    }
  }
  const { pValue, testType } = refutationPValue(0, values);
  const s = summarise(values);
  const verdict = pValue > 0.05 ? 'passed' : 'failed';
  const design = withSets ? 'within each matched set the treated label was moved to a random member (score and matching kept fixed)' : 'treatment labels were permuted over the matched units (weights kept)';
  const explanation =
    verdict === 'passed'
      ? `Placebo: ${design}; the ${sims} placebo estimates centre on ${s.mean.toPrecision(4)} (95% in [${s.q025.toPrecision(4)}, ${s.q975.toPrecision(4)}]) and 0 is consistent with them (two-tailed p = ${pValue.toPrecision(3)}).`
      : `Placebo: ${design}; the placebo estimates (mean ${s.mean.toPrecision(4)}) are inconsistent with 0 (two-tailed p = ${pValue.toPrecision(3)}): the estimator finds an "effect" without the treatment. Check the pipeline.`;
  return { name: 'placebo-treatment', estimate, referenceValue: 0, simulations: s, pValue, testType, verdict, explanation };
}

export function sensitivityStage(input: SensitivityInput, options: SensitivityOptions, rng: Rng): SensitivityDetail {
  const notes: string[] = [];
  const binary = isBinary(input.y);
  const rosenbaum = rosenbaumStage(input, binary);
  const eValue = eValueStage(input, binary);
  const ovb = ovbStage(input, options.benchmarks ?? [], notes);
  const refuters: RefutationResult[] = [];
  if (options.refuters) {
    refuters.push(placeboFixedDesign(input, rng.derive('placebo'), options.placeboSimulations ?? 100));
    const sims = options.rerunSimulations ?? 20;
    const n = input.y.length;
    try {
      refuters.push(randomCommonCauseRefuter(input.estimate, n, (z) => input.rerun(null, z), rng.derive('random-common-cause'), { simulations: sims }));
      refuters.push(dataSubsetRefuter(input.estimate, n, (rows) => input.rerun(rows, null), rng.derive('data-subset'), { simulations: sims }));
    } catch (err) {
      notes.push(`A re-running refuter stopped: ${message(err)}`);
    }
  }
  return { rosenbaum, eValue, ovb, refuters, notes };
}
