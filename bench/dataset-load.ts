/**
 * End-to-end dataset ingestion at scale: terms → students → enrollments of a generated
 * Banner-style export (db/seed/sis-generator.ts), each through upload, profiling, the suggested
 * mapping and the load job (validate + stage + swap + derive outcomes), as the application role
 * with row-level security forced. Prints rows, seconds (wall and CPU: this process and the
 * PostgreSQL server), rows/s and peak RSS per step, and the target figure: validate + load +
 * derive outcomes of students + enrollments (target ≤ 120 s for 1M students on 2 cores).
 *
 * Run: npx tsx bench/dataset-load.ts [students=1000000]
 * Uses DATABASE_URL (an owner/superuser URL) when set, else an embedded PostgreSQL in .bench/pg.
 * Generated files go to .bench/dataset-load-<N>/ (reused when present); storage to a temp dir.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sisFileLines, type SisFileName } from '../db/seed/sis-generator';
import { getDatasetVersion, getLoadedCounts, requestLoad, saveMapping, suggestMappingForVersion } from '../server/services/datasets/manage-datasets';
import { loadDatasetVersion } from '../server/services/datasets/load-dataset-version';
import { profileDatasetVersion } from '../server/services/datasets/profile-dataset-version';
import { createLocalStorage } from '../server/services/datasets/storage';
import { uploadDataset } from '../server/services/datasets/upload-dataset';
import { startBenchDatabase } from './support/bench-database';

process.env.LOG_LEVEL ??= 'warn';
const students = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

// ---- measurement ---------------------------------------------------------------------------
let peakRss = 0;
const rssTimer = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
rssTimer.unref();

let postmasterPid: number | undefined;
const TICK = 100; // USER_HZ on Linux

/** CPU seconds of the PostgreSQL server: the postmaster, its live children and its reaped children. */
function serverCpu(): number {
  if (postmasterPid === undefined) return Number.NaN;
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(f[1]);
    const pid = Number(entry);
    if (pid === postmasterPid) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    else if (ppid === postmasterPid) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks / TICK;
}

interface Sample {
  wall: number;
  cpu: number;
  server: number;
}
const sample = (): Sample => {
  const u = process.cpuUsage();
  return { wall: performance.now() / 1000, cpu: (u.user + u.system) / 1e6, server: serverCpu() };
};

interface Step {
  label: string;
  rows: number;
  wall: number;
  cpu: number;
  server: number;
  rss: number;
}
const steps: Step[] = [];
const mb = (n: number) => (n / 1024 / 1024).toFixed(0);

async function timed<T>(label: string, rows: number | ((result: T) => number), fn: () => Promise<T>): Promise<T> {
  peakRss = process.memoryUsage().rss;
  const a = sample();
  const result = await fn();
  const b = sample();
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const n = typeof rows === 'number' ? rows : rows(result);
  const step = { label, rows: n, wall: b.wall - a.wall, cpu: b.cpu - a.cpu, server: b.server - a.server, rss: peakRss };
  steps.push(step);
  console.log(
    `  ${label.padEnd(34)} ${String(n).padStart(9)} rows ${step.wall.toFixed(1).padStart(7)} s  node cpu ${step.cpu.toFixed(1).padStart(6)} s  pg cpu ${step.server
      .toFixed(1)
      .padStart(6)} s ${String(Math.round(n / step.wall)).padStart(9)} rows/s  peak RSS ${mb(step.rss).padStart(5)} MB`,
  );
  return result;
}

