/**
 * Design rows read in place: the rows `rows` and columns `cols` of the matrix behind a set of
 * row kernels (row-kernels.ts), so the categorical imputation models fit on their observed rows
 * and predict their missing rows straight from the chain's design (chain-design.ts) instead of
 * copying an n_obs × q or n_mis × q sub-matrix every column step. Products are taken over all
 * `stride` columns with coefficients spread onto the block's columns (0 elsewhere) and read
 * back at `cols`.
 */
import type { Matrix } from '../types';
import { jsRowKernels } from './row-kernels';
import type { RowKernels } from './row-kernels';

export interface RowBlock {
  readonly kernels: RowKernels;
  /** Underlying row of each block row; null: rows 0..nRows−1. */
  readonly rows: Int32Array | null;
  readonly nRows: number;
  /** Underlying column of each block column. */
  readonly cols: Int32Array;
}

/** All rows and columns of a plain matrix as a block (products by the JS kernels). */
export function matrixBlock(x: Matrix): RowBlock {
  return { kernels: jsRowKernels(x.data, x.rows, x.cols), rows: null, nRows: x.rows, cols: Int32Array.from({ length: x.cols }, (_, j) => j) };
}

/**
 * Coefficients of the block columns, laid out on the underlying columns (0 elsewhere), so a
 * linear predictor is one contiguous dot product over the underlying row. `coef` holds
 * `groups` consecutive vectors of length cols.length (one per class); so does the result, of
 * length stride each.
 */
export function spreadCoef(b: RowBlock, coef: Float64Array, groups = 1): Float64Array {
  const k = b.cols.length;
  const stride = b.kernels.stride;
  const out = new Float64Array(groups * stride);
  for (let g = 0; g < groups; g++) for (let a = 0; a < k; a++) out[g * stride + b.cols[a]!] = coef[g * k + a]!;
  return out;
}

/** Linear predictors x_iᵀβ_g of the block's rows for the `groups` vectors of `spread` (from `spreadCoef`): nRows × groups. */
export function blockDots(b: RowBlock, spread: Float64Array, groups = 1): Float64Array {
  return b.kernels.dots(b.rows, b.nRows, spread, groups);
}
