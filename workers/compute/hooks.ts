/**
 * `ParallelHooks` for `analyze` (workers/causal/pipeline/options) backed by a `ComputePool`:
 *
 * - crossprod: XᵀWX of each IRLS step with the rows split in two at a 512-row block boundary;
 *   the worker sums the second half into a shared buffer while this thread sums the first,
 *   then the halves are added. Each entry is still a row-order sum within each half, so the
 *   result differs from the one-pass sum only in the rounding of that last addition (~1e-16
 *   relative), the same on every run.
 * - crossFitGbm: `assignFolds` here, then both threads take folds from a shared counter and
 *   run the pure `fitGbmFold` with the stream `rng.derive('gbm-fold-k')` (rebuilt in the
 *   worker from the traced generator's recipe), so the scores are bit-identical to crossFitGbm.
 * - startBalance: `balanceRows` on the worker while this thread runs the estimators.
 * - imputeAnalyze: the m imputations (MICE + analysis each) taken from a shared counter by both
 *   threads; imputation j always uses `rng.derive(j)` (rebuilt in the worker from the traced
 *   generator's recipe), so the runs — returned in order of j — do not depend on which thread
 *   ran which.
 *
 * Whenever the worker is busy, the inputs are small or the worker fails, the hook does the work
 * here exactly as the pure default would (a worker error is thus re-raised with its real type).
 */
import type { Column } from '../causal/data/frame';
import { crossprodRange } from '../causal/linalg/crossprod';
import { balanceRows } from '../causal/pipeline/balance-table';
import type { BalanceRow, ParallelHooks } from '../causal/pipeline/options';
import type { BinnedData } from '../causal/propensity/binning';
import { assignFolds, crossFitGbm, fitGbmFold, type CrossFitOptions, type CrossFitResult, type FoldResult } from '../causal/propensity/cross-fit';
import { sigmoid } from '../causal/propensity/gbm';
import type { Rng } from '../causal/random/rng';
import type { Matrix } from '../causal/types';
import { ComputeWorkerError, type ComputePool } from './pool';
import { runImputation, runImputationsSerial } from '../causal/pipeline/within';
import type { ImputationRun, ImputeAnalyzeInput } from '../causal/pipeline/within-types';
import { isShared, shareColumns, shareFloat64, shareMatrix, sharedFloat64 } from './shared';
import { recipeOf } from './traced-rng';
import type { WorkerReply } from './tasks';

const ROW_BLOCK = 512;

export interface HookOptions {
  /** Fewer rows than this run on this thread only (default 50,000; tests use 0). */
  readonly minRows?: number;
}

/** XᵀWX split over this thread and the worker (`LogisticOptions.crossprod`). */
export function parallelCrossprod(pool: ComputePool, options: HookOptions = {}): (x: Matrix, w: Float64Array, out: Float64Array) => void {
  const minRows = options.minRows ?? 50_000;
  let wShared = sharedFloat64(0);
  let outShared = sharedFloat64(0);
  return (x, w, out) => {
    const n = x.rows;
    if (n < Math.max(minRows, 2) || pool.busy || !isShared(x.data)) {
      crossprodRange(x, w, 0, n, out);
      return;
    }
    if (wShared.length !== n) wShared = sharedFloat64(n);
    if (outShared.length !== out.length) outShared = sharedFloat64(out.length);
    wShared.set(w);
    outShared.fill(0);
    const mid = Math.ceil(n / 2 / ROW_BLOCK) * ROW_BLOCK;
    pool.submit({ type: 'crossprod', x, w: wShared, start: Math.min(mid, n), end: n, out: outShared });
    crossprodRange(x, wShared, 0, Math.min(mid, n), out);
    try {
      pool.receive();
    } catch (err) {
      if (!(err instanceof ComputeWorkerError)) throw err;
      outShared.fill(0);
      crossprodRange(x, wShared, Math.min(mid, n), n, outShared);
    }
    for (let k = 0; k < out.length; k++) out[k] = out[k]! + outShared[k]!;
  };
}

