/** Messages between the compute pool (./pool) and its worker (./worker). */
import type { Column } from '../causal/data/frame';
import type { BalanceRow } from '../causal/pipeline/options';
import type { BinnedData } from '../causal/propensity/binning';
import type { CrossFitOptions, FoldResult } from '../causal/propensity/cross-fit';
import type { Matrix } from '../causal/types';
import type { CsvParseOptions, CsvTable } from '../io/csv-parser';
import type { ImputationRun, ImputeAnalyzeInput } from '../causal/pipeline/within-types';
import type { RngRecipe } from './traced-rng';

/** Adds Σ_{i∈[start,end)} w_i x_i x_iᵀ into the (zeroed, shared) upper triangle of `out`. */
export interface CrossprodTask {
  readonly type: 'crossprod';
  readonly x: Matrix;
  readonly w: Float64Array;
  readonly start: number;
  readonly end: number;
  readonly out: Float64Array;
}

/** Fits folds taken from the shared counter `next` until none is left. */
export interface GbmFoldsTask {
  readonly type: 'gbm-folds';
  readonly data: BinnedData;
  readonly treat: Float64Array;
  readonly foldOf: Int32Array;
  readonly folds: number;
  readonly next: Int32Array;
  readonly rng: RngRecipe;
  readonly options: CrossFitOptions;
}

export interface BalanceTask {
  readonly type: 'balance';
  readonly covariates: readonly Column[];
  readonly treat: Uint8Array;
  readonly weights: Float64Array;
}

/** Parses the header line plus the bytes [start, end) of a CSV file (a range of whole lines). */
export interface CsvRangeTask {
  readonly type: 'csv-range';
  readonly path: string;
  readonly headerEnd: number;
  readonly start: number;
  readonly end: number;
  readonly options: CsvParseOptions;
}

/**
 * Runs imputations j (MICE + the whole analysis, `runImputation`) taken from the shared counter
 * `next` until j reaches `input.m`; the stream of imputation j is `rebuildRng(rng).derive(j)`.
 */
export interface ImputeAnalyzeTask {
  readonly type: 'impute-analyze';
  readonly input: ImputeAnalyzeInput;
  readonly rng: RngRecipe;
  readonly next: Int32Array;
}

export type Task = CrossprodTask | GbmFoldsTask | BalanceTask | CsvRangeTask | ImputeAnalyzeTask;

export type WorkerReply =
  | { readonly type: 'ready'; readonly done?: undefined }
  | { readonly type: 'error'; readonly message: string; readonly done?: undefined }
  | { readonly type: 'crossprod'; readonly done: true }
  | { readonly type: 'gbm-fold'; readonly done: false; readonly result: FoldResult }
  | { readonly type: 'gbm-folds'; readonly done: true }
  | { readonly type: 'balance'; readonly done: true; readonly rows: BalanceRow[] }
  | { readonly type: 'impute-run'; readonly done: false; readonly run: ImputationRun }
  | { readonly type: 'impute-analyze'; readonly done: true }
  /** `table` null: the range holds a quote or failed to parse; the caller reads the file whole. */
  | { readonly type: 'csv-range'; readonly done: true; readonly table: CsvTable | null };