// ---- files ---------------------------------------------------------------------------------
async function writeFile(file: SisFileName, target: string): Promise<number> {
  const out = createWriteStream(target);
  let buffer = '';
  let lines = 0;
  for await (const line of sisFileLines({ seed: 20_240_901, students }, file, { batchStudents: 10_000 })) {
    buffer += `${line}\n`;
    lines += 1;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return lines - 1;
}

function countRows(file: string): number {
  const buf = readFileSync(file);
  let n = 0;
  for (let i = 0; i < buf.length; i++) if (buf[i] === 10) n += 1;
  return n - 1;
}

// ---- main ----------------------------------------------------------------------------------
async function main(): Promise<void> {
  const bench = await startBenchDatabase(root, { keep: Boolean(process.env.BENCH_KEEP_DB) });
  postmasterPid = bench.postmasterPid;
  const { db, actor } = bench;
  const storageDir = mkdtempSync(path.join(tmpdir(), 'causeway-bench-storage-'));
  try {
    console.log(`Dataset load bench: ${students.toLocaleString('en-US')} students; ${bench.serverVersion}`);
    const storage = createLocalStorage(storageDir);

    // Generated files (reused between runs of the same size).
    const filesDir = path.join(root, '.bench', `dataset-load-${students}`);
    mkdirSync(filesDir, { recursive: true });
    const files: [kind: 'terms' | 'students' | 'term_enrollments', file: SisFileName][] = [
      ['terms', 'terms.csv'],
      ['students', 'students.csv'],
      ['term_enrollments', 'enrollments.csv'],
    ];
    const rowsOf: Record<string, number> = {};
    for (const [, file] of files) {
      const target = path.join(filesDir, file);
      if (existsSync(target) && statSync(target).size > 0) rowsOf[file] = countRows(target);
      else rowsOf[file] = await timed(`generate ${file}`, (n: number) => n, () => writeFile(file, target));
    }

    const loadTotals: Step[] = [];
    for (const [kind, file] of files) {
      const target = path.join(filesDir, file);
      const rows = rowsOf[file]!;
      console.log(`${kind} (${file}, ${mb(statSync(target).size)} MB, ${rows} rows)`);
      const uploaded = await timed('upload', rows, () =>
        uploadDataset(db, storage, actor, { kind, filename: file }, createReadStream(target, { highWaterMark: 1 << 20 }), { maxBytes: 4 * 1024 ** 3 }),
      );
      const job = { tenantId: actor.tenantId, versionId: uploaded.versionId };
      await timed('profile', rows, () => profileDatasetVersion(db, storage, job));
      const profiled = await getDatasetVersion(db, actor, uploaded.versionId);
      if (profiled.status !== 'profiled') throw new Error(`profiling ended ${profiled.status}: ${profiled.error ?? ''}`);
      await timed('suggest + save mapping + request load', rows, async () => {
        const suggestion = await suggestMappingForVersion(db, actor, uploaded.versionId);
        if (suggestion.unmappedRequired.length > 0) throw new Error(`unmapped required fields: ${suggestion.unmappedRequired.join(', ')}`);
        await saveMapping(db, actor, uploaded.versionId, suggestion.spec);
        await requestLoad(db, actor, uploaded.versionId);
      });
      await timed('validate + load + derive outcomes', rows, () => loadDatasetVersion(db, storage, job));
      const loaded = await getDatasetVersion(db, actor, uploaded.versionId);
      if (loaded.status !== 'loaded') {
        throw new Error(`load ended ${loaded.status}: ${loaded.error ?? JSON.stringify(loaded.validationReport).slice(0, 2000)}`);
      }
      if (kind !== 'terms') loadTotals.push(steps[steps.length - 1]!);
    }

    const counts = await getLoadedCounts(db, actor);
    const total = loadTotals.reduce((t, s) => ({ rows: t.rows + s.rows, wall: t.wall + s.wall, cpu: t.cpu + s.cpu, server: t.server + s.server }), {
      rows: 0,
      wall: 0,
      cpu: 0,
      server: 0,
    });
    console.log(`loaded: ${JSON.stringify(counts)}`);
    console.log(
      `TARGET validate + load + derive outcomes (students + enrollments): ${total.rows} rows in ${total.wall.toFixed(1)} s wall ` +
        `(node cpu ${total.cpu.toFixed(1)} s, pg cpu ${total.server.toFixed(1)} s; ${Math.round(total.rows / total.wall)} rows/s); ` +
        `outcomes ${counts.outcomes}; peak RSS ${mb(Math.max(...steps.map((s) => s.rss)))} MB; target ≤ 120 s`,
    );
  } finally {
    await bench.close();
    rmSync(storageDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
