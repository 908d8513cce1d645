/**
 * Writes a Banner-style SIS export (db/seed/sis-generator.ts) in streaming mode: terms, students,
 * enrollments, participation and awards CSVs plus truth.json, without holding the files in
 * memory. Prints rows, MB and seconds per file, and the peak resident memory.
 * Run: npx tsx bench/sis-generate.ts [students=1000000] [outDir=.bench/sis-1m] [seed=20240901]
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { sisFileNames, streamSisExport, type SisFileName } from '../db/seed/sis-generator';

const students = Number(process.argv[2] ?? 1_000_000);
const outDir = process.argv[3] ?? '.bench/sis-1m';
const seed = Number(process.argv[4] ?? 20_240_901);

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const streams = Object.fromEntries(sisFileNames.map((f) => [f, createWriteStream(join(outDir, f))])) as Record<SisFileName, WriteStream>;
  const bytes = Object.fromEntries(sisFileNames.map((f) => [f, 0])) as Record<SisFileName, number>;
  let peakRss = 0;
  const t0 = performance.now();
  const generator = streamSisExport({ seed, students }, { batchStudents: 10_000 });
  let next = await generator.next();
  while (!next.done) {
    const waits: Promise<unknown>[] = [];
    for (const f of sisFileNames) {
      const text = next.value[f];
      if (text === '') continue;
      bytes[f] += Buffer.byteLength(text);
      if (!streams[f].write(text)) waits.push(once(streams[f], 'drain'));
    }
    await Promise.all(waits);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    next = await generator.next();
  }
  const truth = next.value;
  await Promise.all(sisFileNames.map((f) => new Promise<void>((resolve, reject) => streams[f].end((err?: Error | null) => (err ? reject(err) : resolve())))));
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(join(outDir, 'truth.json'), `${JSON.stringify({ seed, students, ...truth }, null, 2)}\n`);

  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  console.log(`SIS export: ${students.toLocaleString('en-US')} students, seed ${seed} → ${outDir}`);
  for (const f of sisFileNames) console.log(`  ${f.padEnd(18)} ${String(truth.rows[f]).padStart(10)} rows  ${mb(bytes[f]).padStart(8)} MB`);
  const totalRows = sisFileNames.reduce((s, f) => s + truth.rows[f], 0);
  const totalBytes = sisFileNames.reduce((s, f) => s + bytes[f], 0);
  console.log(`  total              ${String(totalRows).padStart(10)} rows  ${mb(totalBytes).padStart(8)} MB`);
  console.log(`  ${seconds.toFixed(1)} s (${Math.round(totalRows / seconds).toLocaleString('en-US')} rows/s, ${(totalBytes / 1024 / 1024 / seconds).toFixed(1)} MB/s), peak RSS ${mb(peakRss)} MB`);
  console.log(
    `  truth: ATT ${truth.attRetention.toFixed(4)} (realised ${truth.attRetentionRealized.toFixed(4)}), naive ${truth.naiveDifference.toFixed(4)}, ` +
      `participants ${truth.participants} of cohort ${truth.cohortSize}, retained ${(truth.retainedRate * 100).toFixed(1)}%`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
