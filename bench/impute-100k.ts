/**
 * MICE speed at 100,000 rows × 20 columns, 25% MCAR in 5 of them (3 pmm, 1 logreg, 1 polyreg),
 * m = 1, maxit = 10; then the PMM donor search alone at 1,000,000 rows.
 * Run: npx tsx bench/impute-100k.ts [rows]
 */
import { createRng } from '../workers/causal/random/rng';
import type { Column, Frame } from '../workers/causal/data/frame';
import { imputeOnce } from '../workers/causal/impute/mice';
import { drawDonors, sortPredictions } from '../workers/causal/impute/pmm-match';
import { imputePmm } from '../workers/causal/impute/pmm';

const n = Number(process.argv[2] ?? 100_000);
const maxit = Number(process.argv[3] ?? 10);
const rng = createRng(2024);
const expit = (v: number): number => 1 / (1 + Math.exp(-v));

const latent = Float64Array.from({ length: n }, () => rng.normal());
const columns: Column[] = [];
for (let j = 0; j < 15; j++) {
  columns.push({ name: `x${j}`, kind: 'numeric', values: latent.map((z) => 0.5 * z + rng.normal() + (j % 3 === 0 ? Math.round(3 * rng.next()) : 0)) });
}
columns.push({ name: 'bin', kind: 'numeric', values: latent.map((z) => (rng.next() < expit(z) ? 1 : 0)) });
columns.push({ name: 'cat', kind: 'categorical', levels: ['a', 'b', 'c', 'd'], codes: Int32Array.from(latent, (z) => Math.min(3, Math.max(0, Math.floor(z + 2 + rng.normal() * 0.5)))) });
columns.push({ name: 'age', kind: 'numeric', values: latent.map((z) => Math.round(30 + 5 * z + 3 * rng.normal())) });
const treat = latent.map((z) => (rng.next() < expit(0.5 * z - 0.5) ? 1 : 0));
columns.push({ name: 'treat', kind: 'numeric', values: treat });
columns.push({ name: 'y', kind: 'numeric', values: latent.map((z, i) => 2 * treat[i]! + z + rng.normal()) });

for (const name of ['x0', 'x1', 'age', 'bin', 'cat']) {
  const col = columns.find((c) => c.name === name)!;
  for (let i = 0; i < n; i++) {
    if (rng.next() >= 0.25) continue;
    if (col.kind === 'numeric') col.values[i] = Number.NaN;
    else col.codes[i] = -1;
  }
}
const frame: Frame = { rows: n, columns };

// CPU time is reported beside wall time: on a shared 2-core machine wall time includes waiting.
const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};
const t0 = performance.now();
const c0 = process.cpuUsage();
const out = imputeOnce(frame, { treatment: 'treat', outcome: 'y', maxit }, createRng(1).derive(0));
const total = (performance.now() - t0) / 1000;
const cpu = cpuSeconds(c0);
console.log(`MICE ${n} rows × ${columns.length} columns, 5 incomplete (${out.report.variables.filter((v) => v.method).map((v) => `${v.name}:${v.method}`).join(', ')}), m=1, maxit=${maxit}`);
console.log(`  wall ${total.toFixed(2)} s (${(total / maxit).toFixed(3)} s per sweep); CPU ${cpu.toFixed(2)} s (${(cpu / maxit).toFixed(3)} s per sweep)`);

// PMM donor search alone at 1M observed × 250k missing: one sort + binary searches, O(n log n).
const nBig = 1_000_000;
const r = createRng(5);
const obs = Float64Array.from({ length: nBig }, () => r.normal());
const mis = Float64Array.from({ length: nBig / 4 }, () => r.normal());
const t1 = performance.now();
const c1 = process.cpuUsage();
const sorted = sortPredictions(obs, r);
const t2 = performance.now();
drawDonors(sorted, mis, 5, r);
const t3 = performance.now();
console.log(`PMM donor search, ${nBig} observed × ${nBig / 4} missing: sort ${((t2 - t1) / 1000).toFixed(2)} s, donor draws ${((t3 - t2) / 1000).toFixed(2)} s wall; CPU ${cpuSeconds(c1).toFixed(2)} s`);

// One full PMM step at 1,000,000 rows × 10 predictors, 25% missing (design build, QR, draw,
// sort, donor search): memory stays O(n·q).
{
  const q = 11;
  const nObs = 750_000;
  const nMis = 250_000;
  const r2 = createRng(6);
  const make = (rows: number): { data: Float64Array; rows: number; cols: number } => {
    const data = new Float64Array(rows * q);
    for (let i = 0; i < rows; i++) {
      data[i * q] = 1;
      for (let j = 1; j < q; j++) data[i * q + j] = r2.normal();
    }
    return { data, rows, cols: q };
  };
  const xObs = make(nObs);
  const xMis = make(nMis);
  const yObs = Float64Array.from({ length: nObs }, (_, i) => Math.round(xObs.data[i * q + 1]! * 3 + r2.normal()));
  const t4 = performance.now();
  const c4 = process.cpuUsage();
  imputePmm(xObs, yObs, xMis, r2);
  console.log(`PMM step, ${nObs + nMis} rows × ${q - 1} predictors: wall ${((performance.now() - t4) / 1000).toFixed(2)} s, CPU ${cpuSeconds(c4).toFixed(2)} s, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB + arrays ${(process.memoryUsage().arrayBuffers / 2 ** 20).toFixed(0)} MiB`);
}
