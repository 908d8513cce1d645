/**
 * MICE speed at 100,000 rows × 20 columns, 25% MCAR in 5 of them (3 pmm, 1 logreg, 1 polyreg),
 * m = 1, maxit = 10; then the issue's shape, 100,000 students × 30 covariates with 25% of each
 * missing (MAR, the generator of bench/engine2-data.ts in memory: 26 pmm, 3 logreg, 1 polyreg),
 * as CPU per sweep and per column step (first sweep, and later warm-started sweeps); then the
 * PMM donor search alone at 1,000,000 rows.
 * Run: npx tsx bench/impute-100k.ts [rows] [maxit]
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

// The issue's shape: 30 incomplete covariates besides treatment, outcome and pre_gpa.
{
  const students = (rows: number, p = 30, miss = 0.25): Frame => {
    const g = createRng(2026);
    const xs = Array.from({ length: p }, () => new Float64Array(rows));
    const codes = new Int32Array(rows);
    const t = new Float64Array(rows);
    const yv = new Float64Array(rows);
    const pre = new Float64Array(rows);
    const x = new Float64Array(p);
    for (let i = 0; i < rows; i++) {
      const z = g.normal();
      for (let j = 0; j < p; j++) {
        const v = 0.5 * z + g.normal();
        x[j] = j >= p - 4 && j < p - 1 ? (v > 0 ? 1 : 0) : j === p - 1 ? Math.min(3, Math.max(0, Math.floor(v + 2))) : v;
      }
      let lp = -1;
      for (let j = 0; j < 10; j++) lp += (j % 2 === 0 ? 0.25 : -0.15) * x[j]!;
      t[i] = g.next() < expit(lp) ? 1 : 0;
      let y = 2 * t[i]! + z;
      for (let j = 0; j < 12; j++) y += 0.2 * x[j]!;
      yv[i] = y + g.normal();
      pre[i] = 0.8 * z + g.normal();
      const pm = expit(Math.log(miss / (1 - miss)) + 0.4 * (yv[i]! - 2 * t[i]!) * (t[i] === 1 ? 1 : -0.5));
      for (let j = 0; j < p; j++) {
        const m = g.next() < pm;
        if (j === p - 1) codes[i] = m ? -1 : x[j]!;
        else xs[j]![i] = m ? Number.NaN : x[j]!;
      }
    }
    const cols: Column[] = [
      { name: 'treat', kind: 'numeric', values: t },
      { name: 'y', kind: 'numeric', values: yv },
      { name: 'pre_gpa', kind: 'numeric', values: pre },
      ...xs.slice(0, p - 1).map((values, j): Column => ({ name: `x${j + 1}`, kind: 'numeric', values })),
      { name: `x${p}`, kind: 'categorical', levels: ['c0', 'c1', 'c2', 'c3'], codes },
    ];
    return { rows, columns: cols };
  };
  const wide = students(n);
  const run = (sweeps: number): number => {
    const c = process.cpuUsage();
    imputeOnce(wide, { treatment: 'treat', outcome: 'y', maxit: sweeps }, createRng(1).derive(0));
    return cpuSeconds(c);
  };
  const first = run(1);
  const three = run(3);
  const warm = (three - first) / 2;
  console.log(`MICE ${n} rows × 30 incomplete covariates (26 pmm, 3 logreg, 1 polyreg): CPU first sweep ${first.toFixed(2)} s, later sweeps ${warm.toFixed(2)} s each (${((1000 * warm) / 30).toFixed(0)} ms per column step)`);
  console.log(`  → m = 10, maxit = 10 on 2 threads: about ${((10 * (first + 9 * warm)) / 2).toFixed(0)} s of imputation`);
}

// PMM donor search alone at 1M observed × 250k missing: bucket sort + bucket lookups, O(n) (pmm-match.ts).
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
