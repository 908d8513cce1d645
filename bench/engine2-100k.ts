/**
 * Engine II speed: `causeway analyze` on 100,000 students × 30 covariates with 25% of each
 * covariate's values missing (MAR; bench/engine2-data.ts), m imputations (MICE, maxit sweeps),
 * logistic or cross-fitted GBM propensity, 1:1 matching on the logit with a 0.2 SD caliper,
 * pooled estimate and all sensitivity analyses except the refuters (Rosenbaum, E-value, OVB with
 * two benchmarks), on 2 threads. Targets (issue): logistic ≤ 45 s, GBM ≤ 120 s on 2 cores.
 * Prints process wall time, CPU time of all threads, peak RSS and the stage timings.
 *   npx tsx bench/engine2-100k.ts [ROWS=100000] [M=10] [MAXIT=10] [logistic|gbm|both] [THREADS=2]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { covariateNames, printFigures, runCliJson, writeStudentsCsv } from './engine2-data';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rows = Number(process.argv[2] ?? 100_000);
const m = Number(process.argv[3] ?? 10);
const maxit = Number(process.argv[4] ?? 10);
const which = process.argv[5] ?? 'both';
const threads = process.argv[6] ?? '2';
const file = await writeStudentsCsv(path.join(root, '.bench'), { rows });
const names = covariateNames();
const args = ['analyze', '--data', file, '--treatment', 'treat', '--outcome', 'y', '--covariates', names.join(','), '--categorical', 'x30', '--link', 'linear.logit', '--caliper', '0.2', '--impute', `m=${m},maxit=${maxit}`, '--sensitivity', '--benchmark', 'x1,x2', '--threads', threads];
for (const model of which === 'both' ? ['logistic', 'gbm'] : [which]) {
  const target = model === 'gbm' ? 120 : 45;
  const f = await runCliJson([...args, '--propensity', model]);
  printFigures(`${rows} rows × 30 covariates, 25% missing; m = ${m}, maxit = ${maxit}; ${model} propensity; threads ${threads}`, f, target);
}
