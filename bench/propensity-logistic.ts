/**
 * Benchmark: logistic propensity model (IRLS, glm.fit-equivalent) on simulated data.
 * Usage: npx tsx bench/propensity-logistic.ts [rows=1000000] [covariates=20]
 * Data: 20 covariates (15 standard normal, 5 binary), intercept, logit linear in all of them,
 * drawn in-process from the seeded Rng. Prints rows, iterations and fit seconds (data generation
 * and the design-matrix copy are not timed).
 */
import { fitLogistic } from '../workers/causal/propensity/logistic';
import { createRng } from '../workers/causal/random/rng';

const rows = Number(process.argv[2] ?? 1_000_000);
const k = Number(process.argv[3] ?? 20);
const p = k + 1;
const rng = createRng(2024);
const data = new Float64Array(rows * p);
const y = new Float64Array(rows);
const beta = Float64Array.from({ length: p }, (_, j) => (j === 0 ? -0.8 : (j % 2 === 0 ? 0.3 : -0.2) / Math.sqrt(k / 10)));
for (let i = 0; i < rows; i++) {
  const o = i * p;
  data[o] = 1;
  let eta = beta[0]!;
  for (let j = 1; j < p; j++) {
    const v = j > k - 5 ? (rng.next() < 0.4 ? 1 : 0) : rng.normal();
    data[o + j] = v;
    eta += beta[j]! * v;
  }
  y[i] = rng.next() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
}
const x = { data, rows, cols: p };
for (let rep = 0; rep < 3; rep++) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const fit = fitLogistic(x, y);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  let maxErr = 0;
  for (let j = 0; j < p; j++) maxErr = Math.max(maxErr, Math.abs(fit.coefficients[j]! - beta[j]!) / fit.standardErrors[j]!);
  console.log(JSON.stringify({ rows, covariates: k, iterations: fit.iterations, converged: fit.converged, seconds: Number(seconds.toFixed(3)), cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)), maxAbsZvsTruth: Number(maxErr.toFixed(2)) }));
}
