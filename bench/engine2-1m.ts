/**
 * Engine II at scale: 1,000,000 students × 30 covariates, 25% missing, m = 5 imputations,
 * logistic propensity, matching, pooled estimate, sensitivity (no refuters), 2 threads.
 * Target (issue): ≤ 5 minutes, peak memory under 4 GB. ROWS lets it run at 200k to extrapolate.
 *   npx tsx bench/engine2-1m.ts [ROWS=1000000] [M=5] [MAXIT=10] [THREADS=2]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { covariateNames, printFigures, runCliJson, writeStudentsCsv } from './engine2-data';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rows = Number(process.argv[2] ?? 1_000_000);
const m = Number(process.argv[3] ?? 5);
const maxit = Number(process.argv[4] ?? 10);
const threads = process.argv[5] ?? '2';
const file = await writeStudentsCsv(path.join(root, '.bench'), { rows });
const args = ['analyze', '--data', file, '--treatment', 'treat', '--outcome', 'y', '--covariates', covariateNames().join(','), '--categorical', 'x30', '--link', 'linear.logit', '--caliper', '0.2', '--impute', `m=${m},maxit=${maxit}`, '--sensitivity', '--benchmark', 'x1,x2', '--threads', threads, '--propensity', 'logistic'];
const f = await runCliJson(args);
printFigures(`${rows} rows × 30 covariates, 25% missing; m = ${m}, maxit = ${maxit}; logistic; threads ${threads}`, f, 300);
console.log(`  peak RSS ${f.out.resources.peakRssMb} MB (target < 4096 MB: ${f.out.resources.peakRssMb < 4096 ? 'met' : 'NOT met'})`);
