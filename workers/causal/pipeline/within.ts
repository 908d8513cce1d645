/**
 * Multiple imputation, "within" approach (METHODS §0, §1, §4.6; MatchThem's default): for each
 * of m imputations j, impute the missing values by MICE (`imputeOnce` with the stream
 * `rng.derive(j).derive('mice')`), then run the whole `analyze` pipeline — propensity model,
 * matching, balance, estimate, sensitivity material — on the completed data with
 * `rng.derive(j).derive('analyze')`. Imputation j depends only on the seed and j, so the runs
 * can go to any thread in any order (`ParallelHooks.imputeAnalyze`) with identical results.
 * The m estimates are pooled by Rubin's rules with the Barnard–Rubin df, dfcom = G − 1 for a
 * cluster-robust SE (G matched sets), the residual df for HC3, ∞ for AI, bootstrap and the
 * weighting estimators (§4.6). With the matching estimator the pooled estimate is, by default,
 * each imputation's g-computation with treatment × covariate interactions (METHODS §0, §4.1;
 * `ImputeOptions.pool`, reasons at `pooledEffect`), not the difference in means.
 *
 * Calibration (bench/simulation-mi-grid.ts: 10–40% of X1 and X2 MAR, n = 1000, m = 10, R = 1000
 * per cell): the pooled g-computation is nearly unbiased (+0.006 to +0.012 on an ATT of 2) but
 * its CI still over-covers (97.7–98.3%, SE/SD 1.16–1.22; the difference in means: 98.3–99.2%):
 * each imputation re-matches on its own score, the matched sets differ, and that spread enters
 * Rubin's between-imputation variance B although averaging the m estimates removes most of it
 * (the complete-data SE is calibrated, SE/SD 1.00; pooling a smooth estimator — regression, AIPW
 * — over the same imputations is calibrated too). Rubin's rules assume each imputation's
 * estimate is a smooth, efficient function of the completed data (Meng 1994); nearest-neighbour
 * matching is not. In these designs the CI errs on the conservative side; for calibrated
 * intervals with imputation use a smooth estimator (`estimator: 'aipw'`).
 *
 * Mode 'gbm-missing' (METHODS §7.4, for very large data): one cross-fitted GBM score on the
 * incomplete covariates (NaN → the trees' missing bin), fitted once; each imputation matches on
 * that score and fits the outcome model (g-computation with treatment × covariate
 * interactions), which is what is pooled — the weighted difference in means does not use the
 * covariates, so imputation cannot change it. Cheaper (one score instead of m), valid under the
 * "unconfoundedness despite missingness" assumption of Mayer et al. (2020), not under MAR alone.
 *
 * Rows with a missing treatment are dropped; missing outcomes are imputed and analysed (the
 * outcome is in every imputation model, as METHODS §1.3 requires).
 */
import { buildDesignMatrix } from '../data/design-matrix';
import type { Column, Frame } from '../data/frame';
import { CausalInputError } from '../errors';
import { chainConvergence } from '../impute/convergence';
import { imputeOnce } from '../impute/mice';
import { poolRubin } from '../pool/rubin';
import type { Rng } from '../random/rng';
import { negativeControlVerdict } from '../sensitivity/refuters';
import { analyze } from './analyze';
import type { AnalyzeOptions, AnalyzeResult, BalanceRow, ImputeMode, ImputePool } from './options';
import { prepareData } from './prepare';
import { fitPropensity } from './propensity-stage';
import { sensitivityReport } from './sensitivity-report';
import type { SensitivityDetail } from './sensitivity-types';
import type { ImputationRun, ImputationSummary, ImputeAnalyzeInput, PerImputationRow } from './within-types';

/** Imputation j of `input`: MICE, then the full pipeline on the completed data. Pure. */
export function runImputation(input: ImputeAnalyzeInput, rng: Rng, j: number): ImputationRun {
  const rj = rng.derive(j);
  const imputed = imputeOnce(input.frame, input.mice, rj.derive('mice'));
  // The refuters (full re-runs) run on the first imputation only.
  const sensitivity = input.analyze.sensitivity && j > 0 ? { ...input.analyze.sensitivity, refuters: false } : input.analyze.sensitivity;
  const result = analyze(imputed.frame, { ...input.analyze, sensitivity }, rj.derive('analyze'));
  const cluster = result.seType.toLowerCase().includes('cluster') || result.seType.includes('CR1');
  const infinite = !Number.isFinite(result.df) || /abadie|bootstrap/i.test(result.seType);
  const dfcom = infinite ? Infinity : cluster ? Math.max(result.n.matchedTreated - 1, 1) : result.df;
  // Balance and estimates are kept; the completed data are not (they would travel between threads).
  return { j, result, report: imputed.report, dfcom };
}

