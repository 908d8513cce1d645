/**
 * Options and result shape of `analyze` (./analyze). Defaults are MatchIt's (METHODS §3.1):
 * logistic PS on the probability scale (`link = "logit"`), 1:1 nearest neighbour without
 * replacement, no caliper, m.order "largest"; the SE is cluster-robust by matched set without
 * replacement and HC3 with replacement (MatchIt vignette "estimating-effects").
 */
import type { Column } from '../data/frame';
import type { MatchOrder } from '../match/options';
import type { BinnedData } from '../propensity/binning';
import type { CrossFitOptions, CrossFitResult } from '../propensity/cross-fit';
import type { Rng } from '../random/rng';
import type { Estimand, Matrix } from '../types';
import type { ImputeAnalyzeInput, ImputationRun } from './within-types';
import type { NegativeControlResult, SensitivityDetail, SensitivityReport } from './sensitivity-types';
import type { ImputationSummary } from './within-types';

export type PropensityMethod = 'logistic' | 'gbm';
export type PropensityLink = 'logit' | 'linear.logit';
export type EstimatorName = 'matching' | 'ipw' | 'aipw';
export type SeMethod = 'cluster' | 'hc3' | 'ai' | 'bootstrap';

export interface AnalyzeOptions {
  readonly treatment: string;
  readonly outcome: string;
  readonly covariates: readonly string[];
  /** Numeric columns to treat as categorical (text columns are categorical already). */
  readonly categorical?: readonly string[];
  readonly propensity?: PropensityMethod;
  readonly link?: PropensityLink;
  /** Caliper in SD units of the distance (MatchIt `std.caliper = TRUE`). */
  readonly caliper?: number;
  readonly ratio?: number;
  readonly replace?: boolean;
  readonly exact?: readonly string[];
  readonly mahalanobis?: readonly string[];
  readonly order?: MatchOrder;
  readonly estimator?: EstimatorName;
  readonly se?: SeMethod;
  /** Bootstrap replicates (default 999). */
  readonly bootstrapReplicates?: number;
  /** Drop rows with a missing value in a used column instead of stopping (with a warning). */
  readonly completeCases?: boolean;
  /** Include the match pairs in the result. */
  readonly emitMatches?: boolean;
  /** Multiple imputation of missing values instead of stopping (./within). */
  readonly impute?: ImputeOptions;
  /** Sensitivity analyses (Rosenbaum, E-value, OVB, optional refuters; ./sensitivity-stage). */
  readonly sensitivity?: SensitivityOptions;
  /**
   * Negative-control outcome column: the same pipeline (same imputations, score, matching, SE)
   * is run on it. It must be measured before treatment; a CSV cannot show that, so the caller
   * asserts it (the result says so).
   */
  readonly negativeControl?: string;
  /**
   * A propensity score fitted elsewhere (the gbm-missing mode fits it once on the incomplete
   * data); analyze then skips its own propensity stage. Rows must be the rows analyze uses.
   */
  readonly precomputedPropensity?: PrecomputedPropensity;
  /** Called when a stage starts, so an I/O layer can time the stages (no clock in here). */
  readonly onStage?: (stage: string) => void;
  /** Optional replacements that run parts of the work elsewhere (e.g. worker threads). */
  readonly parallel?: ParallelHooks;
}

export type ImputeMode = 'within' | 'gbm-missing';

export interface ImputeOptions {
  /** Imputations (≥ 2). */
  readonly m: number;
  /** Gibbs sweeps per imputation (default 10). */
  readonly maxit?: number;
  /**
   * 'within' (default): impute, fit the score, match and estimate in each imputation, then pool.
   * 'gbm-missing': one cross-fitted GBM score on the incomplete covariates (missing bin), one
   * matching; the imputations serve only the outcome model (g-computation) and balance.
   */
  readonly mode?: ImputeMode;
  /**
   * Which estimate of each imputation is pooled ('within' mode, matching estimator).
   * 'g-computation' (default with the cluster-robust or HC3 SE): the weighted outcome model with
   * treatment × covariate interactions on the matched sample, delta-method SE (METHODS §0,
   * §4.1). 'headline': the weighted difference in means (or the AI / bootstrap SE when `se`
   * asks for one). The difference in means ignores the covariates, so its cluster SE overstates
   * its variance after matching on an estimated score, and with imputation its between-
   * imputation variance is mostly re-matching noise (see ./within); 'headline' is kept for
   * comparison with MatchIt's plain `lm(Y ~ A, weights)`. 'gbm-missing' always pools the
   * g-computation.
   */
  readonly pool?: ImputePool;
}

export type ImputePool = 'g-computation' | 'headline';

