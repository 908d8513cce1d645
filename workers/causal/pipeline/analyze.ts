/**
 * The whole analysis as one pure function: frame + options + rng → result (METHODS §0, one
 * imputation): validate → design matrix (R's treatment contrasts) → propensity score (logistic
 * IRLS as `glm`, or cross-fitted GBM) → MatchIt-style nearest-neighbour matching → balance
 * (`summary.matchit`) → ATT by the weighted difference in means with a cluster-robust (CR1) or
 * HC3 SE, g-computation with treatment × covariate interactions beside it (MatchIt vignette
 * "estimating-effects"); or IPW / AIPW on the same score. No clock, no I/O: stages are
 * announced through `options.onStage` so the caller can time them.
 */
import { buildDesignMatrix, type DesignMatrix } from '../data/design-matrix';
import type { Column, Frame } from '../data/frame';
import { CausalInputError } from '../errors';
import { abadieImbens, matchedSetsFromMatchResult } from '../estimate/abadie-imbens';
import { augmentedIpw } from '../estimate/aipw';
import { matchedBootstrap, unitBootstrap } from '../estimate/bootstrap';
import { differenceInMeans, weightedGroupMeans } from '../estimate/difference-in-means';
import { gComputation } from '../estimate/g-computation';
import { inverseProbabilityWeighting } from '../estimate/ipw';
import type { VcovType } from '../estimate/sandwich';
import { matchNearest } from '../match/nearest';
import type { Rng } from '../random/rng';
import type { EffectEstimate, MatchResult, Matrix } from '../types';
import { ENGINE_VERSION } from '../version';
import { balanceRows } from './balance-table';
import type { AnalyzeOptions, AnalyzeResult, BalanceRow, EstimateSummary } from './options';
import { prepareData, type PreparedData } from './prepare';
import { fitPropensity, type PropensityScores } from './propensity-stage';
import { negativeControlVerdict } from '../sensitivity/refuters';
import { sensitivityReport } from './sensitivity-report';
import { sensitivityStage } from './sensitivity-stage';
import type { NegativeControlResult, SensitivityDetail } from './sensitivity-types';

const summary = (e: EffectEstimate): EstimateSummary => ({ estimate: e.estimate, se: e.se, ci95: e.ci95, pValue: e.pValue, df: e.df, seType: e.seType });

/** The design without its intercept column: covariates for outcome models and Mahalanobis. */
function dropIntercept(design: DesignMatrix): Matrix {
  const { data, rows, cols } = design.matrix;
  const q = cols - 1;
  const out = new Float64Array(rows * q);
  for (let i = 0; i < rows; i++) for (let j = 0; j < q; j++) out[i * q + j] = data[i * cols + j + 1]!;
  return { data: out, rows, cols: q };
}

/** One stratum code per unit from the exact-matching columns (their level combination). */
function exactStrata(columns: readonly Column[], n: number): Int32Array | undefined {
  if (columns.length === 0) return undefined;
  const codes = new Int32Array(n);
  const keys = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = columns.map((c) => (c.kind === 'categorical' ? c.codes[i]! : c.values[i]!)).join('\u0001');
    let code = keys.get(key);
    if (code === undefined) keys.set(key, (code = keys.size));
    codes[i] = code;
  }
  return codes;
}

interface MatchStage {
  readonly match: MatchResult;
  readonly matchedTreated: number;
  readonly matchedControl: number;
}

function runMatching(data: PreparedData, scores: PropensityScores, options: AnalyzeOptions, rng: Rng): MatchStage {
  const n = data.treat.length;
  const mahvars = data.mahalanobis.length > 0 ? dropIntercept(buildDesignMatrix(data.mahalanobis)) : undefined;
  const match = matchNearest(scores.distance, data.treat, {
    ratio: options.ratio ?? 1,
    replace: options.replace ?? false,
    caliper: options.caliper,
    mOrder: options.order,
    exact: exactStrata(data.exact, n),
    mahvars,
    mahvarNames: mahvars ? buildDesignMatrix(data.mahalanobis).columnNames.slice(1) : undefined,
    rng: rng.derive('match'),
  });
  let matchedTreated = 0;
  let matchedControl = 0;
  for (let i = 0; i < n; i++) {
    if (!(match.weights[i]! > 0)) continue;
    if (data.treat[i] === 1) matchedTreated++;
    else matchedControl++;
  }
  if (matchedTreated === 0) {
    const where = match.caliperWidth !== null ? ` within the caliper (width ${match.caliperWidth.toPrecision(4)} on the ${options.link === 'linear.logit' ? 'logit' : 'probability'} scale)` : '';
    throw new CausalInputError(`No overlap: no treated unit has a control${where}${data.exact.length ? ' in its exact-matching stratum' : ''}. Widen --caliper, drop --exact variables, or check that treated and control units are comparable.`, {
      caliperWidth: match.caliperWidth,
    });
  }
  return { match, matchedTreated, matchedControl };
}