/** The m imputations one after another on this thread (the default for `imputeAnalyze`). */
export function runImputationsSerial(input: ImputeAnalyzeInput, rng: Rng): ImputationRun[] {
  return Array.from({ length: input.m }, (_, j) => runImputation(input, rng, j));
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]): number => {
  const mu = mean(xs);
  return xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mu) ** 2, 0) / (xs.length - 1)) : 0;
};

/** Balance averaged over imputations (each SMD, variance ratio and eCDF statistic its mean). */
function averageBalance(runs: readonly ImputationRun[]): BalanceRow[] {
  const first = runs[0]!.result.balance;
  const avg = (k: number, f: (b: BalanceRow) => number | null): number | null => {
    const v = runs.map((r) => f(r.result.balance[k]!));
    return v.some((x) => x === null) ? null : mean(v as number[]);
  };
  return first.map((b, k) => ({
    covariate: b.covariate,
    smdBefore: avg(k, (r) => r.smdBefore)!,
    smdAfter: avg(k, (r) => r.smdAfter)!,
    varianceRatioBefore: avg(k, (r) => r.varianceRatioBefore),
    varianceRatioAfter: avg(k, (r) => r.varianceRatioAfter),
    ecdfMeanAfter: avg(k, (r) => r.ecdfMeanAfter)!,
    ecdfMaxAfter: avg(k, (r) => r.ecdfMaxAfter)!,
  }));
}

function cleanOptions(options: AnalyzeOptions): AnalyzeOptions {
  const { onStage: _onStage, parallel: _parallel, impute: _impute, ...rest } = options;
  return { ...rest, completeCases: false, emitMatches: false };
}

interface PerImputationEstimate {
  readonly estimate: number;
  readonly se: number;
  readonly ci95: readonly [number, number];
}

interface PoolChoice {
  readonly pool: ImputePool;
  readonly per: readonly PerImputationEstimate[];
  readonly dfcom: number;
  /** Warning when the g-computation was asked for by default but could not be pooled. */
  readonly fallback?: string;
}

/**
 * Complete-data df of an imputation's g-computation: G − 1 with the cluster-robust SE (as for
 * the headline), its own residual df with HC3.
 */
function gComputationDfcom(r: ImputationRun): number {
  const g = r.result.gComputation!;
  return /cluster/i.test(g.seType) ? r.dfcom : g.df;
}

/**
 * Which per-imputation estimate is pooled (`ImputeOptions.pool`). Default for the matching
 * estimator with the cluster-robust or HC3 SE: the g-computation with treatment × covariate
 * interactions (METHODS §0 and §4.1). Why not the difference in means: it ignores the
 * covariates, so (i) after matching on an estimated score its cluster SE overstates its variance
 * (Abadie & Imbens 2016: on the MAR simulation of ./simulate-mar the full-data SE/SD is 1.22,
 * against 1.00 for the g-computation), and (ii) when only covariates are missing, Y and T are
 * the same in every imputation, so the spread of the difference in means across imputations
 * comes only from the matched sets changing with the imputed score. That re-matching spread
 * enters Rubin's B although the average over imputations smooths it out, so the pooled SE is too
 * large (SE/SD 1.5–1.6, coverage 98–99%). The g-computation adjusts for the imputed covariates,
 * which removes most of both effects (SE/SD 1.16–1.22 there). The rest is re-matching noise of
 * the g-computation itself; it cannot simply be subtracted: one imputation's data analysed with
 * another imputation's matching is biased (≈ −0.06 there), so a data × matching decomposition of
 * B does not isolate it. The AI and bootstrap SEs belong to the difference in means, so with
 * `se: 'ai' | 'bootstrap'` the headline is pooled.
 */
