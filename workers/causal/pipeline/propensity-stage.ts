/**
 * Propensity stage of `analyze`: fits the score and returns the matching distance with the
 * diagnostics the report shows. Logistic: `glm(treat ~ covariates, binomial)` as MatchIt's
 * `distance = "glm"`; the distance is the probability (`link = "logit"`, MatchIt's default) or
 * the linear predictor (`link = "linear.logit"`, METHODS §2.3). GBM: out-of-fold scores of a
 * cross-fitted boosted model (METHODS §7.2), so no unit is scored by a model that saw it.
 *
 * Diagnostics: AUC = Mann–Whitney U/(n₁n₀) of the probability with average ranks for ties
 * (0.5 = the score does not separate the groups; near 1 = little overlap), each group's score
 * range and the units outside the other group's range (MatchIt's `discard = "both"` rule).
 */
import type { DesignMatrix } from '../data/design-matrix';
import { CausalInputError } from '../errors';
import { argsortStable } from '../match/argsort';
import { binFeatures } from '../propensity/binning';
import { crossFitGbm } from '../propensity/cross-fit';
import { fitLogistic } from '../propensity/logistic';
import type { Matrix } from '../types';
import type { Rng } from '../random/rng';
import type { AnalyzeOptions, PropensityDiagnostics } from './options';

export interface PropensityScores {
  /** What the matcher uses: probability or linear predictor per `link`. */
  readonly distance: Float64Array;
  readonly probability: Float64Array;
  readonly linearPredictor: Float64Array;
  /** True when the score is a logistic MLE on `design` (enables IPW's PS-adjusted SE). */
  readonly logistic: boolean;
  readonly diagnostics: PropensityDiagnostics;
  readonly warnings: string[];
}

/** AUC of `score` for `treat` via ranks (ties get their average rank). */
export function rankAuc(score: Float64Array, treat: Uint8Array): number {
  const n = score.length;
  const order = argsortStable(score);
  let rankSum = 0;
  let n1 = 0;
  for (let i = 0; i < n; i++) n1 += treat[i]!;
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && score[order[b]!] === score[order[a]!]) b++;
    const avgRank = (a + 1 + b) / 2;
    for (let k = a; k < b; k++) if (treat[order[k]!] === 1) rankSum += avgRank;
    a = b;
  }
  const n0 = n - n1;
  return (rankSum - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}

function overlap(score: Float64Array, treat: Uint8Array): Pick<PropensityDiagnostics, 'treatedRange' | 'controlRange' | 'treatedOutsideControlRange' | 'controlOutsideTreatedRange' | 'histogram'> {
  let min1 = Infinity;
  let max1 = -Infinity;
  let min0 = Infinity;
  let max0 = -Infinity;
  for (let i = 0; i < score.length; i++) {
    const s = score[i]!;
    if (treat[i] === 1) {
      if (s < min1) min1 = s;
      if (s > max1) max1 = s;
    } else {
      if (s < min0) min0 = s;
      if (s > max0) max0 = s;
    }
  }
  let t = 0;
  let c = 0;
  for (let i = 0; i < score.length; i++) {
    const s = score[i]!;
    if (treat[i] === 1 && (s < min0 || s > max0)) t++;
    if (treat[i] === 0 && (s < min1 || s > max1)) c++;
  }
  // Shares of each group per 0.05-wide bin of the probability: the overlap plot.
  const treatedBins = new Array<number>(OVERLAP_BINS).fill(0);
  const controlBins = new Array<number>(OVERLAP_BINS).fill(0);
  let n1 = 0;
  for (let i = 0; i < score.length; i++) {
    const bin = Math.min(OVERLAP_BINS - 1, Math.max(0, Math.floor(score[i]! * OVERLAP_BINS)));
    if (treat[i] === 1) {
      treatedBins[bin]!++;
      n1++;
    } else controlBins[bin]!++;
  }
  const n0 = score.length - n1;
  return {
    treatedRange: [min1, max1],
    controlRange: [min0, max0],
    treatedOutsideControlRange: t,
    controlOutsideTreatedRange: c,
    histogram: {
      edges: Array.from({ length: OVERLAP_BINS + 1 }, (_, k) => k / OVERLAP_BINS),
      treated: treatedBins.map((v) => (n1 ? v / n1 : 0)),
      control: controlBins.map((v) => (n0 ? v / n0 : 0)),
    },
  };
}

const OVERLAP_BINS = 20;

/** GBM features: the design columns except the intercept (trees need no constant). */
function withoutIntercept(design: DesignMatrix): Matrix {
  const { data, rows, cols } = design.matrix;
  const start = design.columnNames[0] === '(Intercept)' ? 1 : 0;
  const q = cols - start;
  const out = new Float64Array(rows * q);
  for (let i = 0; i < rows; i++) for (let j = 0; j < q; j++) out[i * q + j] = data[i * cols + j + start]!;
  return { data: out, rows, cols: q };
}

export function fitPropensity(design: DesignMatrix, treat: Uint8Array, options: AnalyzeOptions, rng: Rng): PropensityScores {
  const model = options.propensity ?? 'logistic';
  const link = options.link ?? 'logit';
  const warnings: string[] = [];
  const n = treat.length;
  if (model === 'gbm') {
    // Out-of-fold scores; 2 folds on large data keep the cost near one full fit (METHODS §7.3).
    const folds = n > 200_000 ? 2 : 5;
    const x = withoutIntercept(design);
    const binned = binFeatures(x, rng.derive('bins'));
    const fit = (options.parallel?.crossFitGbm ?? crossFitGbm)(binned, Float64Array.from(treat), rng.derive('folds'), { folds });
    const probability = fit.probability;
    const linearPredictor = fit.rawScore;
    return {
      distance: link === 'logit' ? probability : linearPredictor,
      probability,
      linearPredictor,
      logistic: false,
      diagnostics: { model, link, auc: rankAuc(probability, treat), ...overlap(probability, treat), folds, trees: Array.from(fit.treesPerFold) },
      warnings,
    };
  }
  const y = Float64Array.from(treat);
  const fit = fitLogistic(design.matrix, y, { columnNames: design.columnNames, crossprod: options.parallel?.crossprod });
  for (const w of fit.warnings) warnings.push(`Propensity model: ${w.message}`);
  const probability = fit.fitted;
  const linearPredictor = fit.linearPredictor;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(linearPredictor[i]!)) throw new CausalInputError(`The propensity model gave no finite score for data row ${i + 1}; check the covariates for extreme values.`, { row: i + 1 });
  }
  const distance = link === 'logit' ? probability : linearPredictor;
  return {
    distance,
    probability,
    linearPredictor,
    logistic: true,
    diagnostics: { model, link, auc: rankAuc(probability, treat), ...overlap(probability, treat), iterations: fit.iterations, converged: fit.converged },
    warnings,
  };
}
