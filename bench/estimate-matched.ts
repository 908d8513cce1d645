/**
 * Timings of the effect estimators at scale (synthetic 1:1 matched sample).
 * Run: npx tsx bench/estimate-matched.ts [nTreated=30000] [covariates=20]
 * Prints wall-clock milliseconds per step; the numbers depend on the machine (2 shared cores).
 */
import { createRng } from '../workers/causal/random/rng';
import { differenceInMeans } from '../workers/causal/estimate/difference-in-means';
import { gComputation } from '../workers/causal/estimate/g-computation';
import { abadieImbens } from '../workers/causal/estimate/abadie-imbens';
import { matchedBootstrap } from '../workers/causal/estimate/bootstrap';
import { batchedDiffInMeansCpu, clusterSums, drawClusterWeights } from '../workers/causal/estimate/batched-cluster-bootstrap';
import { inverseProbabilityWeighting } from '../workers/causal/estimate/ipw';
import { augmentedIpw } from '../workers/causal/estimate/aipw';

const n1 = Number(process.argv[2] ?? 30000);
const p = Number(process.argv[3] ?? 20);
const n = n1 * 3;
const rng = createRng('bench-estimate');
const x = new Float64Array(n * p);
const psDesign = new Float64Array(n * (p + 1));
const y = new Float64Array(n);
const treat = new Uint8Array(n);
const ps = new Float64Array(n);
for (let i = 0; i < n; i++) {
  treat[i] = i < n1 ? 1 : 0;
  let lin = 0;
  psDesign[i * (p + 1)] = 1;
  for (let j = 0; j < p; j++) {
    const v = rng.normal();
    x[i * p + j] = v;
    psDesign[i * (p + 1) + 1 + j] = v;
    lin += v / (j + 1);
  }
  y[i] = 2 * treat[i]! + lin + rng.normal();
  ps[i] = Math.min(0.95, Math.max(0.05, 1 / (1 + Math.exp(-(lin * 0.3 - 0.7)))));
}
// 1:1 pairs: treated i with control n1 + i; the rest unmatched.
const weights = new Float64Array(n);
const subclass = new Int32Array(n).fill(-1);
for (let i = 0; i < n1; i++) {
  weights[i] = 1;
  weights[n1 + i] = 1;
  subclass[i] = i;
  subclass[n1 + i] = i;
}
const covariates = { data: x, rows: n, cols: p };

function time<T>(label: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  console.log(`${label.padEnd(58)} ${(performance.now() - t0).toFixed(1).padStart(9)} ms`);
  return out;
}

console.log(`n = ${n} (${n1} treated, ${n1} matched controls), ${p} covariates`);
time('difference in means + CR1 (vcovCL)', () => differenceInMeans(y, treat, { weights, subclass }));
time('difference in means + HC3', () => differenceInMeans(y, treat, { weights, vcov: 'HC3' }));
time(`g-computation (${2 + 2 * p} coefs) + CR1 delta method`, () => gComputation(y, treat, covariates, { weights, subclass }));
time('Abadie–Imbens variance (1:1 sets)', () => {
  const focal = Int32Array.from({ length: n1 }, (_, i) => i);
  const offsets = Int32Array.from({ length: n1 + 1 }, (_, i) => i);
  const matches = Int32Array.from({ length: n1 }, (_, i) => n1 + i);
  return abadieImbens(y, treat, { focal, offsets, matches });
});
time('cluster bootstrap, refit DIM per replicate (B = 999)', () => matchedBootstrap(y, treat, { weights, subclass, rng: createRng(1), replicates: 999 }));
time('cluster bootstrap, batched typed arrays (B = 999)', () => {
  const sums = clusterSums(y, treat, weights, subclass);
  return batchedDiffInMeansCpu(drawClusterWeights(999, sums.G, createRng(1)), 999, sums);
});
time('cluster bootstrap, g-computation refit (B = 10)', () => matchedBootstrap(y, treat, { weights, subclass, covariates, rng: createRng(1), replicates: 10, maxFailureFraction: 1 }));
time('IPW ATT, fixed-score SE', () => inverseProbabilityWeighting(y, treat, ps, { estimand: 'ATT' }));
time('IPW ATE, PS-adjusted M-estimation SE', () => inverseProbabilityWeighting(y, treat, ps, { estimand: 'ATE', psDesign: { data: psDesign, rows: n, cols: p + 1 } }));
time('AIPW ATE (two arm regressions)', () => augmentedIpw(y, treat, ps, covariates, { estimand: 'ATE' }));

// tfjs path of the batched difference-in-means bootstrap (backend chosen by tensor/backend).
const { getTensorBackend } = await import('../workers/causal/tensor/backend');
const { tensorClusterBootstrap } = await import('../workers/causal/tensor/bootstrap-batch');
const backend = await getTensorBackend();
const sums = clusterSums(y, treat, weights, subclass);
time(`cluster bootstrap, tfjs ${backend.name} incl. draws (B = 999)`, () => tensorClusterBootstrap(backend.tf, sums, { rng: createRng(1), replicates: 999 }));
const M = drawClusterWeights(999, sums.G, createRng(1));
const { batchedDiffInMeansTensor } = await import('../workers/causal/tensor/bootstrap-batch');
time(`cluster bootstrap, tfjs ${backend.name} matmul only (B = 999)`, () => batchedDiffInMeansTensor(backend.tf, M, 999, sums));
time('cluster bootstrap, typed arrays matmul only (B = 999)', () => batchedDiffInMeansCpu(M, 999, sums));
time('cluster weight draws only, multinomial (B = 999)', () => drawClusterWeights(999, sums.G, createRng(1)));
time('cluster weight draws only, Poisson(1) (B = 999)', () => drawClusterWeights(999, sums.G, createRng(1), 'poisson'));
console.log(backend.description);
