/**
 * Benchmark: 5-fold cross-fitted GBM propensity on 2 threads (this one + the compute pool's
 * worker, folds taken from a shared counter) against the single-threaded `crossFitGbm`, on the
 * data of bench/propensity-gbm.ts (100k × 30 by default, non-linear true logit). Target (issue):
 * ≤ 30 s on 2 cores. Prints wall and process CPU seconds (both threads) for each, and checks that the
 * out-of-fold scores are bit-identical.
 *   npx tsx bench/propensity-gbm-parallel.ts [rows=100000] [covariates=30] [folds=5] [--parallel-only]
 */
import { binFeatures } from '../workers/causal/propensity/binning';
import { crossFitGbm } from '../workers/causal/propensity/cross-fit';
import type { Rng } from '../workers/causal/random/rng';
import { parallelCrossFitGbm } from '../workers/compute/hooks';
import { ComputePool } from '../workers/compute/pool';
import { createTracedRng } from '../workers/compute/traced-rng';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const parallelOnly = process.argv.includes('--parallel-only');
const rows = Number(args[0] ?? 100_000);
const p = Number(args[1] ?? 30);
const folds = Number(args[2] ?? 5);
const rng = createTracedRng(99);
const data = new Float64Array(rows * p);
const treat = new Float64Array(rows);
for (let i = 0; i < rows; i++) {
  const o = i * p;
  for (let j = 0; j < p; j++) data[o + j] = rng.normal();
  const x = (j: number) => data[o + j]!;
  const logit = -0.7 + 0.8 * x(0) - 0.5 * x(1) * x(2) + (x(3) > 0.5 ? 1 : 0) + 0.6 * Math.sin(2 * x(4)) + 0.3 * x(5) * x(5) - 0.4 * x(6) + 0.2 * x(7);
  treat[i] = rng.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  for (let j = 0; j < 5; j++) if (rng.next() < 0.1) data[o + j] = Number.NaN;
}
const binned = binFeatures({ data, rows, cols: p }, rng.derive('bins'));

function timed(label: string, fit: (foldRng: Rng) => Float64Array): Float64Array {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const score = fit(rng.derive('folds'));
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ run: label, rows, covariates: p, folds, wallSeconds: Number(((performance.now() - t0) / 1000).toFixed(2)), processCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)) }));
  return score;
}

const pool = ComputePool.start();
const parallel = timed('2 threads', (r) => parallelCrossFitGbm(pool)(binned, treat, r, { folds }).rawScore);
await pool.close();
if (!parallelOnly) {
  const single = timed('1 thread', (r) => crossFitGbm(binned, treat, r, { folds }).rawScore);
  const identical = single.every((v, i) => Object.is(v, parallel[i]));
  console.log(`out-of-fold scores bit-identical: ${identical}`);
}
