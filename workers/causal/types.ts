/**
 * Shapes shared by the engine's modules. Conventions (ARCHITECTURE.md, "Numeric core"):
 * Float64Array in, Float64Array out; matrices are row-major `{ data, rows, cols }`; unit
 * indices are 0-based data rows; options objects come last; randomness comes from an `Rng`.
 */

/** Dense row-major matrix in float64. Element (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

export type Estimand = 'ATT' | 'ATC' | 'ATE';

/**
 * What a matcher returns (MatchIt's `matchit` object, reduced to numbers).
 * `weights` follow MatchIt (treated weight 1 for ATT, controls Σ 1/k, then rescaled to sum to
 * the number of matched units in each group); `subclass` is the matched set of each unit
 * (-1 when unmatched, or when matching with replacement, where sets overlap).
 */
export interface MatchResult {
  readonly estimand: Estimand;
  /** Per unit: 1 treated, 0 control. */
  readonly treat: Uint8Array;
  /** Per unit MatchIt weight, 0 when unmatched or discarded. */
  readonly weights: Float64Array;
  /** Per unit matched-set id (0..nSubclasses-1), -1 when none. */
  readonly subclass: Int32Array;
  readonly nSubclasses: number;
  /** Per unit: 1 when removed by `discard`. */
  readonly discarded: Uint8Array;
  /** Focal units in the order of `matchMatrix` rows (the treated, for ATT). */
  readonly focalIndex: Int32Array;
  /** focal × ratio matrix of matched control rows, -1 for an empty slot. */
  readonly matchMatrix: Int32Array;
  readonly ratio: number;
  /** Caliper on the distance in raw units (null when none). */
  readonly caliperWidth: number | null;
  readonly replace: boolean;
}

export interface EffectEstimate {
  readonly estimand: Estimand;
  readonly estimate: number;
  readonly se: number;
  readonly ci95: readonly [number, number];
  readonly pValue: number;
  /** Degrees of freedom used for the interval (Infinity for normal-based intervals). */
  readonly df: number;
  readonly seType: string;
}