function pooledEffect(runs: readonly ImputationRun[], options: AnalyzeOptions, mode: ImputeMode): PoolChoice {
  const requested = options.impute?.pool;
  const estimator = options.estimator ?? 'matching';
  const se = options.se ?? (options.replace ? 'hc3' : 'cluster');
  const sandwich = estimator === 'matching' && (se === 'cluster' || se === 'hc3');
  if (requested === 'g-computation' && mode === 'within' && !sandwich) {
    throw new CausalInputError(`Pooling the g-computation needs the matching estimator with the cluster-robust or HC3 SE (its delta-method SE is a sandwich); got --estimator ${estimator} --se ${se}. Drop pool=g-computation to pool the headline.`, { estimator, se });
  }
  if (requested === 'headline' && mode === 'gbm-missing') throw new CausalInputError('--impute-mode gbm-missing pools the g-computation (the difference in means would not use the imputations); drop pool=headline.');
  const headline = (): PoolChoice => ({ pool: 'headline', per: runs.map((r) => ({ estimate: r.result.estimate, se: r.result.se, ci95: r.result.ci95 })), dfcom: Math.min(...runs.map((r) => r.dfcom)) });
  const wantG = mode === 'gbm-missing' || (requested ?? (sandwich ? 'g-computation' : 'headline')) === 'g-computation';
  if (!wantG) return headline();
  const missing = runs.find((r) => r.result.gComputation === null);
  if (missing) {
    const what = `Imputation ${missing.j + 1}: the g-computation was not estimable`;
    if (mode === 'gbm-missing') throw new CausalInputError(`${what}, so the gbm-missing mode has nothing to pool; use --impute-mode within.`, { imputation: missing.j + 1 });
    if (requested === 'g-computation') throw new CausalInputError(`${what}; pool the headline estimate instead (pool=headline).`, { imputation: missing.j + 1 });
    return { ...headline(), fallback: `${what}, so the weighted difference in means of each imputation was pooled instead (its SE tends to be conservative after matching).` };
  }
  return {
    pool: 'g-computation',
    per: runs.map((r) => {
      const g = r.result.gComputation!;
      return { estimate: g.estimate, se: g.se, ci95: g.ci95 };
    }),
    dfcom: Math.min(...runs.map(gComputationDfcom)),
  };
}

