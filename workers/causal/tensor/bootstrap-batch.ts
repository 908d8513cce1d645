/**
 * Batched cluster bootstrap of the weighted difference in means on a tfjs backend
 * (METHODS §4.5, §9). With per-matched-set sums S (G × 4, from `clusterSums`) and a B × G
 * matrix M of cluster weights (multinomial counts or Poisson(1) draws):
 *
 *   T = M · S  (B × 4, one matmul),   τ*_b = T_b0 / T_b1 − T_b2 / T_b3
 *
 * tfjs computes in float32 (tfjs #1110), so Y is centred in `clusterSums` and the final ratios
 * are formed in float64 from the float32 T. The typed-array twin `batchedDiffInMeansCpu`
 * (../estimate/batched-cluster-bootstrap) is its oracle and the CPU path; both consume the
 * same weight draws. Rows of M are streamed in blocks so at most `maxBlockElements` weights are
 * on the device at a time; `tensorClusterBootstrap` also draws M block by block (same Rng
 * stream as drawing it whole), so host memory stays bounded for large B × G.
 */
import type { Rng } from '../random/rng';
import { CausalInputError } from '../errors';
import { drawClusterWeights, type ClusterSums, type ClusterWeightKind } from '../estimate/batched-cluster-bootstrap';
import type { Tf } from './backend';

export interface BatchOptions {
  /** Upper bound on block rows × G (default 2^24 floats = 64 MB). */
  readonly maxBlockElements?: number;
}

function blockSize(G: number, options: BatchOptions): number {
  return Math.max(1, Math.floor((options.maxBlockElements ?? 1 << 24) / Math.max(1, G)));
}

/** τ*_b for a block of weight rows already on the host (B_block × G, row-major). */
function runBlock(tf: Tf, weights: Float32Array, rows: number, sums: ClusterSums, sums32: Float32Array, out: Float64Array, offset: number): void {
  const t = tf.tidy(() => tf.matMul(tf.tensor2d(weights, [rows, sums.G], 'float32'), tf.tensor2d(sums32, [sums.G, 4], 'float32')));
  const T = t.dataSync() as Float32Array;
  t.dispose();
  for (let b = 0; b < rows; b++) {
    const t1 = T[b * 4 + 1]!;
    const t3 = T[b * 4 + 3]!;
    out[offset + b] = t1 > 0 && t3 > 0 ? T[b * 4]! / t1 - T[b * 4 + 2]! / t3 : Number.NaN;
  }
}

/** Batched replicates for a given B × G weight matrix (float32, row-major). */
export function batchedDiffInMeansTensor(tf: Tf, weights: Float32Array, B: number, sums: ClusterSums, options: BatchOptions = {}): Float64Array {
  const { G } = sums;
  if (weights.length !== B * G) throw new CausalInputError(`Cluster weight matrix has ${weights.length} entries, expected ${B} × ${G}.`);
  const sums32 = Float32Array.from(sums.sums);
  const out = new Float64Array(B);
  const step = blockSize(G, options);
  for (let b0 = 0; b0 < B; b0 += step) {
    const rows = Math.min(step, B - b0);
    runBlock(tf, weights.subarray(b0 * G, (b0 + rows) * G), rows, sums, sums32, out, b0);
  }
  return out;
}

export interface TensorBootstrapOptions extends BatchOptions {
  readonly rng: Rng;
  /** Default 999. */
  readonly replicates?: number;
  readonly kind?: ClusterWeightKind;
}

/**
 * Draws the cluster weights block by block with `rng` and returns the B replicates. Gives the
 * same draws as `drawClusterWeights(B, G, rng, kind)` followed by `batchedDiffInMeansCpu`.
 */
export function tensorClusterBootstrap(tf: Tf, sums: ClusterSums, options: TensorBootstrapOptions): Float64Array {
  const B = options.replicates ?? 999;
  const { G } = sums;
  const sums32 = Float32Array.from(sums.sums);
  const out = new Float64Array(B);
  const step = blockSize(G, options);
  for (let b0 = 0; b0 < B; b0 += step) {
    const rows = Math.min(step, B - b0);
    runBlock(tf, drawClusterWeights(rows, G, options.rng, options.kind), rows, sums, sums32, out, b0);
  }
  return out;
}