/** `crossFitGbm` with the folds shared between this thread and the worker. */
export function parallelCrossFitGbm(pool: ComputePool): (data: BinnedData, treat: Float64Array, rng: Rng, options: CrossFitOptions) => CrossFitResult {
  return (data, treat, rng, options) => {
    const recipe = recipeOf(rng);
    const folds = options.folds ?? 5;
    // crossFitGbm validates the inputs and gives the reference result when we cannot split.
    if (recipe === undefined || pool.busy || !(Number.isInteger(folds) && folds >= 2) || treat.length !== data.rows) return crossFitGbm(data, treat, rng, options);
    const foldOf = assignFolds(treat, folds, rng);
    const next = new Int32Array(new SharedArrayBuffer(4));
    const results: (FoldResult | undefined)[] = new Array<FoldResult | undefined>(folds);
    pool.submit({ type: 'gbm-folds', data, treat, foldOf, folds, next, rng: recipe, options });
    for (let k = Atomics.add(next, 0, 1); k < folds; k = Atomics.add(next, 0, 1)) results[k] = fitGbmFold(data, treat, foldOf, k, rng.derive(`gbm-fold-${k}`), options);
    try {
      for (;;) {
        const reply = pool.receive<Extract<WorkerReply, { type: 'gbm-fold' | 'gbm-folds' }>>();
        if (reply.type === 'gbm-folds') break;
        results[reply.result.fold] = reply.result;
      }
    } catch (err) {
      if (!(err instanceof ComputeWorkerError)) throw err;
    }
    const rawScore = new Float64Array(data.rows);
    const treesPerFold = new Int32Array(folds);
    for (let k = 0; k < folds; k++) {
      // A fold the worker did not deliver (it failed) is fitted here.
      const result = results[k] ?? fitGbmFold(data, treat, foldOf, k, rng.derive(`gbm-fold-${k}`), options);
      result.rows.forEach((r, s) => {
        rawScore[r] = result.rawScore[s]!;
      });
      treesPerFold[k] = result.trees;
    }
    return { rawScore, probability: rawScore.map(sigmoid), foldOf, treesPerFold };
  };
}

/** Balance on the worker; the returned function waits for its rows. */
export function parallelBalance(pool: ComputePool, options: HookOptions = {}): (covariates: readonly Column[], treat: Uint8Array, weights: Float64Array) => () => BalanceRow[] {
  const minRows = options.minRows ?? 50_000;
  return (covariates, treat, weights) => {
    const local = (): BalanceRow[] => balanceRows(covariates, treat, weights);
    if (treat.length < minRows || pool.busy) return local;
    // Columns from the split CSV reader are shared already; others are copied once here.
    pool.submit({ type: 'balance', covariates: shareColumns(covariates), treat, weights });
    return () => {
      try {
        return pool.receive<Extract<WorkerReply, { type: 'balance' }>>().rows;
      } catch (err) {
        if (!(err instanceof ComputeWorkerError)) throw err;
        return local();
      }
    };
  };
}

/** The m imputations spread over this thread and the worker (`ParallelHooks.imputeAnalyze`). */
export function parallelImputeAnalyze(pool: ComputePool): (input: ImputeAnalyzeInput, rng: Rng) => ImputationRun[] {
  return (input, rng) => {
    const recipe = recipeOf(rng);
    if (recipe === undefined || pool.busy || input.m < 2) return runImputationsSerial(input, rng);
    const pre = input.analyze.precomputedPropensity;
    const shared: ImputeAnalyzeInput = {
      ...input,
      frame: { rows: input.frame.rows, columns: shareColumns(input.frame.columns) },
      analyze: pre ? { ...input.analyze, precomputedPropensity: { ...pre, distance: shareFloat64(pre.distance), probability: shareFloat64(pre.probability), linearPredictor: shareFloat64(pre.linearPredictor) } } : input.analyze,
    };
    const next = new Int32Array(new SharedArrayBuffer(4));
    const runs: (ImputationRun | undefined)[] = new Array<ImputationRun | undefined>(input.m);
    pool.submit({ type: 'impute-analyze', input: shared, rng: recipe, next });
    for (let j = Atomics.add(next, 0, 1); j < input.m; j = Atomics.add(next, 0, 1)) runs[j] = runImputation(shared, rng, j);
    try {
      for (;;) {
        const reply = pool.receive<Extract<WorkerReply, { type: 'impute-run' | 'impute-analyze' }>>();
        if (reply.type === 'impute-analyze') break;
        runs[reply.run.j] = reply.run;
      }
    } catch (err) {
      if (!(err instanceof ComputeWorkerError)) throw err;
    }
    // An imputation the worker did not deliver (it failed) is run here.
    return runs.map((r, j) => r ?? runImputation(shared, rng, j));
  };
}

/** All hooks on one pool. `minRows` below which work stays on this thread. */
export function parallelHooks(pool: ComputePool, options: HookOptions = {}): ParallelHooks {
  const minRows = options.minRows ?? 50_000;
  return {
    shareMatrix: (x) => (x.rows >= minRows ? shareMatrix(x) : x),
    crossprod: parallelCrossprod(pool, options),
    crossFitGbm: parallelCrossFitGbm(pool),
    startBalance: parallelBalance(pool, options),
    imputeAnalyze: parallelImputeAnalyze(pool),
  };
}
