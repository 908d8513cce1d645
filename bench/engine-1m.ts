/**
 * End-to-end benchmark of `causeway analyze` on 1,000,000 rows × 23 columns (~240 MB CSV) made
 * by reference/synthetic/generate.mjs (true ATT 2.0): logit PS, caliper 0.2, cluster SE, balance.
 * Targets (issue): ≤ 6 s end to end from the CSV, peak RSS < 2 GB. Also times the CSV reader alone.
 * THREADS (1 or 2) is passed as --threads; by default the CLI uses 2 threads for a file this size.
 *   npx tsx bench/engine-1m.ts [ROWS] [THREADS]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsvFile } from '../workers/io/csv';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rows = Number(process.argv[2] ?? 1_000_000);
const threads = process.argv[3];
const file = path.join(root, '.bench', `synth_${rows === 1_000_000 ? '1m' : rows}.csv`);
if (!existsSync(file)) {
  mkdirSync(path.dirname(file), { recursive: true });
  console.log(`generating ${file} …`);
  execFileSync(process.execPath, [path.join(root, '..', 'shared', 'reference', 'synthetic', 'generate.mjs'), String(rows), file], { stdio: 'inherit' });
}
console.log(`data: ${file} (${(statSync(file).size / 1e6).toFixed(0)} MB)`);

const t0 = performance.now();
const table = await readCsvFile(file);
console.log(`CSV reader alone: ${table.rows} rows × ${table.columns.length} columns in ${(performance.now() - t0).toFixed(0)} ms`);

const covariates = Array.from({ length: 20 }, (_, j) => `x${j + 1}`).join(',');
const args = [path.join(root, 'bin', 'causeway.mjs'), 'analyze', '--data', file, '--treatment', 'treat', '--outcome', 'y', '--covariates', covariates, '--link', 'linear.logit', '--caliper', '0.2', '--json', ...(threads ? ['--threads', threads] : [])];
const start = performance.now();
const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20 });
const wall = performance.now() - start;
if (run.status !== 0) {
  console.error(run.stderr);
  process.exit(1);
}
const out = JSON.parse(run.stdout) as {
  estimate: number;
  se: number;
  n: Record<string, number>;
  timingsMs: Record<string, number>;
  resources: { peakRssMb: number; cpuMs: number; threads: number };
  balance: { smdAfter: number }[];
};
console.log(`CLI end to end (process wall, incl. node + tsx start): ${wall.toFixed(0)} ms; inside the CLI: ${out.timingsMs.total} ms`);
console.log(`stages (ms): ${JSON.stringify(out.timingsMs)}`);
console.log(`peak RSS: ${out.resources.peakRssMb} MB; CPU (all threads): ${out.resources.cpuMs} ms; threads: ${out.resources.threads}`);
console.log(`ATT ${out.estimate.toFixed(4)} (SE ${out.se.toFixed(4)}; truth 2.0), matched ${out.n.matchedTreated}/${out.n.treated} treated, worst |SMD| after ${Math.max(...out.balance.map((b) => Math.abs(b.smdAfter))).toFixed(4)}`);