export interface SensitivityOptions {
  /** Covariates for the "k times as strong as X" OVB bounds (k = 1, 2, 3). */
  readonly benchmarks?: readonly string[];
  /** Placebo / random common cause / data subset refuters (expensive; default off). */
  readonly refuters?: boolean;
  /** Simulations of the placebo refuter (default 100). */
  readonly placeboSimulations?: number;
  /** Simulations of the re-running refuters (random common cause, data subset; default 20). */
  readonly rerunSimulations?: number;
}

export interface PrecomputedPropensity {
  readonly distance: Float64Array;
  readonly probability: Float64Array;
  readonly linearPredictor: Float64Array;
  readonly diagnostics: PropensityDiagnostics;
}

/**
 * Hooks an I/O layer may fill to spread the work over threads (workers/compute). Each must give
 * the same result as the pure default it replaces (to rounding for `crossprod`); without them
 * everything runs here, single-threaded.
 */
export interface ParallelHooks {
  /** Called once on the design matrix; may return the same values in memory other threads can read. */
  readonly shareMatrix?: (x: Matrix) => Matrix;
  /** XᵀWX accumulation of the logistic IRLS (`LogisticOptions.crossprod`). */
  readonly crossprod?: (x: Matrix, w: Float64Array, out: Float64Array) => void;
  /** Replacement for `crossFitGbm` (same folds, same per-fold streams, same scores). */
  readonly crossFitGbm?: (data: BinnedData, treat: Float64Array, rng: Rng, options: CrossFitOptions) => CrossFitResult;
  /**
   * Starts `balanceRows(covariates, treat, weights)` elsewhere while the estimators run here;
   * the returned function waits for and returns its rows. `weights` must not change meanwhile.
   */
  readonly startBalance?: (covariates: readonly Column[], treat: Uint8Array, weights: Float64Array) => () => BalanceRow[];
  /**
   * Replacement for `runImputationsSerial` (./within): runs imputation j = 0..m−1 with
   * `rng.derive(j)` anywhere (e.g. on two threads) and returns the runs in order of j.
   */
  readonly imputeAnalyze?: (input: ImputeAnalyzeInput, rng: Rng) => ImputationRun[];
}

export interface BalanceRow {
  readonly covariate: string;
  readonly smdBefore: number;
  readonly smdAfter: number;
  /** null for binary covariates (MatchIt reports no variance ratio for them). */
  readonly varianceRatioBefore: number | null;
  readonly varianceRatioAfter: number | null;
  readonly ecdfMeanAfter: number;
  readonly ecdfMaxAfter: number;
}

export interface EstimateSummary {
  readonly estimate: number;
  readonly se: number;
  readonly ci95: readonly [number, number];
  readonly pValue: number;
  readonly df: number;
  readonly seType: string;
}

export interface PropensityDiagnostics {
  readonly model: PropensityMethod;
  readonly link: PropensityLink;
  /** Area under the ROC curve of the score for the treatment (0.5 = no separation). */
  readonly auc: number;
  readonly treatedRange: readonly [number, number];
  readonly controlRange: readonly [number, number];
  /** Treated units whose score lies outside the controls' [min, max] (no common support). */
  readonly treatedOutsideControlRange: number;
  readonly controlOutsideTreatedRange: number;
  /** Share of each group's propensity scores (probability scale) per bin of `edges`. */
  readonly histogram?: { readonly edges: readonly number[]; readonly treated: readonly number[]; readonly control: readonly number[] };
  readonly iterations?: number;
  readonly converged?: boolean;
  /** GBM: folds of the cross-fit and trees per fold. */
  readonly folds?: number;
  readonly trees?: readonly number[];
}

export interface AnalyzeResult {
  readonly estimand: Estimand;
  readonly estimator: EstimatorName;
  readonly estimate: number;
  readonly se: number;
  readonly seType: string;
  readonly ci95: readonly [number, number];
  readonly pValue: number;
  readonly df: number;
  readonly n: {
    readonly rows: number;
    readonly used: number;
    readonly treated: number;
    readonly control: number;
    readonly matchedTreated: number;
    readonly matchedControl: number;
  };
  /** Caliper in the units of the distance (null when none). */
  readonly caliperWidth: number | null;
  /** Share of treated units matched (matching estimator only). */
  readonly matchRate: number | null;
  readonly gComputation: EstimateSummary | null;
  readonly propensity: PropensityDiagnostics;
  readonly balance: readonly BalanceRow[];
  readonly warnings: readonly string[];
  readonly engineVersion: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** [treatedRow, controlRow, weight] per matched pair, 0-based rows of the input data. */
  readonly matches?: readonly (readonly [number, number, number])[];
  /** With multiple imputation: the pooling and the per-imputation spread. */
  readonly imputation?: ImputationSummary;
  readonly sensitivity?: SensitivityReport;
  readonly negativeControl?: NegativeControlResult;
  /**
   * Per-dataset material for pooling the sensitivity analyses across imputations (internal;
   * the MI driver removes it from its result).
   */
  readonly sensitivityDetail?: SensitivityDetail;
}
