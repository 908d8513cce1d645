/**
 * Synthetic student data for the engine-II benchmarks: n rows × p covariates sharing a latent
 * "preparation" factor (26 numeric of them, 3 binary, 1 four-level categorical for p = 30), a
 * 0/1 programme flag, a continuous outcome with a true ATT of 2, and a share `missing` of each
 * covariate's values blanked at random given the outcome and the treatment (MAR). Written as CSV.
 *   import { writeStudentsCsv } from './engine2-data'
 */
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRng } from '../workers/causal/random/rng';

const expit = (x: number): number => 1 / (1 + Math.exp(-x));

export interface StudentsSpec {
  readonly rows: number;
  readonly covariates?: number;
  readonly missing?: number;
  readonly seed?: number;
}

export function covariateNames(p = 30): string[] {
  return Array.from({ length: p }, (_, j) => `x${j + 1}`);
}

/** Writes the CSV (once per spec) and returns its path. */
export async function writeStudentsCsv(dir: string, spec: StudentsSpec): Promise<string> {
  const p = spec.covariates ?? 30;
  const miss = spec.missing ?? 0.25;
  const file = path.join(dir, `students-v2_${spec.rows}_${p}_${Math.round(miss * 100)}.csv`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const rng = createRng(spec.seed ?? 2026);
  const out = createWriteStream(file);
  const names = covariateNames(p);
  out.write(['treat', 'y', 'pre_gpa', ...names].join(',') + '\n');
  const x = new Float64Array(p);
  let chunk: string[] = [];
  for (let i = 0; i < spec.rows; i++) {
    const z = rng.normal();
    for (let j = 0; j < p; j++) {
      const v = 0.5 * z + rng.normal();
      x[j] = j >= p - 4 && j < p - 1 ? (v > 0 ? 1 : 0) : j === p - 1 ? Math.min(3, Math.max(0, Math.floor(v + 2))) : v;
    }
    let lp = -1;
    for (let j = 0; j < Math.min(p, 10); j++) lp += (j % 2 === 0 ? 0.25 : -0.15) * x[j]!;
    // Treatment depends on the observed covariates only, so matching on them identifies ATT = 2.
    const t = rng.next() < expit(lp) ? 1 : 0;
    let y = 2 * t + z;
    for (let j = 0; j < Math.min(p, 12); j++) y += 0.2 * x[j]!;
    y += rng.normal();
    const preGpa = 0.8 * z + rng.normal();
    const fields: string[] = [String(t), y.toFixed(5), preGpa.toFixed(5)];
    for (let j = 0; j < p; j++) {
      // MAR: missingness depends on the (observed) outcome and treatment.
      const pm = expit(Math.log(miss / (1 - miss)) + 0.4 * (y - 2 * t) * (t === 1 ? 1 : -0.5));
      fields.push(rng.next() < pm ? '' : j === p - 1 ? `c${x[j]}` : Number.isInteger(x[j]!) ? String(x[j]) : x[j]!.toFixed(5));
    }
    chunk.push(fields.join(','));
    if (chunk.length === 5000) {
      if (!out.write(chunk.join('\n') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = [];
    }
  }
  if (chunk.length) out.write(chunk.join('\n') + '\n');
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return file;
}

export interface CliRunFigures {
  readonly wallMs: number;
  readonly out: {
    estimate: number;
    se: number;
    ci95: [number, number];
    n: Record<string, number>;
    timingsMs: Record<string, number>;
    resources: { peakRssMb: number; cpuMs: number; threads: number };
    imputation?: { m: number; maxit: number; df: number; fmi: number; spread: { estimate: { min: number; max: number } }; convergence: { converged: boolean | null } };
    sensitivity?: { rosenbaum: { gammaStar: number | null; gammaStarMedian: number | null }; eValue: { point: number | null; ci: number | null }; robustnessValue: { rv: number | null; rvAlpha: number | null } };
    warnings: string[];
  };
}

/** Runs `causeway analyze …` in a child process and returns its JSON with the process wall time. */
export async function runCliJson(args: readonly string[]): Promise<CliRunFigures> {
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const start = performance.now();
  const run = spawnSync(process.execPath, [path.join(root, 'bin', 'causeway.mjs'), ...args, '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20 });
  const wallMs = performance.now() - start;
  if (run.status !== 0) throw new Error(`causeway exited ${run.status}: ${run.stderr}`);
  return { wallMs, out: JSON.parse(run.stdout) as CliRunFigures['out'] };
}

export function printFigures(label: string, f: CliRunFigures, targetS: number): void {
  const o = f.out;
  console.log(`${label}`);
  console.log(`  wall ${(f.wallMs / 1000).toFixed(1)} s (target ≤ ${targetS} s: ${f.wallMs / 1000 <= targetS ? 'met' : 'NOT met'}); CPU (all threads) ${(o.resources.cpuMs / 1000).toFixed(1)} s; threads ${o.resources.threads}; peak RSS ${o.resources.peakRssMb} MB`);
  console.log(`  stages (ms): ${JSON.stringify(o.timingsMs)}`);
  if (o.imputation) console.log(`  pooled ATT ${o.estimate.toFixed(4)} (SE ${o.se.toFixed(4)}, truth 2), df ${o.imputation.df.toFixed(1)}, FMI ${o.imputation.fmi.toFixed(3)}, per-imputation range ${o.imputation.spread.estimate.min.toFixed(4)}…${o.imputation.spread.estimate.max.toFixed(4)}, converged ${o.imputation.convergence.converged}`);
  if (o.sensitivity) console.log(`  Γ* min ${o.sensitivity.rosenbaum.gammaStar} median ${o.sensitivity.rosenbaum.gammaStarMedian}; E-value ${o.sensitivity.eValue.point?.toFixed(3)} (CI ${o.sensitivity.eValue.ci?.toFixed(3)}); RV ${o.sensitivity.robustnessValue.rv?.toFixed(4)}, RV_α ${o.sensitivity.robustnessValue.rvAlpha?.toFixed(4)}`);
}