export function analyze(frame: Frame, options: AnalyzeOptions, rng: Rng): AnalyzeResult {
  const stage = options.onStage ?? ((): void => undefined);
  stage('validate');
  const data = prepareData(frame, options);
  const warnings = [...data.warnings];
  const { treat, y } = data;
  const n = treat.length;
  let n1 = 0;
  for (let i = 0; i < n; i++) n1 += treat[i]!;
  const estimator = options.estimator ?? 'matching';
  const replace = options.replace ?? false;

  stage('design');
  const built = buildDesignMatrix(data.covariates);
  const shareMatrix = options.parallel?.shareMatrix;
  const design: DesignMatrix = shareMatrix ? { ...built, matrix: shareMatrix(built.matrix) } : built;

  stage('propensity');
  const pre = options.precomputedPropensity;
  if (pre && pre.distance.length !== n) throw new CausalInputError(`The precomputed propensity score has ${pre.distance.length} values for ${n} rows.`, {});
  const scores: PropensityScores = pre ? { ...pre, logistic: false, warnings: [] } : fitPropensity(design, treat, options, rng.derive('propensity'));
  warnings.push(...scores.warnings);

  let headline: EffectEstimate;
  let gComp: EstimateSummary | null = null;
  let weightsAfter: Float64Array;
  let matchStage: MatchStage | null = null;
  let pendingBalance: (() => BalanceRow[]) | undefined;
  if (estimator === 'matching') {
    stage('match');
    matchStage = runMatching(data, scores, options, rng);
    const { match } = matchStage;
    weightsAfter = match.weights;
    // Balance needs only the match weights: it can run on another thread beside the estimators.
    pendingBalance = options.parallel?.startBalance?.(data.covariates, treat, weightsAfter);
    if (matchStage.matchedTreated < n1) {
      warnings.push(
        `${n1 - matchStage.matchedTreated} of ${n1} treated units found no match${match.caliperWidth !== null ? ' within the caliper' : ''}; the estimate is for the matched treated units only (not the ATT of all treated).`,
      );
    }
    stage('estimate');
    const seMethod = options.se ?? (replace ? 'hc3' : 'cluster');
    const vcov: VcovType = seMethod === 'cluster' ? 'CR1' : seMethod === 'hc3' ? 'HC3' : replace ? 'HC3' : 'CR1';
    // Units with weight 0 add nothing to a weighted lm, its sandwich or its residual df (R's
    // lm drops zero weights); the estimators skip them, so the full arrays go in without copies.
    const subclass = vcov === 'CR1' ? match.subclass : undefined;
    const diff = differenceInMeans(y, treat, { weights: match.weights, subclass, vcov });
    headline = diff;
    try {
      // The design matrix itself, skipping its intercept column (no n × p copy).
      gComp = summary(gComputation(y, treat, design.matrix, { weights: match.weights, subclass, vcov, covariateNames: design.columnNames.slice(1), firstColumn: 1 }));
    } catch (err) {
      if (!(err instanceof CausalInputError)) throw err;
      warnings.push(`G-computation was not estimable: ${err.message}`);
    }
    if (seMethod === 'ai') {
      const ai = abadieImbens(y, treat, matchedSetsFromMatchResult(match), { estimand: 'ATT' });
      headline = { ...ai, estimate: diff.estimate };
      warnings.push('The Abadie–Imbens SE treats the propensity score as known (it ignores its estimation; Abadie & Imbens 2016).');
    } else if (seMethod === 'bootstrap') {
      stage('bootstrap');
      const B = options.bootstrapReplicates ?? 999;
      const bootRng = rng.derive('bootstrap');
      if (!replace) {
        const m = matchedSubset(match.weights, y, treat, match.subclass);
        headline = matchedBootstrap(m.y, m.treat, { weights: m.weights, subclass: m.subclass, rng: bootRng, replicates: B }).effect;
      } else {
        // Matching with replacement: the naive bootstrap is invalid (Abadie & Imbens 2008), so
        // each replicate refits the propensity score and redoes the matching.
        const statistic = (rows: Int32Array): number => rerunPrepared(subsetPrepared(data, rows), options, rng);
        headline = unitBootstrap(n, statistic, { rng: bootRng, replicates: B, strata: treat }).effect;
      }
    }
  } else {
    stage('estimate');
    if (estimator === 'ipw') {
      const ipw = inverseProbabilityWeighting(y, treat, scores.probability, { estimand: 'ATT', psDesign: scores.logistic ? design.matrix : undefined });
      headline = ipw;
      weightsAfter = ipw.weights;
    } else {
      headline = augmentedIpw(y, treat, scores.probability, dropIntercept(design), { estimand: 'ATT', covariateNames: design.columnNames.slice(1) });
      weightsAfter = attWeights(treat, scores.probability);
    }
    if (options.se === 'bootstrap') {
      stage('bootstrap');
      const statistic = (rows: Int32Array): number => rerunPrepared(subsetPrepared(data, rows), options, rng);
      headline = unitBootstrap(n, statistic, { rng: rng.derive('bootstrap'), replicates: options.bootstrapReplicates ?? 999, strata: treat }).effect;
    }
  }

  stage('balance');
  const balance = pendingBalance ? pendingBalance() : balanceRows(data.covariates, treat, weightsAfter);
  let negativeControl: NegativeControlResult | undefined;
  if (data.negativeControl && options.negativeControl) {
    const subclass = matchStage && !replace && headline.seType.includes('cluster') ? matchStage.match.subclass : undefined;
    const nc = differenceInMeans(data.negativeControl, treat, { weights: weightsAfter, subclass, vcov: subclass ? 'CR1' : 'HC3' });
    const v = negativeControlVerdict(nc, { outcomeName: options.negativeControl });
    negativeControl = { column: options.negativeControl, estimate: nc.estimate, se: nc.se, ci95: nc.ci95, pValue: nc.pValue, df: nc.df, verdict: v.verdict, explanation: v.explanation };
    warnings.push(`Negative control "${options.negativeControl}": Causeway cannot check from the data that it was measured before treatment; the check is only meaningful if it was (you assert this by naming it).`);
  }
  let sensitivityDetail: SensitivityDetail | undefined;
  if (options.sensitivity) {
    stage('sensitivity');
    const rerun = (rows: Int32Array | null, extra: Float64Array | null): number => {
      const base = rows ? subsetPrepared(data, rows) : data;
      const sub: PreparedData = extra ? { ...base, covariates: [...base.covariates, { name: '.random_common_cause', kind: 'numeric', values: extra }] } : base;
      return rerunPrepared(sub, { ...options, precomputedPropensity: undefined }, rng);
    };
    sensitivityDetail = sensitivityStage(
      { y, treat, design, match: matchStage ? matchStage.match : null, weights: weightsAfter, estimate: headline.estimate, gEstimate: gComp ? gComp.estimate : null, rerun },
      options.sensitivity,
      rng.derive('sensitivity'),
    );
  }
  const result: AnalyzeResult = {
    estimand: 'ATT',
    estimator,
    estimate: headline.estimate,
    se: headline.se,
    seType: headline.seType,
    ci95: headline.ci95,
    pValue: headline.pValue,
    df: headline.df,
    n: {
      rows: frame.rows,
      used: n,
      treated: n1,
      control: n - n1,
      matchedTreated: matchStage ? matchStage.matchedTreated : countPositive(weightsAfter, treat, 1),
      matchedControl: matchStage ? matchStage.matchedControl : countPositive(weightsAfter, treat, 0),
    },
    caliperWidth: matchStage ? matchStage.match.caliperWidth : null,
    matchRate: matchStage ? matchStage.matchedTreated / n1 : null,
    gComputation: gComp,
    propensity: scores.diagnostics,
    balance,
    warnings,
    engineVersion: ENGINE_VERSION,
    options: {
      propensity: options.propensity ?? 'logistic',
      link: options.link ?? 'logit',
      caliper: options.caliper ?? null,
      ratio: options.ratio ?? 1,
      replace,
      exact: options.exact ?? [],
      mahalanobis: options.mahalanobis ?? [],
      order: options.order ?? 'largest',
      estimator,
      se: estimator === 'matching' ? (options.se ?? (replace ? 'hc3' : 'cluster')) : (options.se ?? 'influence function'),
    },
    ...(sensitivityDetail ? { sensitivity: sensitivityReport([sensitivityDetail], headline, headline.df), sensitivityDetail } : {}),
    ...(negativeControl ? { negativeControl } : {}),
  };
  if (options.emitMatches && matchStage) return { ...result, matches: matchPairs(matchStage.match, data.rowIndex) };
  return result;
}

