/**
 * Benchmark: cross-fitted histogram GBM propensity model.
 * Usage: npx tsx bench/propensity-gbm.ts [rows=100000] [covariates=30] [folds=5]
 * Data (seeded Rng, not timed): covariates N(0,1), 10% of the first five set missing; the
 * true logit is non-linear (interactions, a step and a sine) in the first eight covariates.
 * Prints binning time, per-fold single-thread seconds and trees, total, and out-of-fold AUC
 * next to the AUC of the true propensity.
 */
import { binFeatures } from '../workers/causal/propensity/binning';
import { assignFolds, fitGbmFold } from '../workers/causal/propensity/cross-fit';
import { auc } from '../workers/causal/propensity/diagnostics';
import { createRng } from '../workers/causal/random/rng';

const rows = Number(process.argv[2] ?? 100_000);
const p = Number(process.argv[3] ?? 30);
const folds = Number(process.argv[4] ?? 5);
const rng = createRng(99);
const data = new Float64Array(rows * p);
const treat = new Float64Array(rows);
const truth = new Float64Array(rows);
for (let i = 0; i < rows; i++) {
  const o = i * p;
  for (let j = 0; j < p; j++) data[o + j] = rng.normal();
  const x = (j: number) => data[o + j]!;
  const logit = -0.7 + 0.8 * x(0) - 0.5 * x(1) * x(2) + (x(3) > 0.5 ? 1 : 0) + 0.6 * Math.sin(2 * x(4)) + 0.3 * x(5) * x(5) - 0.4 * x(6) + 0.2 * x(7);
  truth[i] = logit;
  treat[i] = rng.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  for (let j = 0; j < 5; j++) if (rng.next() < 0.1) data[o + j] = Number.NaN;
}
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const binned = binFeatures({ data, rows, cols: p }, rng.derive('bins'));
const tBin = (performance.now() - t0) / 1000;
const foldOf = assignFolds(treat, folds, rng.derive('folds'));
const oof = new Float64Array(rows);
for (let k = 0; k < folds; k++) {
  const tk = performance.now();
  const res = fitGbmFold(binned, treat, foldOf, k, rng.derive(`gbm-fold-${k}`));
  res.rows.forEach((r, s) => {
    oof[r] = res.rawScore[s]!;
  });
  console.log(JSON.stringify({ fold: k, trees: res.trees, seconds: Number(((performance.now() - tk) / 1000).toFixed(2)) }));
}
const total = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    rows,
    covariates: p,
    folds,
    binningSeconds: Number(tBin.toFixed(2)),
    totalSeconds: Number(total.toFixed(2)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    aucOutOfFold: Number(auc(oof, treat).toFixed(4)),
    aucTrue: Number(auc(truth, treat).toFixed(4)),
  }),
);
