/**
 * Options of `matchNearest` (./nearest), mirroring MatchIt 4.7.2's `matchit(method = "nearest")`
 * arguments. Defaults are MatchIt's.
 */
import type { Rng } from '../random/rng';
import type { Matrix } from '../types';

export type MatchOrder = 'largest' | 'smallest' | 'random' | 'closest' | 'farthest' | 'data';
export type DiscardOption = 'none' | 'both' | 'control' | 'treated';

/** A caliper on a covariate (MatchIt's named `caliper` entries). */
export interface CovariateCaliper {
  /** The covariate per unit. */
  readonly values: Float64Array;
  /** Width; in SD units of the covariate (over non-discarded units) unless `std` is false. */
  readonly width: number;
  readonly std?: boolean;
}

/** How the Mahalanobis matcher finds candidate controls; 'auto' picks by problem size. */
export type CandidateStrategy = 'auto' | 'brute' | 'window' | 'kdtree' | 'hnsw' | 'tensor';

export interface NearestOptions {
  /** 'ATT' (default): treated units are focal. 'ATC': controls are focal. */
  readonly estimand?: 'ATT' | 'ATC';
  /** Matches per focal unit (default 1). */
  readonly ratio?: number;
  /** Matching with replacement (default false); same as reuseMax = Infinity. */
  readonly replace?: boolean;
  /** Times a control may be used; overrides `replace` (1 = without replacement). */
  readonly reuseMax?: number;
  /** Caliper on the distance; SD units of the distance unless `stdCaliper` is false. */
  readonly caliper?: number;
  readonly stdCaliper?: boolean;
  /** Calipers on covariates, by name. */
  readonly covariateCalipers?: Readonly<Record<string, CovariateCaliper>>;
  readonly mOrder?: MatchOrder;
  /** Exact-matching stratum code per unit. */
  readonly exact?: Int32Array;
  readonly discard?: DiscardOption;
  /** Covariates for Mahalanobis matching; the distance then only serves caliper and discard. */
  readonly mahvars?: Matrix;
  /** Names of the mahvars columns, for error messages. */
  readonly mahvarNames?: readonly string[];
  /** Required for mOrder 'random'; also seeds the HNSW index. */
  readonly rng?: Rng;
  /** Mahalanobis candidate generation (default 'auto'). */
  readonly candidates?: CandidateStrategy;
  /**
   * Candidate generator for the 'tensor' strategy (e.g. `distanceTopKSync` from
   * ../tensor/distance-topk bound to a tfjs backend): indices (rows of `pool`) of the k nearest
   * pool rows of each query row by squared L2, row-major queries.rows × k (−1 padding).
   */
  readonly topK?: TopKProvider;
}

export type TopKProvider = (queries: Matrix, pool: Matrix, k: number) => Int32Array;