interface MatchedSubset {
  readonly y: Float64Array;
  readonly treat: Uint8Array;
  readonly weights: Float64Array;
  readonly subclass: Int32Array;
}

/** The rows with positive matching weight (all arrays restricted to them, order kept). */
function matchedSubset(weights: Float64Array, y: Float64Array, treat: Uint8Array, subclass: Int32Array): MatchedSubset {
  let count = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i]! > 0) count++;
  const rows = new Int32Array(count);
  for (let i = 0, k = 0; i < weights.length; i++) if (weights[i]! > 0) rows[k++] = i;
  return {
    y: Float64Array.from(rows, (r) => y[r]!),
    treat: Uint8Array.from(rows, (r) => treat[r]!),
    weights: Float64Array.from(rows, (r) => weights[r]!),
    subclass: Int32Array.from(rows, (r) => subclass[r]!),
  };
}

/** IPW ATT weights (treated 1, controls e/(1−e)), for balance after AIPW. */
function attWeights(treat: Uint8Array, ps: Float64Array): Float64Array {
  return Float64Array.from(treat, (t, i) => (t === 1 ? 1 : ps[i]! / (1 - ps[i]!)));
}

function countPositive(w: Float64Array, treat: Uint8Array, group: number): number {
  let c = 0;
  for (let i = 0; i < w.length; i++) if (treat[i] === group && w[i]! > 0) c++;
  return c;
}