/** `analyze` with multiple imputation (`options.impute`). */
export function analyzeImputed(frame: Frame, options: AnalyzeOptions, rng: Rng): AnalyzeResult {
  const impute = options.impute;
  if (!impute) throw new CausalInputError('analyzeImputed needs options.impute.');
  const m = impute.m;
  if (!(Number.isInteger(m) && m >= 2)) throw new CausalInputError(`Multiple imputation needs m ≥ 2 imputations (Rubin's rules pool at least two); got ${m}. Use --impute m=20.`, { m });
  const maxit = impute.maxit ?? 10;
  if (!(Number.isInteger(maxit) && maxit >= 1)) throw new CausalInputError(`maxit must be a whole number ≥ 1; got ${maxit}.`, { maxit });
  const mode = impute.mode ?? 'within';
  if (options.completeCases) throw new CausalInputError('--impute and --complete-cases exclude each other: choose one way to handle missing values.');
  const stage = options.onStage ?? ((): void => undefined);
  stage('validate');
  const prepared = prepareData(frame, options, { allowMissing: true });
  const warnings = [...prepared.warnings];
  if (!prepared.missingCounts || Object.keys(prepared.missingCounts).length === 0) {
    const { impute: _i, ...rest } = options;
    const single = analyze(frame, rest, rng);
    return { ...single, warnings: [...single.warnings, 'No missing values in the columns used: imputation was skipped and the data analysed as they are.'] };
  }
  const n = prepared.treat.length;

  // The imputation frame: every column the analysis uses, once, on the rows kept.
  const columns: Column[] = [
    { name: options.treatment, kind: 'numeric', values: Float64Array.from(prepared.treat) },
    { name: options.outcome, kind: 'numeric', values: prepared.y },
  ];
  for (const c of [...prepared.covariates, ...prepared.exact, ...prepared.mahalanobis]) if (!columns.some((d) => d.name === c.name)) columns.push(c);
  if (prepared.negativeControl && options.negativeControl && !columns.some((d) => d.name === options.negativeControl)) columns.push({ name: options.negativeControl, kind: 'numeric', values: prepared.negativeControl });
  const impFrame: Frame = { rows: n, columns };

  let analyzeOptions = cleanOptions(options);
  if (mode === 'gbm-missing') {
    stage('propensity');
    const design = buildDesignMatrix(prepared.covariates, { missing: 'propagate' });
    const scores = fitPropensity(design, prepared.treat, { ...options, propensity: 'gbm' }, rng.derive('propensity'));
    analyzeOptions = { ...analyzeOptions, propensity: 'gbm', precomputedPropensity: { distance: scores.distance, probability: scores.probability, linearPredictor: scores.linearPredictor, diagnostics: scores.diagnostics } };
    if ((options.estimator ?? 'matching') !== 'matching') throw new CausalInputError('--impute-mode gbm-missing pools the g-computation on the matched sample; use --estimator matching with it.');
  }
  const input: ImputeAnalyzeInput = { frame: impFrame, mice: { treatment: options.treatment, outcome: options.outcome, maxit }, analyze: analyzeOptions, m };
  stage('impute-analyze');
  const runs = (options.parallel?.imputeAnalyze ?? runImputationsSerial)(input, rng.derive('imputations'));

  stage('pool');
  const choice = pooledEffect(runs, options, mode);
  const { pool, per, dfcom } = choice;
  if (choice.fallback) warnings.push(choice.fallback);
  const estimatorName = options.estimator ?? 'matching';
  const pooledLabel = pool === 'g-computation' ? 'g-computation (treatment × covariate interactions) on the matched sample' : estimatorName === 'matching' ? 'the weighted difference in means of each imputation' : `the ${estimatorName.toUpperCase()} estimate of each imputation`;
  const pooled = poolRubin(Float64Array.from(per, (p) => p.estimate), Float64Array.from(per, (p) => p.se), { dfcom });

  const perImputation: PerImputationRow[] = runs.map((r, k) => {
    const abs = r.result.balance.map((b) => Math.abs(b.smdAfter));
    return {
      estimate: per[k]!.estimate,
      se: per[k]!.se,
      matchedTreated: r.result.n.matchedTreated,
      matchedControl: r.result.n.matchedControl,
      meanAbsSmd: mean(abs),
      maxAbsSmd: Math.max(...abs),
    };
  });
  const convergence = chainConvergence(runs.map((r) => r.report));
  if (convergence.converged === false) {
    const bad = Object.entries(convergence.rhat)
      .filter(([, v]) => !(v < convergence.threshold))
      .map(([k, v]) => `${k} (R̂ ${Number.isFinite(v) ? v.toFixed(2) : '∞'})`);
    warnings.push(`The imputation chains may not have converged: R̂ ≥ ${convergence.threshold} for ${bad.join(', ')}. Increase maxit (e.g. --impute m=${m},maxit=${maxit * 2}) or check those columns (near-duplicates of each other?).`);
  }
  const incompleteShare = (prepared.incompleteRows ?? 0) / n;
  if (m < Math.ceil(100 * incompleteShare)) warnings.push(`${(100 * incompleteShare).toFixed(1)}% of rows are incomplete; the rule of thumb asks for at least that many imputations (m = ${Math.ceil(100 * incompleteShare)}); you used m = ${m}.`);
  if (pooled.fmi > m / 100 && m < 100) warnings.push(`Fraction of missing information ${pooled.fmi.toFixed(3)} exceeds m/100 = ${(m / 100).toFixed(2)}: more imputations would stabilise the SE and df.`);
  for (const r of runs) for (const w of r.result.warnings) if (!warnings.includes(w)) warnings.push(w);
  if (mode === 'gbm-missing') {
    warnings.push('gbm-missing: the propensity score was fitted once on the incomplete covariates (missing values as their own branch). This is valid when treatment is unconfounded given the observed values and the missingness pattern (Mayer et al. 2020), a stronger assumption than MAR; the imputations serve the outcome model and balance only.');
  }

  const missingRates: Record<string, number> = {};
  for (const [name, count] of Object.entries(prepared.missingCounts)) missingRates[name] = count / n;
  const methods: Record<string, string> = {};
  for (const v of runs[0]!.report.variables) if (v.method) methods[v.name] = v.method;
  const imputation: ImputationSummary = {
    m,
    maxit,
    mode,
    pooledEstimator: pooledLabel,
    pool,
    dfcom,
    df: pooled.df,
    fmi: pooled.fmi,
    riv: pooled.riv,
    pooled: { estimate: pooled.estimate, se: pooled.se, ci95: pooled.ci, pValue: pooled.pValue, df: pooled.df },
    perImputation,
    spread: {
      estimate: { min: Math.min(...per.map((p) => p.estimate)), max: Math.max(...per.map((p) => p.estimate)), sd: sd(per.map((p) => p.estimate)) },
      matchedTreated: { min: Math.min(...perImputation.map((p) => p.matchedTreated)), max: Math.max(...perImputation.map((p) => p.matchedTreated)) },
      matchedControl: { min: Math.min(...perImputation.map((p) => p.matchedControl)), max: Math.max(...perImputation.map((p) => p.matchedControl)) },
    },
    missingRates,
    incompleteRows: prepared.incompleteRows ?? 0,
    methods,
    convergence,
  };

  const first = runs[0]!.result;
  const headline = { estimate: pooled.estimate, ci95: pooled.ci as readonly [number, number] };
  const details = runs.map((r) => r.result.sensitivityDetail).filter((d): d is SensitivityDetail => d !== undefined);
  const sensitivity = details.length === runs.length && details.length > 0 ? sensitivityReport(details, headline, dfcom, per.map((p) => ({ estimate: p.estimate, ci95: p.ci95 }))) : undefined;
  let negativeControl = undefined;
  const nc = runs.map((r) => r.result.negativeControl);
  if (options.negativeControl && nc.every((x) => x !== undefined)) {
    const ncDfcom = Math.min(...runs.map((r) => (Number.isFinite(r.dfcom) ? r.dfcom : Infinity)));
    const p = poolRubin(Float64Array.from(nc, (x) => x!.estimate), Float64Array.from(nc, (x) => x!.se), { dfcom: ncDfcom });
    const v = negativeControlVerdict({ estimate: p.estimate, ci95: p.ci, pValue: p.pValue }, { outcomeName: options.negativeControl });
    negativeControl = { column: options.negativeControl, estimate: p.estimate, se: p.se, ci95: p.ci, pValue: p.pValue, df: p.df, verdict: v.verdict, explanation: `${v.explanation} (Pooled over ${m} imputations by Rubin's rules.)`, perImputation: nc.map((x) => x!.estimate) };
  }
  const gs = runs.map((r) => r.result.gComputation);
  const gSeType = gs[0] ? `Rubin's rules over ${m} imputations (g-computation, ${gs[0].seType} within)` : null;
  let gComputation = null;
  if (pool === 'g-computation') {
    gComputation = { estimate: pooled.estimate, se: pooled.se, ci95: pooled.ci, pValue: pooled.pValue, df: pooled.df, seType: gSeType! };
  } else if (mode === 'within' && gs.every((g) => g !== null)) {
    const gp = poolRubin(Float64Array.from(gs, (g) => g!.estimate), Float64Array.from(gs, (g) => g!.se), { dfcom: Math.min(...runs.map(gComputationDfcom)) });
    gComputation = { estimate: gp.estimate, se: gp.se, ci95: gp.ci, pValue: gp.pValue, df: gp.df, seType: gSeType! };
  }
  const meanCount = (f: (r: AnalyzeResult) => number): number => Math.round(mean(runs.map((r) => f(r.result))));
  const { sensitivityDetail: _d, ...firstRest } = first;
  return {
    ...firstRest,
    estimator: first.estimator,
    estimate: pooled.estimate,
    se: pooled.se,
    seType: pool === 'g-computation' ? gSeType! : `Rubin's rules over ${m} imputations (${first.seType} within)`,
    ci95: pooled.ci,
    pValue: pooled.pValue,
    df: pooled.df,
    n: {
      rows: frame.rows,
      used: n,
      treated: first.n.treated,
      control: first.n.control,
      matchedTreated: meanCount((r) => r.n.matchedTreated),
      matchedControl: meanCount((r) => r.n.matchedControl),
    },
    matchRate: first.matchRate === null ? null : mean(runs.map((r) => r.result.matchRate ?? 0)),
    gComputation,
    balance: averageBalance(runs),
    warnings,
    imputation,
    options: { ...first.options, impute: { m, maxit, mode, pool } },
    ...(sensitivity ? { sensitivity } : {}),
    ...(negativeControl ? { negativeControl } : {}),
  };
}

/**
 * The engine's entry point: `analyze`, or `analyzeImputed` when `options.impute` is set, without
 * the internal per-dataset sensitivity material.
 */
export function runAnalysis(frame: Frame, options: AnalyzeOptions, rng: Rng): AnalyzeResult {
  const result = options.impute ? analyzeImputed(frame, options, rng) : analyze(frame, options, rng);
  const { sensitivityDetail: _detail, ...rest } = result;
  return rest;
}
