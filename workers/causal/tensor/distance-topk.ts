/**
 * Brute-force k-nearest-neighbour candidates under squared L2, D = ‖q‖² − 2 Q Cᵀ + ‖c‖²
 * (METHODS.md §8.2), with the k smallest per query row, streamed over blocks of query rows so a
 * block's distance matrix stays within `maxBlockElements` floats. float32, as tfjs is: results
 * are candidates only, to be re-ranked in float64 by the caller. Centre (or whiten) the data
 * first to limit cancellation in the expansion.
 * `distanceTopK` runs on a tfjs backend (../tensor/backend); `distanceTopKPlain` is the same
 * computation on typed arrays, its test oracle and the fallback when no tensor backend is wanted.
 */
import type { Matrix } from '../types';
import type { Tf } from './backend';

export interface TopKResult {
  /** rows(queries) × k pool row indices, nearest first (−1 padding when the pool is smaller). */
  readonly indices: Int32Array;
  /** The matching float32 squared distances. */
  readonly distances: Float32Array;
  readonly k: number;
}

export interface TopKOptions {
  /** Upper bound on block rows × pool rows (default 2^24 floats = 64 MB). */
  readonly maxBlockElements?: number;
}

function blockRows(poolRows: number, options: TopKOptions): number {
  return Math.max(1, Math.floor((options.maxBlockElements ?? 1 << 24) / Math.max(1, poolRows)));
}

/** Typed-array twin of `distanceTopK` (same formula, float32 operands, float64 sums). */
export function distanceTopKPlain(queries: Matrix, pool: Matrix, k: number, options: TopKOptions = {}): TopKResult {
  const d = queries.cols;
  const nq = queries.rows;
  const m = pool.rows;
  const kk = Math.min(k, m);
  const q32 = Float32Array.from(queries.data);
  const c32 = Float32Array.from(pool.data);
  const cNorm = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += c32[j * d + t]! * c32[j * d + t]!;
    cNorm[j] = s;
  }
  const indices = new Int32Array(nq * k).fill(-1);
  const distances = new Float32Array(nq * k).fill(Infinity);
  const bestD = new Float64Array(kk);
  const bestI = new Int32Array(kk);
  const rowsPerBlock = blockRows(m, options);
  for (let b0 = 0; b0 < nq; b0 += rowsPerBlock) {
    const b1 = Math.min(nq, b0 + rowsPerBlock);
    for (let i = b0; i < b1; i++) {
      let qn = 0;
      for (let t = 0; t < d; t++) qn += q32[i * d + t]! * q32[i * d + t]!;
      let count = 0;
      for (let j = 0; j < m; j++) {
        let dot = 0;
        for (let t = 0; t < d; t++) dot += q32[i * d + t]! * c32[j * d + t]!;
        const dist = Math.fround(qn - 2 * dot + cNorm[j]!);
        if (count < kk || dist < bestD[count - 1]!) {
          let at = count < kk ? count++ : kk - 1;
          while (at > 0 && bestD[at - 1]! > dist) {
            bestD[at] = bestD[at - 1]!;
            bestI[at] = bestI[at - 1]!;
            at--;
          }
          bestD[at] = dist;
          bestI[at] = j;
        }
      }
      for (let r = 0; r < count; r++) {
        indices[i * k + r] = bestI[r]!;
        distances[i * k + r] = bestD[r]!;
      }
    }
  }
  return { indices, distances, k };
}

/** tfjs version: matMul + topk per block of query rows (synchronous reads, so it can serve as a
 * candidate provider inside the synchronous matcher). */
export function distanceTopK(tf: Tf, queries: Matrix, pool: Matrix, k: number, options: TopKOptions = {}): TopKResult {
  const d = queries.cols;
  const nq = queries.rows;
  const m = pool.rows;
  const kk = Math.min(k, m);
  const indices = new Int32Array(nq * k).fill(-1);
  const distances = new Float32Array(nq * k).fill(Infinity);
  const c = tf.tensor2d(Float32Array.from(pool.data), [m, d]);
  const cNorm = tf.tidy(() => c.square().sum(1).reshape([1, m]));
  const rowsPerBlock = blockRows(m, options);
  try {
    for (let b0 = 0; b0 < nq; b0 += rowsPerBlock) {
      const b1 = Math.min(nq, b0 + rowsPerBlock);
      const rows = b1 - b0;
      const [vals, idx] = tf.tidy(() => {
        const q = tf.tensor2d(Float32Array.from(queries.data.subarray(b0 * d, b1 * d)), [rows, d]);
        const qNorm = q.square().sum(1, true);
        const dist = qNorm.sub(q.matMul(c, false, true).mul(2)).add(cNorm);
        const top = tf.topk(dist.neg(), kk, true);
        return [top.values.neg(), top.indices];
      });
      const v = vals.dataSync() as Float32Array;
      const ix = idx.dataSync() as Int32Array;
      vals.dispose();
      idx.dispose();
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < kk; j++) {
          indices[(b0 + r) * k + j] = ix[r * kk + j]!;
          distances[(b0 + r) * k + j] = v[r * kk + j]!;
        }
      }
    }
  } finally {
    c.dispose();
    cNorm.dispose();
  }
  return { indices, distances, k };
}
