/**
 * Input and output shapes of the MICE imputer. Input is the engine's `Frame` (data/frame.ts): a
 * column is numeric (Float64Array, NaN = missing) or categorical (integer codes into `levels`,
 * −1 = missing); names must be unique.
 */
import type { Column, Frame } from '../data/frame';

export type ImputeColumn = Column;
export type NumericImputeColumn = Extract<Column, { kind: 'numeric' }>;
export type CategoricalImputeColumn = Extract<Column, { kind: 'categorical' }>;

/** `pmm` for numeric columns, `logreg` for binary (0/1 or 2 levels), `polyreg` for > 2 levels. */
export type ImputationMethod = 'pmm' | 'logreg' | 'polyreg';

/**
 * A column recomputed "passively" from other columns after each of its inputs is imputed
 * (mice's passive imputation, `~I(…)`). `compute` gets the current completed columns by name
 * (numeric values, or categorical codes) and returns the derived column for every row. It is
 * used as a predictor for every variable except its own inputs (which would make it predict
 * itself), and is never imputed directly.
 */
export interface DerivedColumn {
  readonly name: string;
  readonly inputs: readonly string[];
  compute(columns: Readonly<Record<string, Float64Array | Int32Array>>): Float64Array;
}

export interface MiceOptions {
  /** Treatment column: always a predictor in every imputation model (METHODS.md §1.3). */
  readonly treatment: string;
  /** Outcome column: always a predictor in every imputation model (METHODS.md §1.3). */
  readonly outcome: string;
  /** Gibbs sweeps per imputation (default 10; mice's default is 5). */
  readonly maxit?: number;
  /** PMM donors (default 5). */
  readonly donors?: number;
  /** Ridge κ for a singular XᵀX in PMM (default 1e-5). */
  readonly ridge?: number;
  /** Columns neither imputed nor used as predictors (identifiers); passed through unchanged. */
  readonly exclude?: readonly string[];
  /** Per-column override of the automatic method choice. */
  readonly method?: Readonly<Record<string, ImputationMethod>>;
  readonly derived?: readonly DerivedColumn[];
}

export interface VariableSummary {
  readonly name: string;
  readonly nMissing: number;
  readonly missingRate: number;
  /** Method used, or null when the column is complete, excluded or derived. */
  readonly method: ImputationMethod | null;
}

/**
 * Per-imputation diagnostics. `chainMean[name][t]` and `chainSd[name][t]` are the mean and SD
 * (n − 1 denominator) of the imputed values of `name` after sweep t + 1, as mice's `chainMean`
 * and `chainVar`; categorical columns use the 0-based level code, so for a binary column the
 * mean is the share imputed as the second level.
 */
export interface ImputationReport {
  readonly variables: readonly VariableSummary[];
  readonly visitSequence: readonly string[];
  readonly iterations: number;
  readonly chainMean: Readonly<Record<string, Float64Array>>;
  readonly chainSd: Readonly<Record<string, Float64Array>>;
  /** Variables whose PMM model needed the ridge penalty in at least one sweep. */
  readonly ridgeUsed: readonly string[];
}

export interface ImputedDataset {
  /** The completed frame: columns in input order, derived columns appended (or replaced in place). */
  readonly frame: Frame;
  readonly report: ImputationReport;
}
