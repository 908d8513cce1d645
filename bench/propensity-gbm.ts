/**
 * Benchmark: cross-fitted histogram GBM propensity model.
 * Usage: npx tsx bench/propensity-gbm.ts [rows=100000] [covariates=30] [folds=5] [learningRate] [subsample]
 * (learning rate and subsample default to the library defaults).
 * Data (seeded Rng, not timed): covariates N(0,1), 10% of the first five set missing; the
 * true logit is non-linear (interactions, a step and a sine) in the first eight covariates.
 * Prints binning time; per fold the trees kept and grown, wall and CPU seconds and CPU ms
 * per grown tree; the total; the out-of-fold AUC and log-loss next to those of the true
 * propensity. Compare CPU seconds when the machine is shared.
 */
import { binFeatures } from '../workers/causal/propensity/binning';
import { assignFolds, fitGbmFold } from '../workers/causal/propensity/cross-fit';
import { auc } from '../workers/causal/propensity/diagnostics';
import { createRng } from '../workers/causal/random/rng';

const rows = Number(process.argv[2] ?? 100_000);
const p = Number(process.argv[3] ?? 30);
const folds = Number(process.argv[4] ?? 5);
const options = {
  ...(process.argv[5] === undefined ? {} : { learningRate: Number(process.argv[5]) }),
  ...(process.argv[6] === undefined ? {} : { subsample: Number(process.argv[6]) }),
};
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
let grown = 0;
for (let k = 0; k < folds; k++) {
  const tk = performance.now();
  const ck = process.cpuUsage();
  const res = fitGbmFold(binned, treat, foldOf, k, rng.derive(`gbm-fold-${k}`), options);
  const cpuK = process.cpuUsage(ck);
  const cpuMs = (cpuK.user + cpuK.system) / 1000;
  res.rows.forEach((r, s) => {
    oof[r] = res.rawScore[s]!;
  });
  grown += res.treesGrown;
  console.log(
    JSON.stringify({
      fold: k,
      trees: res.trees,
      treesGrown: res.treesGrown,
      seconds: Number(((performance.now() - tk) / 1000).toFixed(2)),
      cpuSeconds: Number((cpuMs / 1000).toFixed(2)),
      cpuMsPerTree: Number((cpuMs / res.treesGrown).toFixed(2)),
    }),
  );
}
const logLoss = (score: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < rows; i++) {
    const f = treat[i] === 1 ? -score[i]! : score[i]!;
    s += f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f));
  }
  return s / rows;
};
const total = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    rows,
    covariates: p,
    folds,
    ...options,
    treesGrown: grown,
    binningSeconds: Number(tBin.toFixed(2)),
    totalSeconds: Number(total.toFixed(2)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    aucOutOfFold: Number(auc(oof, treat).toFixed(4)),
    aucTrue: Number(auc(truth, treat).toFixed(4)),
    logLossOutOfFold: Number(logLoss(oof).toFixed(4)),
    logLossTrue: Number(logLoss(truth).toFixed(4)),
  }),
);
