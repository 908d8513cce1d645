/** Shapes of the multiple-imputation ("within") path (./within) and its worker task. */
import type { ChainConvergence } from '../impute/convergence';
import type { ImputationReport, MiceOptions } from '../impute/types';
import type { Frame } from '../data/frame';
import type { AnalyzeOptions, AnalyzeResult, ImputePool } from './options';
import type { EstimateSummary } from './options';

/** What one imputation needs; structured-cloneable (no functions), so it can go to a worker. */
export interface ImputeAnalyzeInput {
  /** Treatment, outcome, covariates (and the negative control) with their missing values. */
  readonly frame: Frame;
  readonly mice: MiceOptions;
  /** `analyze` options without hooks, callbacks or `impute`. */
  readonly analyze: AnalyzeOptions;
  readonly m: number;
}

/** One imputation's analysis, slimmed for the pooling step. */
export interface ImputationRun {
  readonly j: number;
  readonly result: AnalyzeResult;
  readonly report: ImputationReport;
  /** Complete-data df for Barnard–Rubin: G − 1 (cluster SE), residual df (HC3), Infinity (AI, bootstrap, weighting). */
  readonly dfcom: number;
}

export interface PerImputationRow {
  readonly estimate: number;
  readonly se: number;
  readonly matchedTreated: number;
  readonly matchedControl: number;
  readonly meanAbsSmd: number;
  readonly maxAbsSmd: number;
}

export interface ImputationSummary {
  readonly m: number;
  readonly maxit: number;
  readonly mode: 'within' | 'gbm-missing';
  /** Which per-imputation estimate was pooled (in words). */
  readonly pooledEstimator: string;
  /** The same as a key: the g-computation, or each imputation's headline estimate. */
  readonly pool: ImputePool;
  readonly dfcom: number;
  readonly df: number;
  readonly fmi: number;
  readonly riv: number;
  readonly pooled: Pick<EstimateSummary, 'estimate' | 'se' | 'ci95' | 'pValue' | 'df'>;
  readonly perImputation: readonly PerImputationRow[];
  readonly spread: {
    readonly estimate: { readonly min: number; readonly max: number; readonly sd: number };
    readonly matchedTreated: { readonly min: number; readonly max: number };
    readonly matchedControl: { readonly min: number; readonly max: number };
  };
  /** Share of missing values per column that had any (rows analysed). */
  readonly missingRates: Readonly<Record<string, number>>;
  readonly incompleteRows: number;
  readonly methods: Readonly<Record<string, string>>;
  readonly convergence: ChainConvergence;
}
