/**
 * Result shapes of the sensitivity analyses in the pipeline (./sensitivity-stage computes the
 * per-dataset material, ./sensitivity-report turns one or m of them into the report). Every
 * number is finite or null, so the JSON never holds NaN.
 */
import type { RefutationResult } from '../sensitivity/refuters';

export interface GammaGridPoint {
  readonly gamma: number;
  /** Upper bound on the one-sided p-value at Γ (worst case over imputations with MI). */
  readonly upper: number;
}

export interface RosenbaumDetail {
  /** null when no bound applies (see `note`). */
  readonly method: 'wilcoxon-signed-rank' | 'mcnemar' | 'huber-maritz-m' | null;
  readonly alternative: 'greater' | 'less';
  /** Largest Γ with upper p < 0.05; null when Γ = 1 is not significant; Infinity when unbounded. */
  readonly gammaStar: number | null;
  readonly grid: readonly GammaGridPoint[];
  readonly sets: number;
  readonly note: string;
}

export interface EValueDetail {
  readonly binary: boolean;
  /** Continuous outcome: the total SD of the outcome over the analysed rows (n − 1). */
  readonly sdOutcome: number | null;
  /** Binary outcome: log RR = log(p₁/p₀) and its delta-method SE (null when not estimable). */
  readonly logRR: number | null;
  readonly seLogRR: number | null;
  readonly note: string | null;
}

export interface OvbBenchmarkDetail {
  readonly covariate: string;
  readonly r2dxjX: number;
  readonly r2yxjDx: number;
}

export interface OvbDetail {
  /** Classical weighted OLS of Y on [1, D, X] in the matched sample with the matching weights. */
  readonly estimate: number;
  readonly se: number;
  readonly dof: number;
  readonly benchmarks: readonly OvbBenchmarkDetail[];
}

export interface SensitivityDetail {
  readonly rosenbaum: RosenbaumDetail;
  readonly eValue: EValueDetail;
  /** null when the regression could not be fitted (reason in `notes`). */
  readonly ovb: OvbDetail | null;
  readonly refuters: readonly RefutationResult[];
  readonly notes: readonly string[];
}

export interface OvbBoundRow {
  readonly k: number;
  readonly r2dzX: number;
  readonly r2yzDx: number;
  readonly adjustedEstimate: number;
  readonly adjustedSe: number;
  readonly adjustedCi95: readonly [number, number];
}

export interface SensitivityReport {
  readonly rosenbaum: {
    readonly method: RosenbaumDetail['method'];
    readonly alternative: 'greater' | 'less';
    /** Single dataset: Γ*; with MI the minimum over imputations (worst case). null: not significant at Γ = 1, or unbounded (note). */
    readonly gammaStar: number | null;
    readonly gammaStarMedian: number | null;
    readonly perImputation: readonly (number | null)[] | null;
    readonly grid: readonly GammaGridPoint[];
    readonly note: string;
  };
  readonly eValue: {
    readonly point: number | null;
    readonly ci: number | null;
    readonly scale: string;
    readonly rr: { readonly estimate: number | null; readonly lower: number | null; readonly upper: number | null };
    readonly note: string;
    /** Multiple imputation: each imputation's own E-values (the headline uses the pooled CI). */
    readonly perImputation?: readonly { readonly point: number | null; readonly ci: number | null }[];
  };
  readonly robustnessValue: {
    readonly rv: number | null;
    readonly rvAlpha: number | null;
    readonly partialR2: number | null;
    readonly estimate: number | null;
    readonly se: number | null;
    readonly dof: number | null;
    readonly perImputation: readonly { readonly rv: number; readonly rvAlpha: number; readonly partialR2: number }[] | null;
    readonly note: string;
  };
  readonly benchmarks: readonly { readonly covariate: string; readonly r2dxjX: number; readonly r2yxjDx: number; readonly bounds: readonly OvbBoundRow[] }[];
  readonly refuters: readonly RefutationResult[];
  readonly notes: readonly string[];
}

export interface NegativeControlResult {
  readonly column: string;
  readonly estimate: number;
  readonly se: number;
  readonly ci95: readonly [number, number];
  readonly pValue: number;
  readonly df: number;
  readonly verdict: 'passed' | 'failed';
  readonly explanation: string;
  readonly perImputation?: readonly number[];
}
