/**
 * Streams a generated 1 GB student-like CSV through format detection, the record reader and the
 * column profiler; prints MB/s, seconds and peak RSS (target: under 500 MB).
 * Run: npx tsx bench/dataset-profile.ts [megabytes=1024] [--regen]
 * The file goes to .bench/dataset-profile-<MB>mb.csv (git-ignored) and is reused when present.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { profileCsv } from '../server/services/datasets/profile-csv';

const megabytes = Number(process.argv.find((a, i) => i > 1 && /^\d+$/.test(a)) ?? 1024);
const target = megabytes * 1024 * 1024;
const file = path.join('.bench', `dataset-profile-${megabytes}mb.csv`);

// Seeded PRNG (mulberry32) so the file is the same on every machine.
let seed = 20240823;
const rand = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const MAJORS = ['Biology', 'Chemistry', '"Business, Management"', 'Nursing', 'Psychology', 'Undeclared', '"Art, History"', 'Computer Science', 'Education'];
const NAMES = ['Smith', 'Garcia', 'Nguyen', '"O\'Brien"', 'Muñoz', 'Zoë', '"Lee, Jr."', 'Okafor', '"Said ""Sam"" Ali"', 'Kowalski'];
const MON = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const TERMS = ['10', '20', '30', '80'];
const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));
const HEADER = 'student_id,term_code,strm,birth_date,census_date,sex,race_ethnicity,pell,first_gen,hs_gpa,sat_total,credits_attempted,credits_earned,term_gpa,major,last_name,note\n';

function row(i: number): string {
  const year = 2015 + Math.floor(rand() * 10);
  const term = pick(TERMS);
  const strm = `1${year % 100}${term === '80' ? 8 : term === '10' ? 2 : term === '20' ? 4 : 6}`;
  const by = 1960 + Math.floor(rand() * 45);
  const attempted = 3 * (1 + Math.floor(rand() * 6));
  const earned = Math.max(0, attempted - 3 * Math.floor(rand() * 2));
  const gpa = rand() < 0.1 ? '' : (2 + 2 * rand()).toFixed(2);
  const sat = rand() < 0.15 ? 'NA' : String(800 + 10 * Math.floor(rand() * 80));
  const note = rand() < 0.001 ? '=HYPERLINK("http://x")' : rand() < 0.3 ? 'advised' : '';
  return `${10_000_000 + i},${year}${term},${strm},${pad(1 + Math.floor(rand() * 12))}/${pad(1 + Math.floor(rand() * 28))}/${by},${pad(1 + Math.floor(rand() * 28))}-${pick(MON)}-${pad(year % 100)},${pick(['M', 'F', 'U'])},${1 + Math.floor(rand() * 9)},${rand() < 0.4 ? 'Y' : 'N'},${rand() < 0.3 ? 1 : 0},${gpa},${sat},${attempted},${earned},${(4 * rand()).toFixed(2)},${pick(MAJORS)},${pick(NAMES)},${note}\n`;
}

async function generate(): Promise<void> {
  await mkdir('.bench', { recursive: true });
  const out = createWriteStream(file);
  let bytes = 0;
  let i = 0;
  const t0 = performance.now();
  out.write(HEADER);
  while (bytes < target) {
    let batch = '';
    for (let k = 0; k < 5000; k++) batch += row(i++);
    bytes += Buffer.byteLength(batch);
    if (!out.write(batch)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  console.log(`generated ${file}: ${(bytes / 1e6).toFixed(0)} MB, ${i.toLocaleString('en-US')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const existing = await stat(file).catch(() => null);
if (!existing || existing.size < target || process.argv.includes('--regen')) await generate();
const size = (await stat(file)).size;

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);
const t0 = performance.now();
const c0 = process.cpuUsage();
const result = await profileCsv(createReadStream(file, { highWaterMark: 256 * 1024 }));
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

console.log(`profiled ${(size / 1e6).toFixed(0)} MB, ${result.profile.rowCount.toLocaleString('en-US')} rows × ${result.profile.columnCount} columns (${result.format.encoding}, ${JSON.stringify(result.format.delimiter)})`);
console.log(`  ${seconds.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU, ${(size / 1e6 / seconds).toFixed(1)} MB/s`);
console.log(`  peak RSS during profiling ${(peakRss / 1024 / 1024).toFixed(0)} MB (process max ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB); problems ${result.problemCount}`);
for (const c of result.profile.columns) {
  const top = c.topValues.slice(0, 3).map((t) => `${t.value}:${t.count}`).join(' ');
  console.log(
    `  ${c.name.padEnd(18)} ${`${c.inferredType}${c.format ? ` (${c.format})` : ''}`.padEnd(24)} missing ${(100 * c.missingRate).toFixed(1).padStart(5)}%  distinct ${String(c.distinct.count).padStart(9)}${c.distinct.exact ? ' ' : '~'}  min ${String(c.min).padEnd(10)} max ${String(c.max).padEnd(10)} formula ${c.formulaLike.count}  top ${top}`,
  );
}