/**
 * Pairs [treatedRow, controlRow, weight] in input-frame rows. The weight of a pair is the
 * control's share of its treated unit, 1/(number of controls matched to that treated unit), as
 * in MatchIt's `weights_matrixC`; the control's MatchIt weight sums these over its treated units.
 */
function matchPairs(match: MatchResult, rowIndex: Int32Array): [number, number, number][] {
  const pairs: [number, number, number][] = [];
  const { focalIndex, matchMatrix, ratio } = match;
  for (let f = 0; f < focalIndex.length; f++) {
    let k = 0;
    for (let j = 0; j < ratio; j++) if (matchMatrix[f * ratio + j]! >= 0) k++;
    for (let j = 0; j < ratio; j++) {
      const c = matchMatrix[f * ratio + j]!;
      if (c >= 0) pairs.push([rowIndex[focalIndex[f]!]!, rowIndex[c]!, 1 / k]);
    }
  }
  return pairs;
}

/** The prepared data restricted to `rows` (repeats allowed, as a bootstrap draws them). */
function subsetPrepared(data: PreparedData, rows: Int32Array): PreparedData {
  const pick = (c: Column): Column =>
    c.kind === 'numeric' ? { name: c.name, kind: 'numeric', values: Float64Array.from(rows, (r) => c.values[r]!) } : { name: c.name, kind: 'categorical', codes: Int32Array.from(rows, (r) => c.codes[r]!), levels: c.levels };
  return {
    rowIndex: Int32Array.from(rows, (r) => data.rowIndex[r]!),
    treat: Uint8Array.from(rows, (r) => data.treat[r]!),
    y: Float64Array.from(rows, (r) => data.y[r]!),
    covariates: data.covariates.map(pick),
    exact: data.exact.map(pick),
    mahalanobis: data.mahalanobis.map(pick),
    warnings: [],
  };
}

/**
 * One full re-run (bootstrap replicate, refuter simulation): the propensity model, the matching
 * and the headline estimator are redone on `sub` (no SEs needed).
 */
function rerunPrepared(sub: PreparedData, options: AnalyzeOptions, rng: Rng): number {
  const design = buildDesignMatrix(sub.covariates);
  const scores = fitPropensity(design, sub.treat, options, rng.derive('propensity'));
  if ((options.estimator ?? 'matching') === 'matching') {
    const { match } = runMatching(sub, scores, options, rng);
    return weightedDifference(sub.y, sub.treat, match.weights);
  }
  if (options.estimator === 'ipw') return weightedDifference(sub.y, sub.treat, attWeights(sub.treat, scores.probability));
  return augmentedIpw(sub.y, sub.treat, scores.probability, dropIntercept(design), { estimand: 'ATT' }).estimate;
}

/** Σ_T wY/Σ_T w − Σ_C wY/Σ_C w (the point estimate only). */
function weightedDifference(y: Float64Array, treat: Uint8Array, w: Float64Array): number {
  const means = weightedGroupMeans(y, treat, w);
  return means.treated - means.control;
}
